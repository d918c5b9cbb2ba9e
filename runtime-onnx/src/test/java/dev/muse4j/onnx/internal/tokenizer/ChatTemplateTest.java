package dev.muse4j.onnx.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat templates as models ship them in {@code tokenizer_config.json}, rendered exactly as Hugging Face renders them
 * (Jinja with trim_blocks and lstrip_blocks, {@code bos_token}, {@code eos_token}, {@code raise_exception}).
 */
class ChatTemplateTest {
  private static final List<ChatMessage> CHAT = List.of(ChatMessage.system("be brief"), ChatMessage.user("hello"));

  private static JsonNode tokenizerConfig(String template) throws Exception {
    ObjectMapper json = new ObjectMapper();
    return json.createObjectNode().put("chat_template", template).put("bos_token", "<s>").put("eos_token", "</s>");
  }

  private static String render(String template, List<ChatMessage> messages) throws Exception {
    return ChatTemplate.find(null, tokenizerConfig(template)).orElseThrow().render(messages);
  }

  @Test
  void zephyrsTemplateReliesOnTrimBlocks() throws Exception {
    String zephyr = "{% for message in messages %}\n{% if message['role'] == 'user' %}\n"
        + "{{ '<|user|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n"
        + "{{ '<|system|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n"
        + "{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
        + "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    assertThat(render(zephyr, CHAT)).isEqualTo("<|system|>\nbe brief</s>\n<|user|>\nhello</s>\n<|assistant|>\n");
  }

  @Test
  void chatMlTemplate() throws Exception {
    String chatMl = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] "
        + "+ '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
        + "{% endif %}";

    assertThat(render(chatMl, CHAT)).isEqualTo(
        "<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n");
  }

  private static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}"
      + "{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}"
      + "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
      + "{% for message in loop_messages %}"
      + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
      + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
      + "{% if loop.index0 == 0 and system_message != false %}"
      + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
      + "{% else %}{% set content = message['content'] %}{% endif %}"
      + "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
      + "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}"
      + "{% endfor %}";

  @Test
  void llama2TemplateWithSlicesAndStrip() throws Exception {
    assertThat(render(LLAMA2, List.of(ChatMessage.system("be brief"), ChatMessage.user("hello  "))))
        .isEqualTo("<s>[INST] <<SYS>>\nbe brief\n<</SYS>>\n\nhello [/INST]");
  }

  @Test
  void aTemplatesRaiseExceptionBecomesAnInvalidRequest() {
    assertThatThrownBy(() -> render(LLAMA2, List.of(ChatMessage.user("a"), ChatMessage.user("b"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Conversation roles must alternate");
  }

  @Test
  void theCallersTemplateWinsAndNoTemplateIsEmpty() throws Exception {
    assertThat(ChatTemplate.find("{{ messages[0]['content'] }}", tokenizerConfig("ignored")).orElseThrow()
        .render(CHAT)).isEqualTo("be brief");
    assertThat(ChatTemplate.find(null, MissingNode.getInstance())).isEmpty();
  }

  @Test
  void aNamedDefaultTemplateIsTaken() throws Exception {
    JsonNode config = new ObjectMapper().readTree("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"},"
        + " {\"name\": \"default\", \"template\": \"D\"}]}");
    assertThat(ChatTemplate.find(null, config).orElseThrow().render(CHAT)).isEqualTo("D");
  }

  @Test
  void theIssuesExamplesRenderAsJinja2RendersThem() throws Exception {
    assertThat(render("A\n   {{- 'B' }}", CHAT)).isEqualTo("AB");
    assertThat(render("{{ messages[::-1]|map(attribute='role')|join(',') }}", CHAT)).isEqualTo("user,system");
    assertThat(render("{% set ns = namespace(last=messages|length - 1) %}{{ ns.last }}", CHAT)).isEqualTo("1");
    assertThat(render("{{ 'a.b'.split('.') }} {{ messages[1].content.startswith('hel') }}", CHAT))
        .isEqualTo("['a', 'b'] True");
  }

  @Test
  void strftimeNowReadsTheClockInItsZone() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-07-26T14:05:09Z"), ZoneOffset.UTC);
    ChatTemplate template = ChatTemplate.find(null, tokenizerConfig("{{ strftime_now('%d %b %Y %H:%M') }}"))
        .orElseThrow().withClock(clock);

    assertThat(template.render(CHAT)).isEqualTo("26 Jul 2026 14:05");
  }

  @Test
  void specialTokensMayBeAddedTokenObjectsAndAbsentOnesAreUndefined() throws Exception {
    JsonNode config = new ObjectMapper().readTree("{\"chat_template\": \"{{ bos_token }}|{{ eos_token }}|"
        + "{{ pad_token is defined }}|{{ unk_token is none }}\", \"bos_token\": {\"content\": \"<|begin|>\", "
        + "\"lstrip\": false}, \"eos_token\": \"<|end|>\", \"unk_token\": null}");

    assertThat(ChatTemplate.find(null, config).orElseThrow().render(CHAT)).isEqualTo("<|begin|>|<|end|>|False|False");
  }

  @Test
  void toolsAndDocumentsAreNoneAsWhenTransformersIsGivenNoTools() throws Exception {
    assertThat(render("{{ tools is none }} {{ documents is none }} {{ add_generation_prompt }}", CHAT))
        .isEqualTo("True True True");
  }

  @Test
  void aRenderingErrorIsAnInvalidRequestWithPythonsMessageAndTheLine() {
    assertThatThrownBy(() -> render("line one\n{{ messages[0].content.text.x }}", CHAT))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("UndefinedError: 'str object' has no attribute 'text'").hasMessageContaining("line 2");
  }

  @Test
  void aTemplateThatDoesNotParseIsAModelLoadErrorNamingTheFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("chat_template.jinja"), "ok\n{% if x %}\n{{ x | nosuch }}\n{% endif %}");
    assertThatThrownBy(() -> ChatTemplate.find("m", null, null, dir, MissingNode.getInstance()))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining(dir.resolve("chat_template.jinja").toString())
        .hasMessageContaining("line 3").hasMessageContaining("No filter named 'nosuch'");
    assertThatThrownBy(() -> ChatTemplate.find(tokenizerConfig("{{ x + }}").toString(), tokenizerConfig("x")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("ModelOptions");
  }

  @Test
  void namedTemplatesComeFromTheConfigListOrAdditionalChatTemplates(@TempDir Path dir) throws Exception {
    JsonNode config = new ObjectMapper().readTree("{\"chat_template\": [{\"name\": \"default\", \"template\": "
        + "\"D\"}, {\"name\": \"rag\", \"template\": \"R\"}]}");
    Files.createDirectories(dir.resolve("additional_chat_templates"));
    Files.writeString(dir.resolve("additional_chat_templates").resolve("tool_use.jinja"), "T");

    assertThat(ChatTemplate.find("m", null, null, dir, config).orElseThrow().render(CHAT)).isEqualTo("D");
    assertThat(ChatTemplate.find("m", null, "default", dir, config).orElseThrow().render(CHAT)).isEqualTo("D");
    assertThat(ChatTemplate.find("m", null, "rag", dir, config).orElseThrow().render(CHAT)).isEqualTo("R");
    assertThat(ChatTemplate.find("m", null, "tool_use", dir, config).orElseThrow().render(CHAT)).isEqualTo("T");
    assertThat(ChatTemplate.find("m", "mine", "rag", dir, config).orElseThrow().render(CHAT)).isEqualTo("mine");
    assertThatThrownBy(() -> ChatTemplate.find("m", null, "json", dir, config))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("no chat template named 'json'")
        .hasMessageContaining("default, rag, tool_use");
  }

  @Test
  void chatTemplateJinjaWinsOverTheTokenizerConfig(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("chat_template.jinja"), "from the file\n");

    ChatTemplate template = ChatTemplate.find("m", null, null, dir, tokenizerConfig("from the config")).orElseThrow();
    assertThat(template.render(CHAT)).isEqualTo("from the file");
    assertThat(template.origin()).endsWith("chat_template.jinja");
  }
}

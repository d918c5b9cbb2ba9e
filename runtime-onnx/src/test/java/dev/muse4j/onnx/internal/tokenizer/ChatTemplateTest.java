package dev.muse4j.onnx.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}

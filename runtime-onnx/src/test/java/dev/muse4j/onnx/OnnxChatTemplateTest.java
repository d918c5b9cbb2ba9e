package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.Backend;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat templates through the public API: where a model ships its template, how a named one is chosen, and that a
 * broken template fails the load (naming the file and line) while a template's own {@code raise_exception} fails
 * the request with its message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxChatTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TextRequest CHAT = TextRequest.chat(ChatMessage.system("be brief"), ChatMessage.user("hello"))
      .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(1).build());

  private Backend onnx;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
  }

  @AfterAll
  void close() {
    onnx.close();
  }

  private static Path gpt2(Path to) throws IOException {
    return Fixtures.copy("gpt2-optimum", to);
  }

  private static void tokenizerConfig(Path dir, Object chatTemplate) throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
    config.set("chat_template", JSON.valueToTree(chatTemplate));
    JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
  }

  /** The prompt length the generator used for CHAT, to tell which template rendered it. */
  private int promptTokens(TextGenerator g, TextRequest request) {
    return g.generate(request).usage().orElseThrow().promptTokens();
  }

  private int plainTokens(TextGenerator g, String prompt) {
    return promptTokens(g, TextRequest.of(prompt).withSampling(SamplingConfig.greedy().toBuilder().maxTokens(1)
        .build()));
  }

  @Test
  void aChatTemplateJinjaFileWithASyntaxErrorFailsTheLoadNamingTheFileAndLine(@TempDir Path tmp) throws IOException {
    Path dir = gpt2(tmp);
    Files.writeString(dir.resolve("chat_template.jinja"), "{% for m in messages %}\n{{ m.content + }}\n{% endfor %}");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(dir.resolve("chat_template.jinja").toString()).hasMessageContaining("line 2");
  }

  @Test
  void aTokenizerConfigTemplateWithASyntaxErrorFailsTheLoadNamingTheFile(@TempDir Path tmp) throws IOException {
    Path dir = gpt2(tmp);
    tokenizerConfig(dir, "{% if messages %}never closed");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer_config.json").hasMessageContaining("line 1")
        .hasMessageContaining("endif");
  }

  @Test
  void aTemplatesRaiseExceptionFailsTheRequestWithItsOwnMessage(@TempDir Path tmp) throws IOException {
    Path dir = gpt2(tmp);
    tokenizerConfig(dir, "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
        + "{% endif %}{{ messages[0]['content'] }}");

    try (TextGenerator g = onnx.text(dir.toString())) {
      assertThatThrownBy(() -> g.generate(CHAT)).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("System role not supported");
      assertThat(promptTokens(g, TextRequest.chat(ChatMessage.user("hello there friend"))
          .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(1).build())))
          .isEqualTo(plainTokens(g, "hello there friend"));
    }
  }

  @Test
  void aListOfNamedTemplatesUsesDefaultUnlessANameIsChosen(@TempDir Path tmp) throws IOException {
    Path dir = gpt2(tmp);
    ArrayNode templates = JSON.createArrayNode();
    templates.addObject().put("name", "tool_use").put("template", "tools tools tools tools tools tools");
    templates.addObject().put("name", "default").put("template", "default");
    tokenizerConfig(dir, templates);

    try (TextGenerator g = onnx.text(dir.toString())) {
      assertThat(promptTokens(g, CHAT)).isEqualTo(plainTokens(g, "default"));
    }
    try (TextGenerator g = onnx.text(dir.toString(), ModelOptions.defaults().withChatTemplateName("tool_use"))) {
      assertThat(promptTokens(g, CHAT)).isEqualTo(plainTokens(g, "tools tools tools tools tools tools"));
    }
    assertThatThrownBy(() -> onnx.text(dir.toString(), ModelOptions.defaults().withChatTemplateName("rag")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("no chat template named 'rag'")
        .hasMessageContaining("default, tool_use");
  }

  @Test
  void chatTemplateJinjaWinsOverTokenizerConfigAndTheCallersTemplateWinsOverBoth(@TempDir Path tmp)
      throws IOException {
    Path dir = gpt2(tmp);
    tokenizerConfig(dir, "from the tokenizer config");
    Files.writeString(dir.resolve("chat_template.jinja"), "{{ messages|length }} from the file\n");

    try (TextGenerator g = onnx.text(dir.toString())) {
      assertThat(promptTokens(g, CHAT)).isEqualTo(plainTokens(g, "2 from the file"));
    }
    try (TextGenerator g = onnx.text(dir.toString(), ModelOptions.defaults().withChatTemplate("mine"))) {
      assertThat(promptTokens(g, CHAT)).isEqualTo(plainTokens(g, "mine"));
    }
  }
}

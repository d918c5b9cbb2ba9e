package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.FinishReason;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Model configs that lie, requests at the edges of the context and of the temperature, and long listings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelConfigEdgesTest {
  private Backend onnx;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
  }

  @AfterAll
  void close() {
    onnx.close();
  }

  private static Path copy(String fixture, Path to) throws IOException {
    return Fixtures.copy(fixture, to);
  }

  private static TextRequest greedy(String prompt, int maxTokens) {
    return TextRequest.of(prompt).withSampling(SamplingConfig.greedy().toBuilder().maxTokens(maxTokens).build());
  }

  @Test
  void aNegativeTemperatureInGenerationConfigIsAModelLoadErrorNamingTheFileAndKey(@TempDir Path dir)
      throws IOException {
    copy("gpt2-optimum", dir);
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 263, \"temperature\": -1}");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("generation_config.json").hasMessageContaining("temperature")
        .hasMessageContaining("-1");
  }

  @Test
  void aConfigThatOverstatesTheContextNamesTheFileTheKeyAndTheNumbers(@TempDir Path dir) throws IOException {
    copy("gpt2-optimum", dir);
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"n_positions\": 128",
        "\"max_position_embeddings\": 1000"));

    try (TextGenerator g = onnx.text(dir.toString())) {
      assertThatThrownBy(() -> g.generate(greedy("the sea", 400))).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("max_position_embeddings in config.json")
          .hasMessageContaining("context of 1000 tokens")
          .hasMessageContaining("at most 128")
          .hasMessageContaining("position table is shorter");
    }
  }

  @Test
  void brokenJsonIsLocatedWithoutJacksonsInternals(@TempDir Path dir) throws IOException {
    copy("gpt2-optimum", dir);
    Files.writeString(dir.resolve("config.json"), "{\n \"n_positions\": 128,\n}\n");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("config.json in " + dir + " is not valid JSON")
        .hasMessageContaining("at line 3, column")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source:").doesNotContain("REDACTED"));

    copy("gpt2-optimum", Files.createDirectory(dir.resolve("again")));
    Files.writeString(dir.resolve("again").resolve("tokenizer.json"), "{\"model\": [");
    assertThatThrownBy(() -> onnx.text(dir.resolve("again").toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.json is not valid JSON")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source:").doesNotContain("REDACTED"));
  }

  @Test
  void aListingInAMessageIsCapped(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 500; i++) {
      Files.writeString(dir.resolve("file-" + i + ".bin"), "x");
    }

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("and 480 more")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1500));
  }

  @Test
  void theRootDirectoryGivesAShortMessage() {
    assertThatThrownBy(() -> onnx.text("/")).isInstanceOf(ModelLoadException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1500));
  }

  @Test
  void aTemperatureTooSmallForAFloatIsGreedyNotAnEmptyReply() {
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      TextResult greedy = g.generate(greedy("the sea", 12));
      TextResult tiny = g.generate(TextRequest.of("the sea").withSampling(SamplingConfig.builder()
          .temperature(1e-40).maxTokens(12).seed(3).build()));

      assertThat(tiny.usage().orElseThrow().completionTokens())
          .isEqualTo(greedy.usage().orElseThrow().completionTokens());
      assertThat(tiny.text()).isEqualTo(greedy.text());
    }
  }

  @Test
  void theContextCappingMaxTokensEndsWithLengthAndOneWarning() {
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"));
        CapturedLog log = new CapturedLog()) {
      // The context is 128 tokens: 120 fit on their own, but not after this prompt.
      String prompt = "the sea ".repeat(10);
      TextResult first = g.generate(greedy(prompt, 120));
      TextResult second = g.generate(greedy(prompt, 120));

      assertThat(first.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(first.usage().orElseThrow().totalTokens()).isEqualTo(128);
      assertThat(second.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(log.warnings()).isEqualTo(1);
      assertThat(log.text()).contains("maxTokens (120)").contains("ended with LENGTH");
    }
  }
}

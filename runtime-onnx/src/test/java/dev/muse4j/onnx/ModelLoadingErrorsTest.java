package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.FinishReason;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Each way a model directory can be wrong gets its own clear error, not an ONNX Runtime stack trace. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelLoadingErrorsTest {
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

  @Test
  void aPictureModelOpenedAsTextNamesTheKindFoundAndTheKindExpected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("model_index.json"), "{\"_class_name\": \"OnnxStableDiffusionPipeline\"}");
    Files.createDirectory(dir.resolve("unet"));

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("holds a Stable Diffusion picture model")
        .hasMessageContaining("not a text generation model").hasMessageContaining("backend.image(");
  }

  @Test
  void aMusicModelOpenedAsTextIsNamedToo(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("encodec_decode.onnx"), "not really");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("a MusicGen music model").hasMessageContaining("backend.music(");
  }

  @Test
  void aMissingMusicModelIsNamed() {
    assertThatThrownBy(() -> onnx.music("models/musicgen-small")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'models/musicgen-small' does not exist");
  }

  @Test
  void aMissingDirectoryIsNamed() {
    assertThatThrownBy(() -> onnx.text("no/such/model")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'no/such/model' does not exist");
  }

  @Test
  void anUnrecognisedDirectoryListsWhatItFoundAndWhatWasExpected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("weights.bin"), "x");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Files found: weights.bin")
        .hasMessageContaining("model.onnx").hasMessageContaining("genai_config.json");
  }

  @Test
  void aTruncatedModelFileIsReportedAsSuch(@TempDir Path dir) throws IOException {
    copy("gpt2-optimum", dir);
    byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
    Files.write(dir.resolve("model.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 3));

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("ONNX Runtime could not load").hasMessageContaining("corrupt or truncated");
  }

  @Test
  void missingExternalWeightsAreReported(@TempDir Path dir) throws IOException {
    copy("llama-gqa", dir);
    Files.delete(dir.resolve("model.onnx_data"));

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("external weights");
  }

  @Test
  void aMissingTokenizerIsNamed(@TempDir Path dir) throws IOException {
    copy("gpt2-optimum", dir);
    Files.delete(dir.resolve("tokenizer.json"));

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no tokenizer.json");
  }

  @Test
  void aTokenizerLargerThanTheModelIsAMismatch(@TempDir Path dir) throws IOException {
    copy("llama-gqa", dir);
    Files.copy(Path.of(Fixtures.model("gpt2-optimum"), "tokenizer.json"), dir.resolve("tokenizer.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("config.json"), "{\"num_key_value_heads\": 2, \"head_dim\": 8}");

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("logits are").hasMessageContaining("tokenizer has 264 tokens");
  }

  @Test
  void aModelWithoutACacheIsNotMistakenForADecoder(@TempDir Path dir) throws IOException {
    Path shared = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "models",
        "super-resolution", "pytorch_super_resolution.onnx");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(shared), "shared fixtures absent");
    copy("gpt2-optimum", dir);
    Files.copy(shared, dir.resolve("model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> onnx.text(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is not a decoder with a KV cache").hasMessageContaining("declares inputs [input]");
  }

  @Test
  void theGenAiPackageLoadsAndRejectsPromptsBeyondItsVocabulary() {
    String dir = Fixtures.shared("tiny-random-gpt2-genai");
    try (TextGenerator g = onnx.text(dir)) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("Roses are red")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("vocabulary has only 1000 tokens");
      TextRequest small = TextRequest.of("a b c d").withSampling(SamplingConfig.greedy().toBuilder().maxTokens(8)
          .build());
      assertThat(g.generate(small).usage().orElseThrow().promptTokens()).isEqualTo(4);
      assertThat(g.generate(small).text()).isEqualTo(g.generate(small).text());
    }
  }

  @Test
  void aGenAiMaxLengthBoundsPromptAndReplyTogether(@TempDir Path dir) throws IOException {
    Path shared = Path.of(Fixtures.shared("tiny-random-gpt2-genai"));
    try (Stream<Path> files = Files.list(shared)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Path config = dir.resolve("genai_config.json");
    config.toFile().setWritable(true);
    Files.writeString(config, Files.readString(config).replaceFirst("\\{", "{ \"search\": {\"max_length\": 12},"));

    try (TextGenerator g = onnx.text(dir.toString())) {
      TextResult r = g.generate(TextRequest.of("a b c d").withSampling(SamplingConfig.greedy().toBuilder()
          .maxTokens(100).build()));
      assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(r.usage().orElseThrow().totalTokens()).isEqualTo(12);
      assertThatThrownBy(() -> g.generate(TextRequest.of("a b c d ".repeat(4))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("length limit (search.max_length in genai_config.json) is 12 tokens");
    }
  }
}

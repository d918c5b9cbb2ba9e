package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Latent;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.testkit.ImageGeneratorContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GAN generators through the public API, against the fixtures and the pictures PyTorch drew for them
 * ({@code tools/fixtures/make_gan.py}).
 */
class GanImageTest {
  private static Backend backend;

  @BeforeAll
  static void open() {
    backend = Muse4j.backend("onnx");
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  private static JsonNode reference(String fixture) throws IOException {
    return new ObjectMapper().readTree(Path.of(Fixtures.model(fixture), "reference.json").toFile());
  }

  private static Latent latent(JsonNode values) {
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
    }
    return Latent.of(v);
  }

  private static void assertPixelsMatch(Image image, JsonNode rgb) {
    byte[] bytes = image.rgb();
    assertThat(bytes).hasSize(rgb.size());
    for (int i = 0; i < bytes.length; i++) {
      // ONNX Runtime and PyTorch may round a value on a .5 boundary differently: one step at most
      assertThat(bytes[i] & 0xff).as("byte %d", i)
          .isCloseTo(rgb.get(i).asInt(), org.assertj.core.data.Offset.offset(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gan-nchw-tanh-rgb", "gan-nhwc-sigmoid-grey", "gan-class-id", "gan-onehot-uniform"})
  void seedsDrawThePicturesPyTorchDraws(String fixture) throws IOException {
    JsonNode ref = reference(fixture);
    ImageRequest.Builder request = ImageRequest.builder().seed(ref.path("seeds").get(0).asLong()).count(2);
    if (!ref.path("classId").isNull()) {
      request.classLabel(fixture.equals("gan-class-id") ? "dog" : ref.path("classId").asText());
    }
    try (ImageGenerator gan = backend.image(Fixtures.model(fixture))) {
      ImageResult result = gan.generate(request.build());

      assertThat(result.images()).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(result.image().width()).isEqualTo(8);
        assertThat(result.seed(i)).hasValue(ref.path("seeds").get(i).asLong());
        float[] expected = latent(ref.path("latents").get(i)).values();
        assertThat(result.latent(i).orElseThrow().values())
            .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
        assertPixelsMatch(result.images().get(i), ref.path("rgb").get(i));
      }
    }
  }

  @Test
  void anExplicitLatentDrawsItsPicture() throws IOException {
    JsonNode ref = reference("gan-nchw-tanh-rgb");
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      ImageResult result = gan.generate(ImageRequest.builder().latents(List.of(latent(ref.path("latents").get(1))))
          .build());

      assertPixelsMatch(result.image(), ref.path("rgb").get(1));
      assertThat(result.seed(0)).isEmpty();
      assertThat(result.latent(0)).contains(latent(ref.path("latents").get(1)));
    }
  }

  @Test
  void aStoredLatentRegeneratesThePictureExactly() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-class-id"))) {
      ImageResult first = gan.generate(ImageRequest.builder().seed(5).count(3).classLabel("fox").build());
      Latent stored = Latent.of(first.latent(2).orElseThrow().values());

      ImageResult again = gan.generate(ImageRequest.builder().latents(List.of(stored)).classLabel("fox").build());

      assertThat(again.image()).isEqualTo(first.images().get(2));
      assertThat(gan.generate(ImageRequest.builder().seed(5).count(3).classLabel("fox").build()).images())
          .isEqualTo(first.images());
    }
  }

  @Test
  void slerpEndsAreTheParentsPictures() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      ImageResult parents = gan.generate(ImageRequest.builder().seed(1).count(2).build());
      Latent a = parents.latent(0).orElseThrow();
      Latent b = parents.latent(1).orElseThrow();

      ImageResult ends = gan.generate(ImageRequest.builder()
          .latents(List.of(Latent.slerp(a, b, 0), Latent.slerp(a, b, 1), Latent.slerp(a, b, 0.5))).build());

      assertThat(ends.images().get(0)).isEqualTo(parents.images().get(0));
      assertThat(ends.images().get(1)).isEqualTo(parents.images().get(1));
      assertThat(ends.images().get(2)).isNotIn(parents.images());
    }
  }

  @Test
  void aMorphRunsBetweenTwoSeedsInOneBatch() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      ImageResult morph = gan.generate(ImageRequest.builder().morph(3, 9, 6).build());
      Image three = gan.generate(ImageRequest.builder().seed(3).build()).image();
      Image nine = gan.generate(ImageRequest.builder().seed(9).build()).image();

      assertThat(morph.images()).hasSize(6);
      assertThat(morph.images().get(0)).isEqualTo(three);
      assertThat(morph.images().get(5)).isEqualTo(nine);
      assertThat(morph.seed(0)).hasValue(3);
      assertThat(morph.seed(5)).hasValue(9);
      assertThat(morph.seed(2)).isEmpty();
      assertThat(morph.latent(2)).contains(Latent.morph(Latent.random(3, 20), Latent.random(9, 20), 6).get(2));
    }
  }

  @Test
  void aSheetOf64IsOneRequest() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nhwc-sigmoid-grey"))) {
      ImageResult sheet = gan.generate(ImageRequest.builder().seed(100).count(64).build());

      assertThat(sheet.images()).hasSize(64);
      assertThat(sheet.seed(63)).hasValue(163);
      assertThat(sheet.images().get(10)).isEqualTo(gan.generate(ImageRequest.builder().seed(110).build()).image());
    }
  }

  @Test
  void aLatentOfTheWrongLengthIsRefused() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      assertThatThrownBy(() -> gan.generate(ImageRequest.builder().latents(List.of(Latent.random(1, 19))).build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("has 19 values")
          .hasMessageContaining("takes 20");
    }
  }

  @Test
  void nanInALatentIsRefused() {
    float[] values = Latent.random(1, 20).values();
    values[7] = Float.NaN;

    assertThatThrownBy(() -> Latent.of(values))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Latent value 7 is NaN");
  }

  @Test
  void anUnknownClassIsRefusedNamingTheKnownOnes() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-class-id"))) {
      assertThatThrownBy(() -> gan.generate(ImageRequest.builder().classLabel("wolf").build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("no class 'wolf'")
          .hasMessageContaining("cat, dog, fox");
    }
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-onehot-uniform"))) {
      assertThatThrownBy(() -> gan.generate(ImageRequest.builder().classLabel("4").build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("from 0 to 3");
    }
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      assertThatThrownBy(() -> gan.generate(ImageRequest.builder().classLabel("cat").build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("no class input");
    }
  }

  @Test
  void aPromptIsIgnoredWithOneWarning() {
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    Image withPrompt;
    Image without;
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      withPrompt = gan.generate(ImageRequest.builder("a red dragon").seed(4).build()).image();
      gan.generate(ImageRequest.builder("a blue dragon").seed(4).build());
      without = gan.generate(ImageRequest.builder().seed(4).build()).image();
    } finally {
      System.setErr(original);
    }
    String text = log.toString(StandardCharsets.UTF_8);
    original.print(text);

    assertThat(withPrompt).isEqualTo(without);
    assertThat(text.split("takes no prompt", -1)).hasSize(2);
    assertThat(text).contains("WARN");
  }

  @Test
  void aCountAboveTheLimitIsRefused() {
    assertThatThrownBy(() -> ImageRequest.builder().count(65).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("count");
  }

  @Test
  void anotherSizeIsRefused() {
    try (ImageGenerator gan = backend.image(Fixtures.model("gan-nchw-tanh-rgb"))) {
      assertThatThrownBy(() -> gan.generate(ImageRequest.builder().size(16, 16).build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("8");
      assertThat(gan.generate(ImageRequest.builder().size(8, 8).build()).image().width()).isEqualTo(8);
    }
  }

  @Test
  void modelsThatAreNotGansAreClearErrors(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("model_index.json"), "{}");
    assertThatThrownBy(() -> backend.image(dir.toString()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Stable Diffusion");

    Path gan = Files.createDirectories(dir.resolve("gan"));
    Files.writeString(gan.resolve("gan.json"), "{\"layuot\": \"NCHW\"}");
    assertThatThrownBy(() -> backend.image(gan.toString()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unknown field 'layuot'");

    Files.writeString(gan.resolve("gan.json"), "{}");
    assertThatThrownBy(() -> backend.image(gan.toString()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no .onnx files");
  }

  @Test
  void latentsPreserveTheirLengthWhenMixed() {
    Latent a = Latent.random(1, 100);
    Latent b = Latent.random(2, 100);

    Latent mixed = Latent.mix(List.of(a, b), 1, 1);

    assertThat(mixed.norm()).isCloseTo((a.norm() + b.norm()) / 2, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(Latent.mix(List.of(a, b), 0, 2)).isEqualTo(b);
    IntStream.of(0, 1).forEach(i -> assertThat(Latent.slerp(a, b, i)).isEqualTo(i == 0 ? a : b));
  }

  @Nested
  class Contract extends ImageGeneratorContract {
    @Override
    protected ImageGenerator openGenerator() {
      return Muse4j.backend("onnx").image(Fixtures.model("gan-class-id"));
    }

    @Override
    protected ImageRequest request() {
      return ImageRequest.builder().seed(7).classLabel("cat").build();
    }
  }
}

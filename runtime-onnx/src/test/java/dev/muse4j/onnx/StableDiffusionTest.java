package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Backend;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Latent;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.Progress;
import dev.muse4j.testkit.ImageGeneratorContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stable Diffusion pipelines through the public API, against the pictures diffusers' own pipelines and schedulers
 * made from the same tiny models in PyTorch ({@code tools/fixtures/make_diffusion_refs.py}): every scheduler, guidance
 * on and off, negative prompts, v-prediction, fp16, LCM, image-to-image, several pictures per request.
 */
class StableDiffusionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(Fixtures.model("diffusion"));
  private static Backend backend;
  private static final Map<String, ImageGenerator> GENERATORS = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void open() {
    backend = Muse4j.backend("onnx");
  }

  @AfterAll
  static void close() {
    GENERATORS.values().forEach(ImageGenerator::close);
    backend.close();
  }

  static ImageGenerator generator(String variant) {
    return GENERATORS.computeIfAbsent(variant, v -> backend.image(ROOT.resolve(v).toString()));
  }

  static JsonNode references() throws IOException {
    return JSON.readTree(ROOT.resolve("references.json").toFile());
  }

  static Stream<JsonNode> cases() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    references().path("cases").forEach(all::add);
    return all.stream();
  }

  static ImageRequest request(JsonNode c, long seed, int count) throws IOException {
    ImageRequest.Builder b = ImageRequest.builder(c.path("prompt").asText()).scheduler(c.path("scheduler").asText())
        .steps(c.path("steps").asInt()).guidanceScale(c.path("guidance").asDouble()).seed(seed).count(count)
        .size(c.path("width").asInt(), c.path("height").asInt());
    if (c.hasNonNull("negative")) {
      b.negativePrompt(c.path("negative").asText());
    }
    if (c.hasNonNull("initImage")) {
      b.initImage(Image.read(ROOT.resolve(c.path("initImage").asText())), c.path("strength").asDouble());
    }
    return b.build();
  }

  /** Whether picture 0 of a batch drew the same numbers in diffusers' one-generator batch as alone. */
  private static boolean firstPictureAlignsWithBatch(JsonNode c) {
    String scheduler = c.path("scheduler").asText();
    boolean stepNoise = scheduler.equals("euler_a") || scheduler.equals("lcm") && c.path("steps").asInt() > 1;
    return c.path("count").asInt() == 1 || !stepNoise;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void picturesMatchDiffusers(JsonNode c) throws IOException {
    JsonNode tolerance = references().path("tolerance");
    boolean fp16 = c.path("variant").asText().contains("fp16");
    int levels = tolerance.path(fp16 ? "fp16PixelLevels" : "pixelLevels").asInt();
    ImageResult result = generator(c.path("variant").asText()).generate(request(c, c.path("seed").asLong(),
        c.path("count").asInt()));
    assertThat(result.images()).hasSize(c.path("count").asInt());
    assertThat(result.seed(0)).hasValue(c.path("seed").asLong());
    if (firstPictureAlignsWithBatch(c)) {
      assertPixels(result.image(), c.path("pixels").get(0).asText(), levels, c.path("id").asText());
      if (!c.hasNonNull("initImage")) {
        // the latent on the result is the seed's noise, before the scheduler's init_noise_sigma
        float sigma = (float) c.path("initNoiseSigma").asDouble();
        float[] noise = result.latent(0).orElseThrow().values();
        JsonNode first8 = c.path("initLatentsFirst8").get(0);
        for (int i = 0; i < 8; i++) {
          assertThat(noise[i] * sigma).isCloseTo((float) first8.get(i).asDouble(), within(1e-5f));
        }
      }
    }
  }

  private static void assertPixels(Image image, String base64, int levels, String what) {
    byte[] expected = Base64.getDecoder().decode(base64);
    byte[] actual = image.rgb();
    assertThat(actual).hasSize(expected.length);
    int worst = 0;
    long total = 0;
    for (int i = 0; i < actual.length; i++) {
      int d = Math.abs((actual[i] & 0xff) - (expected[i] & 0xff));
      worst = Math.max(worst, d);
      total += d;
    }
    assertThat(worst).as("largest pixel difference from diffusers in %s", what).isLessThanOrEqualTo(levels);
    // float rounding moves a few values across a rounding boundary; a real difference moves many
    assertThat((double) total / actual.length).as("mean pixel difference from diffusers in %s", what)
        .isLessThanOrEqualTo(0.01);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sd1-ddim-count2", "turbo-euler-a-4step-count2", "lcm-1step-count2",
      "sd2-img2img-low-count2"})
  void eachPictureOfABatchIsItsSeedAlone(String id) throws IOException {
    JsonNode c = cases().filter(x -> x.path("id").asText().equals(id)).findFirst().orElseThrow();
    ImageGenerator g = generator(c.path("variant").asText());
    long seed = c.path("seed").asLong();
    ImageResult batch = g.generate(request(c, seed, 2));
    ImageResult second = g.generate(request(c, seed + 1, 1));
    assertThat(batch.seed(1)).hasValue(seed + 1);
    assertThat(batch.images().get(1)).isEqualTo(second.image());
    assertThat(batch.images().get(0)).isNotEqualTo(batch.images().get(1));
  }

  @Test
  void theSameSeedGivesIdenticalPixelsAndTheReportedLatentReproducesThePicture() {
    ImageGenerator g = generator("sd2-optimum");
    ImageRequest request = ImageRequest.builder("a red fox in the snow").steps(6).seed(123).size(64, 64).build();
    ImageResult a = g.generate(request);
    ImageResult b = g.generate(request);
    assertThat(a.image()).isEqualTo(b.image());
    Latent noise = a.latent(0).orElseThrow();
    ImageResult fromLatent = g.generate(request.toBuilder().seed(123).latents(List.of(noise)).build());
    assertThat(fromLatent.image()).isEqualTo(a.image());
    assertThat(fromLatent.seed(0)).isEmpty();
    ImageResult other = g.generate(request.toBuilder().seed(124).build());
    assertThat(other.image()).isNotEqualTo(a.image());
  }

  @Test
  void guidanceOnAndOffDiffer() {
    ImageGenerator g = generator("sd1-legacy");
    ImageRequest.Builder b = ImageRequest.builder("a castle on a hill").scheduler("ddim").steps(5).seed(9)
        .size(64, 64);
    Image guided = g.generate(b.guidanceScale(7.5).build()).image();
    Image unguided = g.generate(b.guidanceScale(1.0).build()).image();
    Image negative = g.generate(b.guidanceScale(7.5).negativePrompt("fog").build()).image();
    assertThat(guided).isNotEqualTo(unguided);
    assertThat(negative).isNotEqualTo(guided);
  }

  @ParameterizedTest
  @ValueSource(strings = {"euler", "euler_a", "ddim", "dpmpp_2m", "lcm", "pndm"})
  void everySchedulerRunsEndToEndWithOneProgressEventPerStep(String scheduler) {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    ImageResult result = generator("sd1-legacy").generate(ImageRequest.builder("a lighthouse").scheduler(scheduler)
        .steps(4).seed(5).size(64, 64).progressListener(progress::add).build());
    assertThat(result.image().width()).isEqualTo(64);
    long denoising = progress.stream().filter(p -> p.stage().equals("denoising")).count();
    assertThat(denoising).isEqualTo(scheduler.equals("pndm") ? 5 : 4);
    assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
  }

  @Test
  void img2imgAtStrengthZeroRunsNoStepAndOnlyTheVaeChangesThePicture() throws IOException {
    Image init = Image.read(ROOT.resolve("init.png"));
    ImageGenerator g = generator("sd2-optimum");
    ImageRequest.Builder b = ImageRequest.builder("a painting").seed(3).steps(10);
    List<Progress> progress = new CopyOnWriteArrayList<>();
    Image kept = g.generate(b.initImage(init, 0.0).progressListener(progress::add).build()).image();
    assertThat(progress.stream().filter(p -> p.stage().equals("denoising"))).isEmpty();
    assertThat(kept.width()).isEqualTo(init.width());
    // the VAE's posterior is sampled with the seed, as diffusers does, so the same seed keeps the same picture
    assertThat(g.generate(b.initImage(init, 0.0).build()).image()).isEqualTo(kept);
    Image changed = g.generate(b.initImage(init, 1.0).build()).image();
    assertThat(changed).isNotEqualTo(kept);
  }

  @Test
  void lcmImg2imgRunsItsOwnShortenedScheduleAndRepeatsWithTheSeed() throws IOException {
    Image init = Image.read(ROOT.resolve("init.png"));
    List<Progress> progress = new CopyOnWriteArrayList<>();
    ImageRequest request = ImageRequest.builder("a watercolour").steps(2).seed(8).initImage(init, 0.5)
        .progressListener(progress::add).build();
    Image a = generator("lcm").generate(request).image();
    assertThat(progress.stream().filter(p -> p.stage().equals("denoising"))).hasSize(2);
    assertThat(generator("lcm").generate(request).image()).isEqualTo(a);
  }

  @Test
  void aStrengthThatLeavesNoStepKeepsThePictureThroughTheVaeAlone() throws IOException {
    Image init = Image.read(ROOT.resolve("init.png"));
    ImageGenerator g = generator("sd2-optimum");
    Image none = g.generate(ImageRequest.builder("x").steps(10).seed(2).initImage(init, 0.05).build()).image();
    Image zero = g.generate(ImageRequest.builder("x").steps(10).seed(2).initImage(init, 0.0).build()).image();
    assertThat(none).isEqualTo(zero);
  }

  @Test
  void cancellationBetweenStepsStopsTheGenerationAndTheGeneratorStaysUsable() throws Exception {
    ImageGenerator g = generator("sd1-legacy");
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    List<Progress> progress = new CopyOnWriteArrayList<>();
    ImageRequest request = ImageRequest.builder("a storm").steps(200).scheduler("euler").seed(1).size(64, 64)
        .progressListener(p -> {
          progress.add(p);
          started.countDown();
        }).build();
    CompletableFuture<ImageResult> future = g.generateAsync(request);
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    future.cancel(true);
    assertThatThrownBy(() -> future.get(60, TimeUnit.SECONDS))
        .isInstanceOfAny(java.util.concurrent.CancellationException.class, ExecutionException.class);
    int seen = progress.size();
    Thread.sleep(100);
    assertThat(progress.size()).isLessThan(200).isLessThanOrEqualTo(seen + 1);
    assertThat(g.generate(ImageRequest.builder("after").steps(2).seed(1).size(64, 64).build()).images()).hasSize(1);
  }

  @Nested
  class BadInput {
    @Test
    void sizesOutsideTheModelsRangeNameTheNearestValidSize() {
      assertThatThrownBy(() -> generator("sd1-legacy").generate(ImageRequest.builder("x").size(100, 64).build()))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("multiple of 8")
          .hasMessageContaining("try 104");
      assertThatThrownBy(() -> generator("sd1-legacy").generate(ImageRequest.builder("x").size(32, 64).build()))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("width is 32")
          .hasMessageContaining("from 64").hasMessageContaining("nearest valid size is 64");
    }

    @Test
    void unknownSchedulersListTheSupportedOnes() {
      assertThatThrownBy(() -> generator("sd1-legacy").generate(ImageRequest.builder("x").scheduler("heun").build()))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContainingAll("heun", "euler", "euler_a", "ddim", "dpmpp_2m", "lcm", "pndm");
    }

    @Test
    void latentsOfTheWrongLengthAndClassLabelsAreRefused() {
      assertThatThrownBy(() -> generator("sd1-legacy").generate(ImageRequest.builder("x").size(64, 64)
          .latents(List.of(Latent.random(1, 100))).build())).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("100 values").hasMessageContaining("256");
      assertThatThrownBy(() -> generator("sd1-legacy").generate(ImageRequest.builder("x").classLabel("cat").build()))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("class");
    }

    @Test
    void strengthOutsideZeroToOneIsRefused() throws IOException {
      Image init = Image.read(ROOT.resolve("init.png"));
      assertThatThrownBy(() -> generator("sd2-optimum").generate(ImageRequest.builder("x").initImage(init, 1.5)
          .build())).isInstanceOf(InvalidRequestException.class).hasMessageContaining("strength")
          .hasMessageContaining("1.5");
    }

    @Test
    void aMissingComponentFolderIsNamed(@TempDir Path dir) throws IOException {
      copyTree(ROOT.resolve("sd2-optimum"), dir);
      deleteTree(dir.resolve("vae_decoder"));
      assertThatThrownBy(() -> backend.image(dir.toString())).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("vae_decoder/");
    }

    @Test
    void aUnetWhoseLatentChannelsDisagreeWithTheVaeNamesBothFilesAndNumbers() {
      assertThatThrownBy(() -> backend.image(ROOT.resolve("broken-channels").toString()))
          .isInstanceOf(ModelLoadException.class).hasMessageContaining("unet/model.onnx")
          .hasMessageContaining("vae_decoder/model.onnx").hasMessageMatching("(?s).*\\d+ channels.*\\d+ channels.*");
    }

    @Test
    void aSchedulerConfigTheEngineCannotRunFailsAtLoadNamingTheField(@TempDir Path dir) throws IOException {
      copyTree(ROOT.resolve("sd2-optimum"), dir);
      Path config = dir.resolve("scheduler/scheduler_config.json");
      String json = Files.readString(config);
      Files.writeString(config, json.replace("\"steps_offset\": 1", "\"steps_offset\": 1, \"use_karras_sigmas\": true"));
      assertThatThrownBy(() -> backend.image(dir.toString())).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("scheduler_config.json").hasMessageContaining("use_karras_sigmas");
      // another scheduler that ignores the field still runs the model
      try (ImageGenerator ddim = backend.image(dir.toString(), ModelOptions.defaults().withSetting("scheduler",
          "ddim"))) {
        assertThat(ddim.generate(ImageRequest.builder("x").steps(2).seed(1).build()).images()).hasSize(1);
      }
      Files.delete(config);
      assertThatThrownBy(() -> backend.image(dir.toString())).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("scheduler/scheduler_config.json");
    }

    @Test
    void modelSettingsSetTheDefaultsAndBadValuesAreNamed() {
      String model = ROOT.resolve("sd1-legacy").toString();
      List<Progress> progress = new CopyOnWriteArrayList<>();
      try (ImageGenerator g = backend.image(model, ModelOptions.defaults().withSetting("scheduler", "euler")
          .withSetting("steps", "3").withSetting("guidance", "0"))) {
        g.generate(ImageRequest.builder("x").seed(1).progressListener(progress::add).build());
      }
      assertThat(progress).hasSize(3);
      assertThatThrownBy(() -> backend.image(model, ModelOptions.defaults().withSetting("steps", "zero")))
          .hasMessageContaining("steps").hasMessageContaining("zero");
      assertThatThrownBy(() -> backend.image(model, ModelOptions.defaults().withSetting("scheduler", "heun")))
          .hasMessageContaining("heun").hasMessageContaining("dpmpp_2m");
    }

    @Test
    void aPipelineWithoutVaeEncoderRefusesAStartingPicture(@TempDir Path dir) throws IOException {
      copyTree(ROOT.resolve("sd2-optimum"), dir);
      deleteTree(dir.resolve("vae_encoder"));
      Image init = Image.read(ROOT.resolve("init.png"));
      try (ImageGenerator g = backend.image(dir.toString())) {
        assertThatThrownBy(() -> g.generate(ImageRequest.builder("x").initImage(init, 0.5).build()))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("vae_encoder");
        assertThat(g.generate(ImageRequest.builder("x").steps(1).seed(1).build()).images()).hasSize(1);
      }
    }

    @Test
    void anSdxlUnetIsRefusedNamingTheInputsItWouldNeed(@TempDir Path dir) throws IOException {
      copyTree(ROOT.resolve("sd2-optimum"), dir);
      Files.copy(ROOT.resolve("sdxl-shaped-unet.onnx"), dir.resolve("unet/model.onnx"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThatThrownBy(() -> backend.image(dir.toString())).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("unet/model.onnx").hasMessageContaining("[text_embeds, time_ids]")
          .hasMessageContaining("SDXL");
    }

    @Test
    void unknownModelSettingsAreRefused() {
      assertThatThrownBy(() -> backend.image(ROOT.resolve("sd1-legacy").toString(),
          ModelOptions.defaults().withSetting("sampler", "x"))).hasMessageContaining("sampler");
    }
  }

  @Nested
  class Contract extends ImageGeneratorContract {
    @Override
    protected ImageGenerator openGenerator() {
      return backend.image(ROOT.resolve("sd2-optimum").toString());
    }

    @Override
    protected boolean deterministicWithSeed() {
      return true;
    }

    @Override
    protected boolean reportsProgress() {
      return true;
    }

    @Override
    protected ImageRequest request() {
      return ImageRequest.builder("a small test picture").steps(2).size(64, 64).seed(1).build();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(f);
      }
    }
  }
}

package dev.muse4j.onnx.internal.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.BackendConfig;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicRequest;
import dev.muse4j.SamplingConfig;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.session.SessionSettings;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.spi.Cancellation;
import dev.muse4j.spi.Job;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine against PyTorch: tools/fixtures/make_musicgen.py ran transformers' MusicGen generation (greedy, guidance
 * 3, recomputing the whole sequence at every step) on the same weights and recorded the codes and first samples.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MusicGenEngineTest {
  private static final Path DIR = Path.of("src", "test", "resources", "fixtures", "musicgen-tiny");
  private final ObjectMapper json = new ObjectMapper();
  private MusicGenEngine engine;
  private JsonNode reference;

  @BeforeAll
  void open() throws Exception {
    engine = MusicGenEngine.open(DIR.toString(), DIR, ModelOptions.defaults(),
        SessionFactory.create(SessionSettings.from(BackendConfig.empty())), json);
    reference = json.readTree(DIR.resolve("reference.json").toFile());
  }

  @AfterAll
  void close() {
    engine.close();
  }

  private MusicRequest greedy() {
    int frames = reference.path("frames").asInt();
    return MusicRequest.builder(reference.path("prompt").asText())
        .duration(Duration.ofMillis(frames * 1000L / 50)).guidanceScale(reference.path("guidance_scale").asDouble())
        .sampling(SamplingConfig.builder().topK(1).build()).seed(1).build();
  }

  @Test
  void readsTheConfigs() {
    MusicGenConfig c = engine.config();
    assertThat(c.codebooks).isEqualTo(4);
    assertThat(c.vocabulary).isEqualTo(2048);
    assertThat(c.pad).isEqualTo(2048);
    assertThat(c.decoderStart).isEqualTo(2048);
    assertThat(c.sampleRate).isEqualTo(32000);
    assertThat(c.frameRate).isEqualTo(50);
    assertThat(c.guidanceScale).isEqualTo(3.0);
    assertThat(c.sampling.topK()).hasValue(250);
    assertThat(c.maxFrames()).isEqualTo(250);
    assertThat(engine.limits().maxDuration()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void greedyCodesAreTorchs() {
    int[][] codes = engine.codes(Job.of(greedy())).codes;

    int[][] expected = json.convertValue(reference.path("codes"), int[][].class);
    assertThat(codes).isDeepEqualTo(expected);
  }

  @Test
  void theAudioIsEnCodecsOfThoseCodes() {
    float[] samples = engine.generate(Job.of(greedy())).audio().samples();

    assertThat(samples).hasSize(reference.path("samples").asInt());
    JsonNode first = reference.path("first_samples");
    for (int i = 0; i < first.size(); i++) {
      assertThat(samples[i]).as("sample %d", i).isCloseTo((float) first.get(i).asDouble(), within(2e-4f));
    }
  }

  @Test
  void cancellingBetweenStepsStopsTheLoop() {
    Cancellation cancellation = Cancellation.create();
    AtomicInteger steps = new AtomicInteger();
    Job<MusicRequest> job = Job.of(greedy(), cancellation, (stage, step, total) -> {
      if (steps.incrementAndGet() == 3) {
        cancellation.cancel();
      }
    }, null);

    assertThatThrownBy(() -> engine.generate(job)).isInstanceOf(GenerationCancelledException.class);
    assertThat(steps).hasValue(3);
    // the engine is still usable: nothing was left half-open
    assertThat(engine.codes(Job.of(greedy())).codes).isDeepEqualTo(
        json.convertValue(reference.path("codes"), int[][].class));
  }

  @Test
  void theCodesFollowTheDelayPattern() {
    int[][] codes = engine.codes(Job.of(greedy())).codes;
    int[][] delayed = MusicGenMath.delay(codes, 2048);

    assertThat(MusicGenMath.undelay(delayed)).isDeepEqualTo(codes);
    assertThat(delayed[3][2]).isEqualTo(2048);
    assertThat(delayed[0][codes[0].length]).isEqualTo(2048);
  }

  @Test
  void theFloat16VariantRunsWithTheFloat32TextEncoderAndDecodesTheSameFirstCodes() {
    MusicGenEngine half = MusicGenEngine.open(DIR.toString(), DIR, ModelOptions.defaults()
        .withSetting("variant", "fp16"), SessionFactory.create(SessionSettings.from(BackendConfig.empty())), json);
    try {
      // hidden states converted to float16 for the decoder; float16 caches, logits and audio
      int[][] codes = half.codes(Job.of(greedy())).codes;
      int[][] expected = json.convertValue(reference.path("codes"), int[][].class);
      // float16 weights, caches and logits round differently, and greedy decoding of random weights drifts apart
      // once one token differs; the first frames (8 steps, the float16 cache fed back 7 times) agree
      for (int c = 0; c < codes.length; c++) {
        assertThat(java.util.Arrays.copyOf(codes[c], 5)).as("codebook %d", c)
            .isEqualTo(java.util.Arrays.copyOf(expected[c], 5));
      }
      float[] samples = half.generate(Job.of(greedy())).audio().samples();
      assertThat(samples).hasSize(reference.path("samples").asInt());
      for (float v : samples) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    } finally {
      half.close();
    }
  }

  @Test
  void float16ConversionRoundsToNearest() {
    for (float v : new float[] {0f, 1f, -2.5f, 65504f, 1e-5f, 3.14159f, 6.1e-5f}) {
      float back = dev.muse4j.onnx.internal.text.Float16.toFloat(dev.muse4j.onnx.internal.text.Float16.fromFloat(v));
      assertThat(back).isCloseTo(v, within(Math.abs(v) / 1000f + 1e-7f));
    }
    assertThat(dev.muse4j.onnx.internal.text.Float16.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
  }

  @Test
  void theRealT5TokenizerEndsADescriptionWithEos() {
    Path t5 = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "tokenizers", "t5-small",
        "tokenizer.json");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(t5), t5 + " is not present");
    try (dev.muse4j.onnx.internal.tokenizer.TextTokenizer tokenizer =
        dev.muse4j.onnx.internal.tokenizer.TextTokenizer.load(t5, "t5-small", json)) {
      long[] ids = tokenizer.encode("80s pop track with bassy drums and synth", true);

      assertThat(ids[ids.length - 1]).as("</s>").isEqualTo(1L);
      assertThat(tokenizer.decode(ids)).isEqualTo("80s pop track with bassy drums and synth");
    }
  }

  @Test
  void concurrentGenerationsKeepTheirOwnCaches() throws Exception {
    MusicRequest a = MusicRequest.builder("a calm piano melody").duration(Duration.ofMillis(300)).seed(11).build();
    MusicRequest b = MusicRequest.builder("fast rock with drums").duration(Duration.ofMillis(500)).seed(12).build();
    float[] soloA = engine.generate(Job.of(a)).audio().samples();
    float[] soloB = engine.generate(Job.of(b)).audio().samples();

    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<float[]>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        MusicRequest r = i % 2 == 0 ? a : b;
        runs.add(pool.submit(() -> engine.generate(Job.of(r)).audio().samples()));
      }
      for (int i = 0; i < runs.size(); i++) {
        assertThat(runs.get(i).get()).isEqualTo(i % 2 == 0 ? soloA : soloB);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

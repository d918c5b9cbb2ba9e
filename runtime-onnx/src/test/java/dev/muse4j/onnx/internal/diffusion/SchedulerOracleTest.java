package dev.muse4j.onnx.internal.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.spi.TorchGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays what diffusers' own schedulers computed ({@code tools/fixtures/make_schedulers.py}).
 *
 * <ul>
 *   <li>Every scheduler on SD 1.5, SD 2.1 v-prediction, SD-Turbo, LCM, linspace, cosine and clean-sample-prediction
 *       configs (and PNDM's Runge-Kutta warm-up) at 1, 4 and 20 steps: from the timesteps to the latents after every
 *       step, and img2img's noising and run from a later step.</li>
 *   <li>img2img set up from a strength as diffusers' pipelines do.</li>
 *   <li>The timesteps alone at odd step counts.</li>
 * </ul>
 */
class SchedulerOracleTest {
  /**
   * How far a value may be from diffusers', relative to max(|expected|, 1), per scheduler.
   *
   * <ul>
   *   <li>euler, ddim and pndm use only +, −, ×, ÷, √ and fused multiply-adds, which Java rounds as PyTorch's
   *       float32 kernels do: they must agree to the bit.</li>
   *   <li>dpmpp_2m takes logs and exps of its sigmas, which PyTorch computes with Sleef's vector functions (up to
   *       1 ulp off the correctly rounded value Java gives); a coefficient an ulp apart moves the latents by about
   *       1e-7 per step, 2e-6 after 20.</li>
   *   <li>euler_a and lcm add noise drawn from the generator, and {@link TorchGenerator} matches
   *       {@code torch.randn} to about 4e-7, not to the bit (PyTorch's Box–Muller uses approximate vector log and
   *       sin/cos); euler_a multiplies that noise by sigma_up, up to 157 with linear betas, so 2e-5 is seen.</li>
   * </ul>
   */
  private static double tolerance(String scheduler) {
    return switch (scheduler) {
      case "dpmpp_2m" -> 5e-6;
      case "euler_a", "lcm" -> 5e-5;
      default -> 0;
    };
  }

  private static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException {
    fixture = new ObjectMapper().readTree(
        Path.of("src", "test", "resources", "fixtures", "diffusion", "schedulers.json").toFile());
  }

  static Stream<Arguments> cases() throws IOException {
    load();
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : fixture.get("cases")) {
      out.add(Arguments.of(c.get("scheduler").asText() + " " + c.get("config").asText() + " " + c.get("steps").asInt()
          + " steps", c));
    }
    return out.stream();
  }

  static Stream<Arguments> strengths() throws IOException {
    load();
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : fixture.get("strengths")) {
      out.add(Arguments.of(c.get("scheduler").asText() + " img2img at strength " + c.get("strength").asDouble(), c));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strengths")
  void img2imgAtAStrengthMatchesDiffusersPipelines(String title, JsonNode c) {
    SchedulerConfig config = SchedulerConfig.of(fixture.get("configs").get(c.get("config").asText()));
    String name = c.get("scheduler").asText();
    Schedulers.Img2img img = Schedulers.createForImage(name, config, c.get("steps").asInt(),
        c.get("strength").asDouble());

    assertThat(img.scheduler().timesteps()).as("timesteps").containsExactly(floats(c.get("timesteps")));
    assertThat(img.firstStep()).isEqualTo(c.get("begin").asInt());
    int n = size();
    float[] latents = new Exact(fixture.get("clean_seed").asLong()).next(n);
    float[] noise = new Exact(fixture.get("noise_seed").asLong()).next(n);
    img.scheduler().addNoise(latents, noise, img.firstStep());
    assertClose(latents, decode(c.get("noised").asText()), 0, "add_noise");
    replay(img.scheduler(), latents, img.firstStep(), c.get("trajectory"), c.get("denoised"), tolerance(name), title);
  }

  static Stream<Arguments> schedules() throws IOException {
    load();
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : fixture.get("schedules")) {
      out.add(Arguments.of(c.get("scheduler").asText() + " " + c.get("config").asText() + " " + c.get("steps").asInt()
          + " steps", c));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void schedulesForOddStepCountsMatchDiffusers(String title, JsonNode c) {
    SchedulerConfig config = SchedulerConfig.of(fixture.get("configs").get(c.get("config").asText()));
    String name = c.get("scheduler").asText();
    int steps = c.get("steps").asInt();
    if (c.has("error")) {
      assertThatThrownBy(() -> Schedulers.create(name, config, steps)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    Scheduler scheduler = Schedulers.create(name, config, steps);

    assertThat(scheduler.timesteps()).as("timesteps").containsExactly(floats(c.get("timesteps")));
    if (c.has("sigmas")) {
      float[] sigmas = scheduler instanceof EulerScheduler e ? e.sigmas() : ((DpmSolverScheduler) scheduler).sigmas();
      assertClose(sigmas, floats(c.get("sigmas")), 0, "sigmas");
    }
  }

  @Test
  void fixtureCoversEverySchedulerAndConfig() {
    List<String> schedulers = new ArrayList<>();
    List<String> configs = new ArrayList<>();
    for (JsonNode c : fixture.get("cases")) {
      schedulers.add(c.get("scheduler").asText());
      configs.add(c.get("config").asText());
    }
    assertThat(schedulers).containsAll(Schedulers.NAMES);
    assertThat(configs).contains("sd15", "sd21v", "turbo", "linspace", "lcm", "cosine", "prk", "x0");
    assertThat(fixture.get("cases")).hasSizeGreaterThan(80);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesDiffusers(String title, JsonNode c) {
    SchedulerConfig config = SchedulerConfig.of(fixture.get("configs").get(c.get("config").asText()));
    String name = c.get("scheduler").asText();
    int steps = c.get("steps").asInt();
    Scheduler scheduler = Schedulers.create(name, config, steps);
    double tolerance = tolerance(name);

    assertThat(scheduler.name()).isEqualTo(name);
    assertThat(scheduler.timesteps()).as("timesteps").containsExactly(floats(c.get("timesteps")));
    assertClose(new float[] {scheduler.initNoiseSigma()}, new float[] {(float) c.get("init_noise_sigma").asDouble()},
        0, "init_noise_sigma");
    float[] scales = new float[scheduler.timesteps().length];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = scheduler.inputScale(i);
    }
    assertClose(scales, floats(c.get("input_scales")), 0, "input scales");
    if (c.has("sigmas")) {
      float[] sigmas = scheduler instanceof EulerScheduler e ? e.sigmas() : ((DpmSolverScheduler) scheduler).sigmas();
      assertClose(sigmas, floats(c.get("sigmas")), 0, "sigmas");
    }

    int n = size();
    float[] sample = new Exact(fixture.get("sample_seed").asLong()).next(n);
    for (int i = 0; i < n; i++) {
      sample[i] = sample[i] * scheduler.initNoiseSigma();
    }
    replay(scheduler, sample, 0, c.get("trajectory"), c.get("denoised"), tolerance, title);

    if (c.has("img2img")) {
      JsonNode img = c.get("img2img");
      int begin = img.get("begin").asInt();
      Scheduler later = Schedulers.create(name, config, steps);
      later.beginAt(begin);
      float[] latents = new Exact(fixture.get("clean_seed").asLong()).next(n);
      float[] noise = new Exact(fixture.get("noise_seed").asLong()).next(n);
      later.addNoise(latents, noise, begin);
      assertClose(latents, decode(img.get("noised").asText()), 0, "add_noise at step " + begin);
      if (img.has("trajectory")) {
        replay(later, latents, begin, img.get("trajectory"), img.get("denoised"), tolerance, title + " img2img");
      }
    }
  }

  private static void replay(Scheduler scheduler, float[] sample, int begin, JsonNode trajectory,
      JsonNode denoised, double tolerance, String title) {
    int n = sample.length;
    float[] expected = decode(trajectory.asText());
    Exact model = new Exact(fixture.get("model_seed").asLong());
    TorchGenerator noise = new TorchGenerator(fixture.get("step_seed").asLong());
    int count = scheduler.timesteps().length - begin;
    assertThat(expected).hasSize(count * n);
    for (int k = 0; k < count; k++) {
      float[] output = model.next(n);
      float[] before = output.clone();
      scheduler.step(begin + k, output, sample, noise);
      assertThat(output).as("model output left alone").containsExactly(before);
      float[] want = new float[n];
      System.arraycopy(expected, k * n, want, 0, n);
      assertClose(sample, want, tolerance, title + ": prev_sample after step " + (begin + k));
    }
    if (denoised != null) {
      assertClose(scheduler.finalLatents(sample), decode(denoised.asText()), tolerance, title + ": denoised");
    } else {
      assertThat(scheduler.finalLatents(sample)).isSameAs(sample);
    }
  }

  private static int size() {
    int n = 1;
    for (JsonNode d : fixture.get("shape")) {
      n *= d.asInt();
    }
    return n;
  }

  /** Fails unless each value is within {@code tolerance × max(|expected|, 1)} of diffusers' (0: the same float). */
  static void assertClose(float[] actual, float[] expected, double tolerance, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      double bound = tolerance * Math.max(Math.abs(expected[i]), 1.0);
      if (!(Math.abs(actual[i] - expected[i]) <= bound) && !(actual[i] == expected[i])) {
        throw new AssertionError(what + ": value " + i + " is " + actual[i] + ", diffusers has " + expected[i]
            + " (difference " + (actual[i] - expected[i]) + ")");
      }
    }
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  /** The fixture's exact inputs: a 64-bit LCG whose values are 24-bit integers / 2^22 - 2, floats in [-2, 2). */
  static final class Exact {
    private long state;

    Exact(long seed) {
      state = seed;
    }

    float[] next(int n) {
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        out[i] = (float) (((state >>> 40) - (1 << 23)) / (double) (1 << 22));
      }
      return out;
    }
  }

  static float[] decode(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }
}

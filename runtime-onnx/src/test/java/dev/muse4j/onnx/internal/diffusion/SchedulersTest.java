package dev.muse4j.onnx.internal.diffusion;

import static dev.muse4j.onnx.internal.diffusion.SchedulerConfigTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.spi.TorchGenerator;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class SchedulersTest {
  private static final String SD15 = """
      {"_class_name": "PNDMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
       "num_train_timesteps": 1000, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1,
       "trained_betas": null, "clip_sample": false}""";
  static final List<String> NAMES = Schedulers.NAMES;

  @Test
  void anUnknownNameListsTheSupportedOnes() {
    assertThatThrownBy(() -> Schedulers.create("heun", parse(SD15), 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heun")
        .hasMessageContaining("euler, euler_a, ddim, dpmpp_2m, lcm, pndm");
  }

  @ParameterizedTest
  @FieldSource("NAMES")
  void stepsMustBeAtLeastOneAndAtMostTheTrainingSteps(String name) {
    assertThatThrownBy(() -> Schedulers.create(name, parse(SD15), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Schedulers.create(name, parse("{\"num_train_timesteps\": 100}"), 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("num_train_timesteps");
  }

  @Test
  void lcmTakesAtMostItsOriginalSteps() {
    assertThat(Schedulers.create("lcm", parse(SD15), 50).timesteps()).hasSize(50);
    assertThatThrownBy(() -> Schedulers.create("lcm", parse(SD15), 51))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("original_inference_steps");
  }

  @ParameterizedTest
  @CsvSource({
      "PNDMScheduler, pndm",
      "EulerDiscreteScheduler, euler",
      "EulerAncestralDiscreteScheduler, euler_a",
      "DDIMScheduler, ddim",
      "DPMSolverMultistepScheduler, dpmpp_2m",
      "LCMScheduler, lcm",
  })
  void theDefaultIsTheClassTheFileNames(String className, String name) {
    assertThat(Schedulers.defaultName(parse("{\"_class_name\": \"" + className + "\"}"))).isEqualTo(name);
  }

  @Test
  void pndmWithoutSkipPrkStepsNeedsFourSteps() {
    String json = "{\"skip_prk_steps\": false}";

    assertThat(Schedulers.create("pndm", parse(json), 4).timesteps()).hasSize(13);
    assertThatThrownBy(() -> Schedulers.create("pndm", parse(json), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("skip_prk_steps")
        .hasMessageContaining("at least 4");
  }

  @Test
  void img2imgRunsTheStrengthsShareOfTheSteps() {
    Schedulers.Img2img ddim = Schedulers.createForImage("ddim", parse(SD15), 20, 0.75);
    Schedulers.Img2img lcm = Schedulers.createForImage("lcm", parse(SD15), 4, 0.5);

    assertThat(ddim.firstStep()).isEqualTo(5);
    assertThat(ddim.scheduler().timesteps()).hasSize(20);
    assertThat(ddim.scheduler().timesteps()[ddim.firstStep()]).isEqualTo(701);
    assertThat(lcm.firstStep()).isZero();
    assertThat(lcm.scheduler().timesteps()).as("from the lowest 25 of 50").containsExactly(499, 379, 259, 139);
    assertThat(Schedulers.createForImage("euler", parse(SD15), 20, 1.0).firstStep()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"ddim, 20, 0", "ddim, 20, 1.5", "ddim, 20, -0.5", "euler, 20, 0.04", "lcm, 4, 0.05", "lcm, 4, NaN"})
  void img2imgRefusesAStrengthThatLeavesNoStep(String name, int steps, double strength) {
    assertThatThrownBy(() -> Schedulers.createForImage(name, parse(SD15), steps, strength))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strength");
  }

  @Test
  void noDefaultForAClassThisSdkLacks() {
    assertThat(Schedulers.defaultName(parse("{\"_class_name\": \"LMSDiscreteScheduler\"}"))).isNull();
    assertThat(Schedulers.defaultName(parse("{}"))).isNull();
  }

  @Test
  void eachSchedulerUsesItsOwnDefaultsForFieldsTheFileLacks() {
    // SD 1.5's file has no timestep_spacing: Euler's default is linspace, PNDM's and DDIM's leading
    assertThat(Schedulers.create("euler", parse(SD15), 4).timesteps()).containsExactly(999, 666, 333, 0);
    assertThat(Schedulers.create("ddim", parse(SD15), 4).timesteps()).containsExactly(751, 501, 251, 1);
    assertThat(Schedulers.create("pndm", parse(SD15), 4).timesteps()).containsExactly(751, 501, 501, 251, 1);
    assertThat(Schedulers.create("dpmpp_2m", parse(SD15), 4).timesteps()).containsExactly(999, 749, 500, 250);
    // when the file names the spacing, every scheduler follows it
    String leading = SD15.replace("\"steps_offset\": 1", "\"steps_offset\": 1, \"timestep_spacing\": \"leading\"");
    assertThat(Schedulers.create("euler", parse(leading), 4).timesteps()).containsExactly(751, 501, 251, 1);
  }

  @Test
  void classDefaultsApplyToFieldsTheFileLacks() {
    // LCM's betas default to scaled_linear 0.00085..0.012; DDIM's to linear 0.0001..0.02 and clip_sample true;
    // PNDM's set_alpha_to_one to false
    String lcmDefaults = "{\"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012}";
    String ddimDefaults = "{\"beta_schedule\": \"linear\", \"beta_start\": 0.0001, \"beta_end\": 0.02,"
        + " \"clip_sample\": true, \"set_alpha_to_one\": true}";

    assertThat(run("lcm", "{}")).containsExactly(run("lcm", lcmDefaults));
    assertThat(run("lcm", "{}")).isNotEqualTo(run("lcm", ddimDefaults));
    assertThat(run("ddim", "{}")).containsExactly(run("ddim", ddimDefaults));
    assertThat(run("ddim", "{}")).as("clipping is on").isNotEqualTo(run("ddim", "{\"clip_sample\": false}"));
    assertThat(run("pndm", "{\"skip_prk_steps\": true}"))
        .containsExactly(run("pndm", "{\"skip_prk_steps\": true, \"set_alpha_to_one\": false}"))
        .isNotEqualTo(run("pndm", "{\"skip_prk_steps\": true, \"set_alpha_to_one\": true}"));
  }

  /** Four steps of a scheduler on fixed latents whose model outputs are large, so that clipping shows. */
  private static float[] run(String name, String json) {
    Scheduler scheduler = Schedulers.create(name, parse(json), 4);
    float[] sample = new TorchGenerator(1).randn(16);
    float[] output = new TorchGenerator(2).randn(16);
    for (int i = 0; i < output.length; i++) {
      output[i] *= 3;
    }
    for (int i = 0; i < scheduler.timesteps().length; i++) {
      scheduler.step(i, output, sample, new TorchGenerator(3));
    }
    return scheduler.finalLatents(sample);
  }

  @Test
  void eulerScalesItsInputAndStartsFromTheLargestSigma() {
    Scheduler euler = Schedulers.create("euler", parse(SD15), 20);
    float sigma = ((EulerScheduler) euler).sigmas()[0];

    assertThat(sigma).isCloseTo(14.6146f, Offset.offset(1e-4f));
    assertThat(euler.initNoiseSigma()).isEqualTo(sigma);
    assertThat(euler.inputScale(0)).isEqualTo(1f / (float) Math.sqrt(sigma * sigma + 1f));
    assertThat(((EulerScheduler) euler).sigmas()[20]).isZero();
    assertThat(Schedulers.create("pndm", parse(SD15), 20).inputScale(3)).isEqualTo(1f);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "euler    | {\"use_karras_sigmas\": true}          | use_karras_sigmas",
      "euler    | {\"interpolation_type\": \"log_linear\"} | interpolation_type",
      "euler    | {\"final_sigmas_type\": \"sigma_min\"}   | final_sigmas_type",
      "dpmpp_2m | {\"use_karras_sigmas\": true}          | use_karras_sigmas",
      "dpmpp_2m | {\"solver_type\": \"bh2\"}               | solver_type",
      "dpmpp_2m | {\"variance_type\": \"learned_range\"}   | variance_type",
      "dpmpp_2m | {\"use_lu_lambdas\": true}             | use_lu_lambdas",
      "euler_a  | {\"prediction_type\": \"sample\"}        | prediction_type",
      "pndm     | {\"prediction_type\": \"sample\"}        | prediction_type",
  })
  void namesTheFieldASchedulerCannotHonour(String name, String json, String field) {
    assertThatThrownBy(() -> Schedulers.create(name, parse(json), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field)
        .hasMessageContaining(name);
  }

  @Test
  void fieldsSetToTheirSupportedValueAreAccepted() {
    String json = "{\"use_karras_sigmas\": false, \"solver_type\": \"heun\", \"final_sigmas_type\": \"zero\","
        + " \"lower_order_final\": false, \"interpolation_type\": \"linear\"}";

    assertThat(Schedulers.create("dpmpp_2m", parse(json), 10).timesteps()).hasSize(10);
    assertThat(Schedulers.create("euler", parse(json), 10).timesteps()).hasSize(10);
  }

  @ParameterizedTest
  @FieldSource("NAMES")
  void drawsNoiseAsDiffusersDoesOneTensorPerStep(String name) {
    Scheduler scheduler = Schedulers.create(name, parse(SD15), 4);
    int n = 2 * 4 * 3 * 3; // a batch of two, not a multiple of 16: one draw of 72, not two of 36
    TorchGenerator used = new TorchGenerator(5);
    TorchGenerator expected = new TorchGenerator(5);
    float[] sample = new TorchGenerator(1).randn(n);
    float[] output = new TorchGenerator(2).randn(n);
    int count = scheduler.timesteps().length;
    for (int i = 0; i < count; i++) {
      scheduler.step(i, output, sample, used);
      boolean draws = name.equals("euler_a") || name.equals("lcm") && i < count - 1;
      if (draws) {
        expected.randn(n);
      }
    }

    assertThat(used.nextInt32()).as("the generator is where one randn(%d) per drawing step leaves it", n)
        .isEqualTo(expected.nextInt32());
  }

  @ParameterizedTest
  @FieldSource("NAMES")
  void beginAtForgetsEarlierSteps(String name) {
    int n = 32;
    float[] start = new TorchGenerator(1).randn(n);
    float[] output = new TorchGenerator(2).randn(n);
    Scheduler fresh = Schedulers.create(name, parse(SD15), 6);
    fresh.beginAt(2);
    float[] expected = start.clone();
    for (int i = 2; i < 6; i++) {
      fresh.step(i, output, expected, new TorchGenerator(i));
    }

    Scheduler reused = Schedulers.create(name, parse(SD15), 6);
    float[] scratch = start.clone();
    reused.step(0, output, scratch, new TorchGenerator(9));
    reused.step(1, output, scratch, new TorchGenerator(9));
    reused.beginAt(2);
    float[] actual = start.clone();
    for (int i = 2; i < 6; i++) {
      reused.step(i, output, actual, new TorchGenerator(i));
    }

    assertThat(actual).containsExactly(expected);
    assertThat(reused.finalLatents(actual)).containsExactly(fresh.finalLatents(expected));
  }

  @Test
  void lcmDecodesTheLastDenoisedPrediction() {
    Scheduler lcm = Schedulers.create("lcm", parse(SD15), 2);
    float[] sample = new TorchGenerator(1).randn(16);
    assertThat(lcm.finalLatents(sample)).as("before any step").isSameAs(sample);
    float[] output = new TorchGenerator(2).randn(16);
    TorchGenerator noise = new TorchGenerator(3);

    lcm.step(0, output, sample, noise);
    float[] afterFirst = lcm.finalLatents(sample);
    assertThat(afterFirst).isNotSameAs(sample);
    assertThat(Arrays.equals(afterFirst, sample)).as("noised again between steps").isFalse();
    lcm.step(1, output, sample, noise);
    assertThat(lcm.finalLatents(sample)).containsExactly(sample);
  }

  @ParameterizedTest
  @FieldSource("NAMES")
  void refusesMismatchedLengthsAndIndicesOutsideTheSchedule(String name) {
    Scheduler scheduler = Schedulers.create(name, parse(SD15), 4);

    assertThatThrownBy(() -> scheduler.step(0, new float[8], new float[16], new TorchGenerator(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
    assertThatThrownBy(() -> scheduler.addNoise(new float[16], new float[8], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scheduler.beginAt(scheduler.timesteps().length))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scheduler.beginAt(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.muse4j.onnx.internal.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulerConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static SchedulerConfig parse(String json) {
    try {
      return SchedulerConfig.of(JSON.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEmptyFileGivesDiffusersDefaults() {
    SchedulerConfig c = parse("{}");

    assertThat(c.className()).isEmpty();
    assertThat(c.numTrainTimesteps()).isEqualTo(1000);
    assertThat(c.betaStart()).isEqualTo(0.0001);
    assertThat(c.betaEnd()).isEqualTo(0.02);
    assertThat(c.betaSchedule()).isEqualTo("linear");
    assertThat(c.predictionType()).isEqualTo("epsilon");
    assertThat(c.timestepSpacing()).isEqualTo("leading");
    assertThat(c.stepsOffset()).isZero();
    assertThat(c.setAlphaToOne()).isTrue();
    assertThat(c.clipSample()).isFalse();
    assertThat(c.clipSampleRange()).isEqualTo(1.0);
    assertThat(c.skipPrkSteps()).isFalse();
    assertThat(c.originalInferenceSteps()).isEqualTo(50);
    assertThat(c.timestepScaling()).isEqualTo(10.0);
    assertThat(c.declares("timestep_spacing")).isFalse();
    assertThat(SchedulerConfig.defaults()).isEqualTo(c);
  }

  @Test
  void readsAStableDiffusion15File() {
    SchedulerConfig c = parse("""
        {"_class_name": "PNDMScheduler", "_diffusers_version": "0.6.0", "beta_end": 0.012,
         "beta_schedule": "scaled_linear", "beta_start": 0.00085, "num_train_timesteps": 1000,
         "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1, "trained_betas": null,
         "clip_sample": false}""");

    assertThat(c.className()).isEqualTo("PNDMScheduler");
    assertThat(c.betaStart()).isEqualTo(0.00085);
    assertThat(c.betaEnd()).isEqualTo(0.012);
    assertThat(c.betaSchedule()).isEqualTo("scaled_linear");
    assertThat(c.setAlphaToOne()).isFalse();
    assertThat(c.skipPrkSteps()).isTrue();
    assertThat(c.stepsOffset()).isEqualTo(1);
    assertThat(c.timestepSpacing()).as("absent: the default").isEqualTo("leading");
    assertThat(c.declares("steps_offset")).isTrue();
    assertThat(c.declares("trained_betas")).as("null counts as absent").isFalse();
    assertThat(c.raw().get("_diffusers_version").asText()).isEqualTo("0.6.0");
    assertThat(Schedulers.defaultName(c)).isEqualTo("pndm");
  }

  @Test
  void readsAnLcmAndAVPredictionFile() {
    SchedulerConfig lcm = parse("""
        {"_class_name": "LCMScheduler", "original_inference_steps": 25, "timestep_scaling": 5.0,
         "timestep_spacing": "trailing", "clip_sample_range": 2.5, "clip_sample": true, "thresholding": false,
         "rescale_betas_zero_snr": false}""");
    SchedulerConfig v = parse("{\"prediction_type\": \"v_prediction\", \"num_train_timesteps\": 1000.0}");

    assertThat(lcm.originalInferenceSteps()).isEqualTo(25);
    assertThat(lcm.timestepScaling()).isEqualTo(5.0);
    assertThat(lcm.timestepSpacing()).isEqualTo("trailing");
    assertThat(lcm.clipSample()).isTrue();
    assertThat(lcm.clipSampleRange()).isEqualTo(2.5);
    assertThat(v.predictionType()).isEqualTo("v_prediction");
    assertThat(v.numTrainTimesteps()).isEqualTo(1000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"beta_schedule\": \"sigmoid\"}                 | beta_schedule",
      "{\"prediction_type\": \"flow_prediction\"}       | prediction_type",
      "{\"timestep_spacing\": \"uniform\"}              | timestep_spacing",
      "{\"thresholding\": true}                         | thresholding",
      "{\"trained_betas\": [0.1, 0.2]}                  | trained_betas",
      "{\"rescale_betas_zero_snr\": true}               | rescale_betas_zero_snr",
      "{\"num_train_timesteps\": \"many\"}              | num_train_timesteps",
      "{\"num_train_timesteps\": 1}                     | num_train_timesteps",
      "{\"steps_offset\": 1.5}                          | steps_offset",
      "{\"set_alpha_to_one\": \"yes\"}                  | set_alpha_to_one",
      "{\"beta_start\": \"small\"}                       | beta_start",
      "{\"original_inference_steps\": 0}                | original_inference_steps",
  })
  void namesTheFieldItCannotTake(String json, String field) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field);
  }

  @Test
  void listsTheSupportedValues() {
    assertThatThrownBy(() -> parse("{\"beta_schedule\": \"sigmoid\"}"))
        .hasMessageContaining("linear").hasMessageContaining("scaled_linear")
        .hasMessageContaining("squaredcos_cap_v2");
  }

  @Test
  void refusesAFileThatIsNotAnObject() throws Exception {
    JsonNode array = JSON.readTree("[1, 2]");

    assertThatThrownBy(() -> SchedulerConfig.of(array))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object");
  }
}

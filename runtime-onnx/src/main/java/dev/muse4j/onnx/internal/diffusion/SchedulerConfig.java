package dev.muse4j.onnx.internal.diffusion;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model's {@code scheduler_config.json}, with diffusers' defaults for absent fields. Immutable.
 *
 * @param className {@code _class_name}, or empty
 * @param numTrainTimesteps {@code num_train_timesteps} (1000)
 * @param betaStart {@code beta_start} (0.0001)
 * @param betaEnd {@code beta_end} (0.02)
 * @param betaSchedule {@code beta_schedule}: {@code linear}, {@code scaled_linear} or {@code squaredcos_cap_v2}
 * @param predictionType {@code epsilon}, {@code v_prediction} or {@code sample}
 * @param timestepSpacing {@code leading}, {@code trailing} or {@code linspace}
 * @param stepsOffset {@code steps_offset} (0)
 * @param setAlphaToOne {@code set_alpha_to_one} (true)
 * @param clipSample {@code clip_sample}
 * @param clipSampleRange {@code clip_sample_range} (1.0)
 * @param skipPrkSteps {@code skip_prk_steps} (PNDM)
 * @param originalInferenceSteps {@code original_inference_steps} (LCM, 50)
 * @param timestepScaling {@code timestep_scaling} (LCM, 10.0)
 * @param raw the whole JSON, for fields a scheduler reads that are not listed here
 */
public record SchedulerConfig(String className, int numTrainTimesteps, double betaStart, double betaEnd,
    String betaSchedule, String predictionType, String timestepSpacing, int stepsOffset, boolean setAlphaToOne,
    boolean clipSample, double clipSampleRange, boolean skipPrkSteps, int originalInferenceSteps,
    double timestepScaling, JsonNode raw) {

  /**
   * Reads a config, with diffusers' defaults for absent fields.
   *
   * @param json the parsed file
   * @return the config
   * @throws IllegalArgumentException naming a field whose value is not supported
   */
  public static SchedulerConfig of(JsonNode json) {
    throw new UnsupportedOperationException("written by the scheduler change");
  }
}

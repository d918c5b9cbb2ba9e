package dev.muse4j.onnx.internal.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Set;

/**
 * A model's {@code scheduler_config.json}, with diffusers' defaults for absent fields. Immutable.
 *
 * <p>The defaults below are those of diffusers' {@code DDIMScheduler} (its {@code clip_sample} aside, false here).
 * diffusers' scheduler classes do not all share them: building, say, Euler from a file written for PNDM, a field the
 * file does not have takes Euler's default ({@code timestep_spacing} is {@code linspace} there, {@code leading} for
 * PNDM). The schedulers {@link Schedulers#create} makes do the same, asking {@link #declares} which fields the file
 * has.
 *
 * @param className {@code _class_name}, or empty
 * @param numTrainTimesteps {@code num_train_timesteps} (1000)
 * @param betaStart {@code beta_start} (0.0001)
 * @param betaEnd {@code beta_end} (0.02)
 * @param betaSchedule {@code beta_schedule}: {@code linear} (the default), {@code scaled_linear} or
 *     {@code squaredcos_cap_v2}
 * @param predictionType {@code epsilon} (the default), {@code v_prediction} or {@code sample}
 * @param timestepSpacing {@code leading} (the default), {@code trailing} or {@code linspace}
 * @param stepsOffset {@code steps_offset} (0)
 * @param setAlphaToOne {@code set_alpha_to_one} (true)
 * @param clipSample {@code clip_sample} (false)
 * @param clipSampleRange {@code clip_sample_range} (1.0)
 * @param skipPrkSteps {@code skip_prk_steps} (PNDM, false)
 * @param originalInferenceSteps {@code original_inference_steps} (LCM, 50)
 * @param timestepScaling {@code timestep_scaling} (LCM, 10.0)
 * @param raw the whole JSON, for fields a scheduler reads that are not listed here
 */
public record SchedulerConfig(String className, int numTrainTimesteps, double betaStart, double betaEnd,
    String betaSchedule, String predictionType, String timestepSpacing, int stepsOffset, boolean setAlphaToOne,
    boolean clipSample, double clipSampleRange, boolean skipPrkSteps, int originalInferenceSteps,
    double timestepScaling, JsonNode raw) {

  private static final Set<String> BETA_SCHEDULES = Set.of("linear", "scaled_linear", "squaredcos_cap_v2");
  private static final Set<String> PREDICTION_TYPES = Set.of("epsilon", "v_prediction", "sample");
  private static final Set<String> SPACINGS = Set.of("leading", "trailing", "linspace");

  /**
   * Reads a config, with diffusers' defaults for absent fields.
   *
   * <p>Rejects what no supported scheduler does: an unknown beta schedule, prediction type or timestep spacing,
   * {@code thresholding}, {@code trained_betas} and {@code rescale_betas_zero_snr}; fields only some schedulers read
   * are checked when {@link Schedulers#create} makes one.
   *
   * @param json the parsed file
   * @return the config
   * @throws IllegalArgumentException naming a field whose value is not supported
   */
  public static SchedulerConfig of(JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("scheduler_config.json must hold a JSON object, not " + json.getNodeType());
    }
    int trainSteps = intField(json, "num_train_timesteps", 1000);
    if (trainSteps < 2) {
      throw new IllegalArgumentException("num_train_timesteps must be at least 2, not " + trainSteps);
    }
    String betaSchedule = choice(json, "beta_schedule", "linear", BETA_SCHEDULES);
    String predictionType = choice(json, "prediction_type", "epsilon", PREDICTION_TYPES);
    String spacing = choice(json, "timestep_spacing", "leading", SPACINGS);
    if (boolField(json, "thresholding", false)) {
      throw new IllegalArgumentException("thresholding: true is not supported (dynamic thresholding is for"
          + " pixel-space models)");
    }
    if (json.hasNonNull("trained_betas")) {
      throw new IllegalArgumentException("trained_betas is not supported: give beta_start, beta_end and beta_schedule");
    }
    if (boolField(json, "rescale_betas_zero_snr", false)) {
      throw new IllegalArgumentException("rescale_betas_zero_snr: true is not supported");
    }
    int originalSteps = intField(json, "original_inference_steps", 50);
    if (originalSteps < 1) {
      throw new IllegalArgumentException("original_inference_steps must be at least 1, not " + originalSteps);
    }
    return new SchedulerConfig(
        json.hasNonNull("_class_name") ? json.get("_class_name").asText() : "",
        trainSteps,
        doubleField(json, "beta_start", 0.0001),
        doubleField(json, "beta_end", 0.02),
        betaSchedule,
        predictionType,
        spacing,
        intField(json, "steps_offset", 0),
        boolField(json, "set_alpha_to_one", true),
        boolField(json, "clip_sample", false),
        doubleField(json, "clip_sample_range", 1.0),
        boolField(json, "skip_prk_steps", false),
        originalSteps,
        doubleField(json, "timestep_scaling", 10.0),
        json);
  }

  /**
   * The defaults alone, as an empty {@code scheduler_config.json} gives them.
   *
   * @return the config
   */
  public static SchedulerConfig defaults() {
    return of(JsonNodeFactory.instance.objectNode());
  }

  /**
   * Whether the file sets a field (to something other than null): when it does not, a scheduler uses its own
   * class's default, as diffusers' {@code from_config} does.
   *
   * @param field the JSON field name, such as {@code timestep_spacing}
   * @return whether the file has it
   */
  public boolean declares(String field) {
    return raw.hasNonNull(field);
  }

  /** {@link #betaStart} as the file gives it, else a scheduler's own default. */
  double betaStartOr(double schedulerDefault) {
    return declares("beta_start") ? betaStart : schedulerDefault;
  }

  /** {@link #betaEnd} as the file gives it, else a scheduler's own default. */
  double betaEndOr(double schedulerDefault) {
    return declares("beta_end") ? betaEnd : schedulerDefault;
  }

  /** {@link #betaSchedule} as the file gives it, else a scheduler's own default. */
  String betaScheduleOr(String schedulerDefault) {
    return declares("beta_schedule") ? betaSchedule : schedulerDefault;
  }

  /** {@link #timestepSpacing} as the file gives it, else a scheduler's own default. */
  String timestepSpacingOr(String schedulerDefault) {
    return declares("timestep_spacing") ? timestepSpacing : schedulerDefault;
  }

  /** {@link #setAlphaToOne} as the file gives it, else a scheduler's own default. */
  boolean setAlphaToOneOr(boolean schedulerDefault) {
    return declares("set_alpha_to_one") ? setAlphaToOne : schedulerDefault;
  }

  /** {@link #clipSample} as the file gives it, else a scheduler's own default. */
  boolean clipSampleOr(boolean schedulerDefault) {
    return declares("clip_sample") ? clipSample : schedulerDefault;
  }

  /**
   * A boolean field a scheduler reads that the record does not list, or the default.
   *
   * @throws IllegalArgumentException when it is not a boolean
   */
  boolean flag(String field, boolean schedulerDefault) {
    return boolField(raw, field, schedulerDefault);
  }

  /**
   * Rejects a field the scheduler cannot honour when the file sets it to something other than its default.
   *
   * @param scheduler the scheduler's name, for the message
   * @param field the JSON field
   * @param supported the one value supported (a string, boolean or number, compared as text)
   * @throws IllegalArgumentException naming the field
   */
  void require(String scheduler, String field, Object supported) {
    if (declares(field) && !raw.get(field).asText().equals(String.valueOf(supported))) {
      throw new IllegalArgumentException(field + ": " + raw.get(field) + " is not supported by the " + scheduler
          + " scheduler (only " + supported + ")");
    }
  }

  private static String choice(JsonNode json, String field, String dflt, Set<String> allowed) {
    if (!json.hasNonNull(field)) {
      return dflt;
    }
    JsonNode node = json.get(field);
    if (!node.isTextual() || !allowed.contains(node.asText())) {
      throw new IllegalArgumentException(field + ": " + node + " is not supported (supported: "
          + allowed.stream().sorted().toList() + ")");
    }
    return node.asText();
  }

  private static int intField(JsonNode json, String field, int dflt) {
    if (!json.hasNonNull(field)) {
      return dflt;
    }
    JsonNode node = json.get(field);
    if (!node.isIntegralNumber() && !(node.isNumber() && node.asDouble() == Math.rint(node.asDouble()))
        || !node.canConvertToInt()) {
      throw new IllegalArgumentException(field + " must be an integer, not " + node);
    }
    return node.asInt();
  }

  private static double doubleField(JsonNode json, String field, double dflt) {
    if (!json.hasNonNull(field)) {
      return dflt;
    }
    JsonNode node = json.get(field);
    if (!node.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number, not " + node);
    }
    return node.asDouble();
  }

  private static boolean boolField(JsonNode json, String field, boolean dflt) {
    if (!json.hasNonNull(field)) {
      return dflt;
    }
    JsonNode node = json.get(field);
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(field + " must be true or false, not " + node);
    }
    return node.asBoolean();
  }
}

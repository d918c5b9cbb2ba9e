package dev.muse4j.onnx.internal.diffusion;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Makes {@link Scheduler}s by name from a model's {@code scheduler/scheduler_config.json}. Stateless.
 */
public final class Schedulers {
  /** The names requests may give, in the order error messages list them. */
  public static final List<String> NAMES = List.of("euler", "euler_a", "ddim", "dpmpp_2m", "lcm", "pndm");

  private static final Map<String, String> BY_CLASS = Map.of(
      "EulerDiscreteScheduler", "euler",
      "EulerAncestralDiscreteScheduler", "euler_a",
      "DDIMScheduler", "ddim",
      "DPMSolverMultistepScheduler", "dpmpp_2m",
      "LCMScheduler", "lcm",
      "PNDMScheduler", "pndm");

  private Schedulers() {}

  /**
   * A scheduler set to a number of steps.
   *
   * <p>Each is diffusers' class of that name built as {@code from_config} builds it from the file: the fields the file
   * sets, that class's defaults for the others (so {@code euler} from an SD 1.5 file spaces its timesteps
   * {@code linspace}, Euler's default, where {@code pndm} spaces them {@code leading}).
   *
   * @param name one of {@link #NAMES}
   * @param config the model's scheduler configuration
   * @param steps the number of inference steps, at least 1
   * @return a new scheduler for one generation
   * @throws IllegalArgumentException for an unknown name, listing {@link #NAMES}, or steps the config cannot give, or
   *     a config field the scheduler does not support, named
   */
  public static Scheduler create(String name, SchedulerConfig config, int steps) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown scheduler \"" + name + "\"; supported: "
          + String.join(", ", NAMES));
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, not " + steps);
    }
    if (steps > config.numTrainTimesteps()) {
      throw new IllegalArgumentException("steps (" + steps + ") cannot be more than the model's num_train_timesteps ("
          + config.numTrainTimesteps() + ")");
    }
    return switch (name) {
      case "euler" -> new EulerScheduler(config, steps, false);
      case "euler_a" -> new EulerScheduler(config, steps, true);
      case "ddim" -> new DdimScheduler(config, steps);
      case "dpmpp_2m" -> new DpmSolverScheduler(config, steps);
      case "lcm" -> new LcmScheduler(config, steps);
      default -> new PndmScheduler(config, steps);
    };
  }

  /**
   * The scheduler a model's config names ({@code _class_name}: {@code PNDMScheduler} is {@code pndm},
   * {@code EulerDiscreteScheduler} {@code euler}, and so on), or {@code null} when it names none this SDK supports.
   *
   * @param config the model's scheduler configuration
   * @return the name, or null
   */
  public static @Nullable String defaultName(SchedulerConfig config) {
    return BY_CLASS.get(config.className());
  }

  static void checkLengths(float[] other, float[] sample) {
    if (other.length != sample.length) {
      throw new IllegalArgumentException("expected " + sample.length + " values, as many as the latents, not "
          + other.length);
    }
  }

  static void checkIndex(int index, int count) {
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("step index " + index + " is outside the " + count + " timesteps");
    }
  }

  /** DDPM's {@code add_noise}, which DDIM, LCM and PNDM share: √ᾱ·x + √(1−ᾱ)·noise at timestep t. */
  static void addNoiseAt(float[] alphasCumprod, long t, float[] original, float[] noise) {
    checkLengths(noise, original);
    float alpha = NoiseSchedule.at(alphasCumprod, t);
    float sqrtAlpha = (float) Math.sqrt(alpha);
    float sqrtBeta = (float) Math.sqrt(1f - alpha);
    for (int i = 0; i < original.length; i++) {
      original[i] = sqrtAlpha * original[i] + sqrtBeta * noise[i];
    }
  }
}

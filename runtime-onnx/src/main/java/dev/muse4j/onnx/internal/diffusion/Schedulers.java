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
   * A schedule for img2img: the scheduler, already begun at the step the strength gives.
   *
   * @param scheduler the scheduler, one per generation
   * @param firstStep the index in {@link Scheduler#timesteps()} the run starts at: the engine noises the encoded
   *     image with {@code addNoise(latents, noise, firstStep)} and steps from there to the last timestep
   */
  public record Img2img(Scheduler scheduler, int firstStep) {}

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
      case "lcm" -> new LcmScheduler(config, steps, 1.0);
      default -> new PndmScheduler(config, steps);
    };
  }

  /**
   * A scheduler for img2img, set up as diffusers' img2img pipelines set theirs up.
   *
   * <ul>
   *   <li>Every scheduler but {@code lcm}: the full schedule for {@code steps}, begun ({@link Scheduler#beginAt}) at
   *       {@code steps − min(int(steps × strength), steps)}, so {@code int(steps × strength)} steps run.</li>
   *   <li>{@code lcm}, as diffusers' LCM img2img pipeline: {@code steps} timesteps picked from the lowest
   *       {@code int(original_inference_steps × strength)} of its distillation schedule, all of them run.</li>
   * </ul>
   *
   * @param name one of {@link #NAMES}
   * @param config the model's scheduler configuration
   * @param steps the number of inference steps asked for, at least 1
   * @param strength how much of the schedule to run, in (0, 1]
   * @return the scheduler and the step it starts at
   * @throws IllegalArgumentException as {@link #create} does, or for a strength outside (0, 1] or one that leaves
   *     no step to run
   */
  public static Img2img createForImage(String name, SchedulerConfig config, int steps, double strength) {
    if (!(strength > 0 && strength <= 1)) {
      throw new IllegalArgumentException("strength must be in (0, 1], not " + strength);
    }
    Scheduler scheduler = create(name, config, steps);
    if (name.equals("lcm")) {
      return new Img2img(new LcmScheduler(config, steps, strength), 0);
    }
    int kept = Math.min((int) (steps * strength), steps);
    if (kept < 1) {
      throw new IllegalArgumentException("strength " + strength + " leaves no step of " + steps
          + "; use at least " + (1.0 / steps) + " or more steps");
    }
    int first = steps - kept;
    scheduler.beginAt(first);
    return new Img2img(scheduler, first);
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

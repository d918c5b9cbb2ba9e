package dev.muse4j.onnx.internal.diffusion;

import java.util.List;

/**
 * Makes {@link Scheduler}s by name from a model's {@code scheduler/scheduler_config.json}. Stateless.
 */
public final class Schedulers {
  /** The names requests may give, in the order error messages list them. */
  public static final List<String> NAMES = List.of("euler", "euler_a", "ddim", "dpmpp_2m", "lcm", "pndm");

  private Schedulers() {}

  /**
   * A scheduler set to a number of steps.
   *
   * @param name one of {@link #NAMES}
   * @param config the model's scheduler configuration
   * @param steps the number of inference steps, at least 1
   * @return a new scheduler for one generation
   * @throws IllegalArgumentException for an unknown name, listing {@link #NAMES}, or steps the config cannot give
   */
  public static Scheduler create(String name, SchedulerConfig config, int steps) {
    throw new UnsupportedOperationException("written by the scheduler change");
  }

  /**
   * The scheduler a model's config names ({@code _class_name}: {@code PNDMScheduler} is {@code pndm},
   * {@code EulerDiscreteScheduler} {@code euler}, and so on), or {@code null} when it names none this SDK supports.
   *
   * @param config the model's scheduler configuration
   * @return the name, or null
   */
  public static @org.jspecify.annotations.Nullable String defaultName(SchedulerConfig config) {
    throw new UnsupportedOperationException("written by the scheduler change");
  }
}

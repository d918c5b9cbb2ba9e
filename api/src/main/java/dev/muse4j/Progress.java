package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * How far a long generation has come: step {@code step} of {@code totalSteps} in a named stage, and the time so far.
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Progress {
  private final String stage;
  private final int step;
  private final int totalSteps;
  private final Duration elapsed;

  private Progress(String stage, int step, int totalSteps, Duration elapsed) {
    this.stage = stage;
    this.step = step;
    this.totalSteps = totalSteps;
    this.elapsed = elapsed;
  }

  /**
   * Creates a progress report.
   *
   * @param stage what is being done, for example {@code "denoising"} or {@code "decoding audio"}
   * @param step steps completed, 0 to {@code totalSteps}
   * @param totalSteps steps in all, at least 1
   * @param elapsed time since the generation started
   * @return the report
   */
  public static Progress of(String stage, int step, int totalSteps, Duration elapsed) {
    Checks.notNull(stage, "stage");
    Checks.notNull(elapsed, "elapsed");
    if (totalSteps < 1 || step < 0 || step > totalSteps) {
      throw new IllegalArgumentException("need 0 <= step <= totalSteps and totalSteps >= 1, got " + step + "/"
          + totalSteps);
    }
    return new Progress(stage, step, totalSteps, elapsed);
  }

  /**
   * What is being done.
   *
   * @return the stage name
   */
  public String stage() {
    return stage;
  }

  /**
   * Steps completed.
   *
   * @return the step count
   */
  public int step() {
    return step;
  }

  /**
   * Steps in all.
   *
   * @return the total
   */
  public int totalSteps() {
    return totalSteps;
  }

  /**
   * Time since the generation started.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * The completed fraction.
   *
   * @return 0 to 1
   */
  public double fraction() {
    return (double) step / totalSteps;
  }

  /**
   * The estimated time left, assuming the remaining steps take as long as the completed ones.
   *
   * @return the estimate, or empty before the first step completes
   */
  public Optional<Duration> eta() {
    if (step == 0) {
      return Optional.empty();
    }
    return Optional.of(elapsed.multipliedBy(totalSteps - step).dividedBy(step));
  }

  @Override
  public String toString() {
    return stage + " " + step + "/" + totalSteps;
  }
}

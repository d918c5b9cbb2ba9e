package dev.muse4j.spi;

import dev.muse4j.Progress;
import dev.muse4j.ProgressListener;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One unit of work the core hands to an engine: a request that has already been checked against the engine's
 * {@link Limits} (and, for text, whose sampling is already resolved), a {@link Cancellation} signal, and a place to
 * report progress.
 *
 * <p>Engines never see null or unvalidated input. The core creates jobs; engine tests may create them with
 * {@link #of(Object)} and {@link #of(Object, Cancellation, StepListener, Duration)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <R> the request type: {@link dev.muse4j.TextRequest}, {@link dev.muse4j.ImageRequest},
 *     {@link dev.muse4j.StyleRequest} or {@link dev.muse4j.MusicRequest}
 * @since 0.2.0
 */
public final class Job<R> {
  private final R request;
  private final Cancellation cancellation;
  private final StepListener steps;
  private final @Nullable Duration timeout;

  private Job(R request, Cancellation cancellation, StepListener steps, @Nullable Duration timeout) {
    this.request = request;
    this.cancellation = cancellation;
    this.steps = steps;
    this.timeout = timeout;
  }

  /**
   * A job with its own cancellation signal, no progress reporting and no timeout; for engine tests.
   *
   * @param request the request
   * @param <R> the request type
   * @return the job
   */
  public static <R> Job<R> of(R request) {
    return new Job<>(request, Cancellation.create(), (stage, step, total) -> { }, null);
  }

  /**
   * A job.
   *
   * @param request the request, already validated
   * @param cancellation the signal to watch
   * @param steps receives each finished step
   * @param timeout the time the whole job may take, or {@code null} for none
   * @param <R> the request type
   * @return the job
   */
  public static <R> Job<R> of(R request, Cancellation cancellation, StepListener steps, @Nullable Duration timeout) {
    return new Job<>(request, cancellation, steps, timeout);
  }

  /**
   * The request, validated against the engine's limits. For text, {@link dev.muse4j.TextRequest#sampling()} is fully
   * resolved (request, then generator default, then the model's config, then the engine's defaults) and its seed is
   * this choice's.
   *
   * @return the request
   */
  public R request() {
    return request;
  }

  /**
   * The signal to check between steps.
   *
   * @return the signal
   */
  public Cancellation cancellation() {
    return cancellation;
  }

  /**
   * Reports that a step finished. The core turns it into a {@link Progress} with elapsed time and ETA for the
   * request's {@link ProgressListener}.
   *
   * @param step the steps done so far, 1-based
   * @param totalSteps the steps in all
   */
  public void step(int step, int totalSteps) {
    steps.onStep("", step, totalSteps);
  }

  /**
   * Reports that a step of a named stage finished, for engines with several stages (encoding, denoising, decoding).
   *
   * @param stage what the step was, for example {@code "denoising"}; shown by progress bars
   * @param step the steps of this stage done so far, 1-based
   * @param totalSteps the steps of this stage in all
   */
  public void step(String stage, int step, int totalSteps) {
    steps.onStep(stage, step, totalSteps);
  }

  /**
   * The time the whole job may take, which the core enforces by cancelling; an engine may pass it on (as an HTTP
   * timeout, say).
   *
   * @return the timeout, or empty for none
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public String toString() {
    return "Job{" + request + "}";
  }

  /**
   * Receives finished steps.
   *
   * @since 0.2.0
   */
  @FunctionalInterface
  public interface StepListener {
    /**
     * Called after each step.
     *
     * @param stage the stage's name, or empty for the kind's usual one
     * @param step the steps done so far, 1-based
     * @param totalSteps the steps in all
     */
    void onStep(String stage, int step, int totalSteps);
  }
}

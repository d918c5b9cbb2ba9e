package dev.muse4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * One text generation inside an engine, pulled by the core.
 *
 * <p>The core calls {@link #next()} until it returns {@code null}, then reads {@link #outcome()}, and finally calls
 * {@link #close()}. On cancellation the core first cancels the job's {@link Cancellation} (whose hooks an engine uses
 * to stop a blocking call), then waits for any {@code next()} in progress to return, then calls {@code close()}.
 *
 * <p><strong>Thread-safety:</strong> the core never calls these methods concurrently; calls may come from different
 * threads one after another.
 *
 * @since 0.2.0
 */
public interface TextRun extends AutoCloseable {
  /**
   * Generates until the next piece of text is ready, and returns it. A piece never splits a character and never
   * shows a stop string.
   *
   * @return the next non-empty piece, or {@code null} at the end (finished, or cancelled)
   * @throws dev.muse4j.Muse4jException if generation failed
   */
  @Nullable String next();

  /**
   * How the run ended; called after {@link #next()} returned {@code null}.
   *
   * @return the outcome
   */
  TextOutcome outcome();

  /** Frees what the run holds (a KV cache, an HTTP exchange). Called once; never throws. */
  @Override
  void close();
}

package dev.muse4j.spi;

import dev.muse4j.FinishReason;
import dev.muse4j.Usage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A ready-made {@link TextRun} for engines whose text arrives on another thread or from callbacks (an HTTP client, a
 * worker thread). The producer calls {@link #emit(String)} for each piece, then one of
 * {@link #complete(FinishReason, Usage)} or {@link #fail(RuntimeException)}; the core pulls with {@link #next()}.
 *
 * <p>Cancelling the job's {@link Cancellation} ends the run at once: {@link #next()} returns {@code null}, and
 * whatever the producer sends afterwards is ignored. Register the producer's own abort (an HTTP exchange's, say) on
 * the cancellation too.
 *
 * <p>Thread-safe: producer methods may be called from any thread (one producer at a time); the core pulls from one
 * thread at a time.
 *
 * @since 0.2.0
 */
public final class QueuedTextRun implements TextRun {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final StringBuilder text = new StringBuilder();
  private final Cancellation cancellation;
  private boolean ended;
  private @Nullable TextOutcome outcome;
  private @Nullable RuntimeException failure;

  /**
   * Creates an open run that ends when {@code cancellation} is cancelled.
   *
   * @param cancellation the job's signal
   */
  public QueuedTextRun(Cancellation cancellation) {
    this.cancellation = cancellation;
    cancellation.onCancel(() -> end(TextOutcome.of(FinishReason.CANCELLED, null), null));
  }

  /**
   * Adds generated text. Empty text is ignored.
   *
   * @param piece the new text; must not split a character
   * @return {@code false} if the run has ended or was cancelled, so the producer should stop
   */
  public boolean emit(String piece) {
    synchronized (this) {
      if (ended) {
        return false;
      }
      if (piece.isEmpty()) {
        return true;
      }
      text.append(piece);
    }
    queue.add(piece);
    return true;
  }

  /**
   * Ends the run successfully. Ignored if it already ended.
   *
   * @param reason why generation ended
   * @param usage token counts, or {@code null} if unknown
   */
  public void complete(FinishReason reason, @Nullable Usage usage) {
    end(TextOutcome.of(reason, usage), null);
  }

  /**
   * Ends the run with an outcome the producer built (several choices, measured timings). Ignored if it already ended.
   *
   * @param outcome the outcome
   */
  public void complete(TextOutcome outcome) {
    end(outcome, null);
  }

  /**
   * Ends the run with a failure, which {@link #next()} throws. Ignored if the run already ended.
   *
   * @param error the failure, normally a {@link dev.muse4j.Muse4jException}
   */
  public void fail(RuntimeException error) {
    end(null, error);
  }

  private void end(@Nullable TextOutcome result, @Nullable RuntimeException error) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      outcome = result;
      failure = error;
    }
    queue.add(END);
  }

  /**
   * Whether the run has ended (completed, failed or cancelled).
   *
   * @return {@code true} once ended
   */
  public synchronized boolean isEnded() {
    return ended;
  }

  /**
   * The text emitted so far, for messages.
   *
   * @return the text
   */
  public synchronized String textSoFar() {
    return text.toString();
  }

  @Override
  public @Nullable String next() {
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancellation.cancel();
      return null;
    }
    if (item == END) {
      queue.add(END);
      RuntimeException error;
      synchronized (this) {
        error = failure;
      }
      if (error != null) {
        throw error;
      }
      return null;
    }
    return (String) item;
  }

  @Override
  public synchronized TextOutcome outcome() {
    if (outcome == null) {
      // Asked before the end, or after a failure: report what a cancelled run would.
      return TextOutcome.of(FinishReason.CANCELLED, null);
    }
    return outcome;
  }

  /** Ends the run as cancelled if the producer has not finished it; the job's cancel hooks stop the producer. */
  @Override
  public void close() {
    if (!isEnded()) {
      cancellation.cancel();
    }
  }

  @Override
  public String toString() {
    return "QueuedTextRun{" + (isEnded() ? "ended" : "running") + "}";
  }
}

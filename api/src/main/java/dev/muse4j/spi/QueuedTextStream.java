package dev.muse4j.spi;

import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.TextChunk;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready-made {@link TextStream} for backends whose text arrives on another thread or from callbacks (an HTTP client,
 * a worker thread). The producer calls {@link #emit(String)} for each piece, then exactly one of
 * {@link #complete(FinishReason, Usage, Timings)} or {@link #fail(RuntimeException)}; the consumer iterates.
 *
 * <p>The stream keeps the promises of {@link TextStream} for you: the result's text is exactly the concatenation of
 * the emitted pieces; {@link #close()} cancels, runs the {@link #onCancel(Runnable) cancel hooks} once, and makes
 * the result {@link FinishReason#CANCELLED}; anything emitted after the end is ignored.
 *
 * <p>Thread-safe: producer methods may be called from any thread (one producer at a time); one consumer iterates.
 *
 * @since 0.1.0
 */
public final class QueuedTextStream implements TextStream {
  private static final Logger LOG = LoggerFactory.getLogger(QueuedTextStream.class);
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final StringBuilder text = new StringBuilder();
  private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicBoolean iteratorTaken = new AtomicBoolean();
  private final long startNanos = System.nanoTime();
  private long firstChunkNanos;
  private int chunks;
  private boolean finished;
  private boolean cancelled;
  private @Nullable TextResult result;
  private @Nullable RuntimeException failure;

  /** Creates an open stream; its timings start now. */
  public QueuedTextStream() {}

  /**
   * Adds generated text. Empty text is ignored.
   *
   * @param piece the new text; must not split a character
   * @return {@code false} if the stream has ended or was cancelled, so the producer should stop
   */
  public boolean emit(String piece) {
    synchronized (this) {
      if (finished) {
        return false;
      }
      if (piece.isEmpty()) {
        return true;
      }
      if (chunks++ == 0) {
        firstChunkNanos = System.nanoTime();
      }
      text.append(piece);
    }
    queue.add(TextChunk.of(piece));
    return true;
  }

  /**
   * Ends the stream successfully. Ignored if it already ended (for example because it was closed).
   *
   * @param reason why generation ended
   * @param usage token counts, or {@code null} if unknown
   * @param timings measured timings, or {@code null} to use the stream's own (from its creation to the first piece and
   *     to now; the token count is the usage's, or else the number of pieces)
   */
  public void complete(FinishReason reason, @Nullable Usage usage, @Nullable Timings timings) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      if (timings == null) {
        long now = System.nanoTime();
        int tokens = usage != null ? usage.completionTokens() : chunks;
        timings = Timings.of(Duration.ofNanos((chunks > 0 ? firstChunkNanos : now) - startNanos),
            Duration.ofNanos(now - startNanos), tokens);
      }
      result = TextResult.of(text.toString(), reason, usage, timings);
    }
    queue.add(END);
    done.countDown();
  }

  /**
   * Ends the stream with a failure; the consumer's iteration and {@link #result()} throw it. Ignored if the stream
   * already ended.
   *
   * @param error the failure, normally a {@link dev.muse4j.Muse4jException}
   */
  public void fail(RuntimeException error) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      failure = error;
    }
    queue.add(END);
    done.countDown();
  }

  /**
   * Whether the consumer closed the stream before the end.
   *
   * @return {@code true} once cancelled
   */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Registers work to run once when the stream is cancelled (abort an HTTP exchange, stop a native run). Runs at once
   * if the stream is already cancelled. Hooks run on the thread that closes the stream and must not block.
   *
   * @param hook the work
   */
  public void onCancel(Runnable hook) {
    cancelHooks.add(hook);
    boolean runNow;
    synchronized (this) {
      runNow = cancelled;
    }
    if (runNow && cancelHooks.remove(hook)) {
      runHook(hook);
    }
  }

  @Override
  public Iterator<TextChunk> iterator() {
    if (!iteratorTaken.compareAndSet(false, true)) {
      throw new IllegalStateException("A TextStream can be iterated only once.");
    }
    return new Iterator<>() {
      private @Nullable TextChunk next;
      private boolean ended;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        if (ended) {
          return false;
        }
        Object item;
        try {
          item = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new GenerationCancelledException("Interrupted while waiting for generated text; the stream was "
              + "cancelled.");
        }
        if (item == END) {
          ended = true;
          queue.add(END);
          RuntimeException error = failureOrNull();
          if (error != null) {
            throw error;
          }
          return false;
        }
        next = (TextChunk) item;
        return true;
      }

      @Override
      public TextChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        TextChunk chunk = next;
        next = null;
        return chunk;
      }
    };
  }

  private synchronized @Nullable RuntimeException failureOrNull() {
    return failure;
  }

  @Override
  public TextResult result() {
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new GenerationCancelledException("Interrupted while waiting for the result; the stream was cancelled.");
    }
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }

  @Override
  public synchronized String textSoFar() {
    return text.toString();
  }

  @Override
  public boolean isDone() {
    return done.getCount() == 0;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (finished) {
        return;
      }
      cancelled = true;
    }
    // End first, so that whatever the hooks trigger (an aborted exchange failing) cannot replace the cancellation.
    complete(FinishReason.CANCELLED, null, null);
    for (Runnable hook : cancelHooks) {
      if (cancelHooks.remove(hook)) {
        runHook(hook);
      }
    }
  }

  private static void runHook(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      LOG.warn("A cancel hook failed; generation may stop late: {}", e.toString());
    }
  }
}

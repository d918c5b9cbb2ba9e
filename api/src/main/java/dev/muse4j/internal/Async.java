package dev.muse4j.internal;

import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The shared daemon pool behind the default {@code generateAsync} methods, with cancellation that reaches the work. */
public final class Async {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "muse4j-async-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private Async() {}

  /**
   * Runs {@code work} on the shared pool. Cancelling the future interrupts the worker thread, which generators treat
   * as cancellation between steps.
   */
  public static <T> CompletableFuture<T> supplyCancellable(Supplier<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Future<?> task = EXECUTOR.submit(() -> {
      try {
        future.complete(work.get());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    });
    future.whenComplete((v, t) -> {
      if (future.isCancelled()) {
        task.cancel(true);
      }
    });
    return future;
  }

  /** Streams a text request and completes with its result; cancelling the future closes (cancels) the stream. */
  public static CompletableFuture<TextResult> streamAsync(TextGenerator generator, TextRequest request) {
    if (request.count() > 1) {
      return supplyCancellable(() -> generator.generate(request));
    }
    TextStream stream;
    try {
      stream = generator.stream(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<TextResult> future = new CompletableFuture<>();
    // However the future ends (result, failure, cancel(), orTimeout()), the stream ends with it.
    future.whenComplete((v, t) -> stream.close());
    EXECUTOR.execute(() -> {
      try (stream) {
        future.complete(stream.result());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    });
    return future;
  }
}

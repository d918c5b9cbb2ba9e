package dev.muse4j.internal;

import dev.muse4j.BackendConfig;
import dev.muse4j.Capability;
import dev.muse4j.GenerationEvent;
import dev.muse4j.GenerationListener;
import dev.muse4j.Muse4jException;
import dev.muse4j.spi.Cancellation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every generator of one backend shares: the backend's name, the executor for asynchronous work, the timer for
 * deadlines and the lifecycle listener. The default executor and the timer are the backend's own daemon threads,
 * created on first use and shut down when the backend closes; an executor the user gave is never shut down.
 * Thread-safe.
 */
final class CoreContext {
  private static final Logger LOG = LoggerFactory.getLogger(CoreContext.class);
  private static final AtomicLong IDS = new AtomicLong();

  final String backend;
  private final @Nullable Executor userExecutor;
  private final GenerationListener listener;
  private final AtomicBoolean listenerFailed = new AtomicBoolean();
  private final AtomicInteger threads = new AtomicInteger();
  private @Nullable ExecutorService ownExecutor;
  private @Nullable ScheduledThreadPoolExecutor timer;

  CoreContext(String backend, BackendConfig config) {
    this.backend = backend;
    this.userExecutor = config.executor().orElse(null);
    this.listener = config.listener();
  }

  long nextId() {
    return IDS.incrementAndGet();
  }

  synchronized Executor executor() {
    if (userExecutor != null) {
      return userExecutor;
    }
    if (ownExecutor == null) {
      ownExecutor = Executors.newCachedThreadPool(daemon("muse4j-" + backend + "-async-"));
    }
    return ownExecutor;
  }

  /**
   * Runs {@code work} on the backend's executor. Cancelling the returned future cancels {@code cancellation}, which
   * the work watches; a rejected submission fails the future.
   */
  <T> CompletableFuture<T> async(String what, Cancellation cancellation, Supplier<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    future.whenComplete((v, t) -> {
      if (future.isCancelled()) {
        cancellation.cancel();
      }
    });
    try {
      executor().execute(() -> {
        if (future.isDone()) {
          return;
        }
        try {
          future.complete(work.get());
        } catch (Throwable t) {
          future.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new Muse4jException("The executor of backend '" + backend + "' rejected the "
          + what + " (" + e.getMessage() + "); it may have been shut down.", e));
    }
    return future;
  }

  /** Runs {@code action} once after {@code delay} on the backend's timer thread; cancel the returned handle. */
  synchronized ScheduledFuture<?> schedule(Duration delay, Runnable action) {
    if (timer == null) {
      timer = new ScheduledThreadPoolExecutor(1, daemon("muse4j-" + backend + "-deadline-"));
      timer.setRemoveOnCancelPolicy(true);
      timer.setKeepAliveTime(30, TimeUnit.SECONDS);
      timer.allowCoreThreadTimeOut(true);
    }
    return timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private ThreadFactory daemon(String prefix) {
    return r -> {
      Thread t = new Thread(r, prefix + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  synchronized void shutdown() {
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  GenerationEvent event(long id, String model, Capability kind, long startNanos) {
    return GenerationEvent.of(id, backend, model, kind, Duration.ofNanos(System.nanoTime() - startNanos), null, null,
        null);
  }

  void onStart(GenerationEvent e) {
    try {
      listener.onStart(e);
    } catch (RuntimeException ex) {
      listenerFailed("onStart", ex);
    }
  }

  void onFirstOutput(GenerationEvent e) {
    try {
      listener.onFirstOutput(e);
    } catch (RuntimeException ex) {
      listenerFailed("onFirstOutput", ex);
    }
  }

  void onEnd(GenerationEvent e) {
    try {
      listener.onEnd(e);
    } catch (RuntimeException ex) {
      listenerFailed("onEnd", ex);
    }
  }

  void onFailure(GenerationEvent e, Muse4jException error) {
    try {
      listener.onFailure(e, error);
    } catch (RuntimeException ex) {
      listenerFailed("onFailure", ex);
    }
  }

  /** A listener's failure never breaks a generation; it is logged at WARN the first time, then at DEBUG. */
  private void listenerFailed(String method, RuntimeException e) {
    if (listenerFailed.compareAndSet(false, true)) {
      LOG.warn("The generation listener of backend '{}' threw from {} ({}); the generation goes on. Further failures "
          + "of this listener are logged at DEBUG.", backend, method, e.toString(), e);
    } else {
      LOG.debug("The generation listener of backend '{}' threw from {}: {}", backend, method, e.toString());
    }
  }
}

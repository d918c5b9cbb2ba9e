package dev.muse4j.remote.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Notices a response that started and then stalled. The JDK client's request timeout ends when the response headers
 * arrive, so without this a server that sends headers and then nothing would hang a call or a stream for ever.
 *
 * <p>One per exchange. Arrivals only record a time stamp; a single pending check per exchange, on the backend's
 * scheduler, re-arms itself for the remaining time, so a busy stream costs no scheduling per chunk. Thread-safe.
 */
final class IdleTimeout {
  private final ScheduledExecutorService scheduler;
  private final long timeoutNanos;
  private final Runnable onIdle;
  private volatile long lastNanos;
  private volatile boolean stopped;
  private @Nullable Future<?> pending;

  /**
   * @param scheduler runs the checks; they are short and never block
   * @param timeout the longest silence allowed
   * @param onIdle runs once, on the scheduler's thread, when the silence is longer than the timeout
   */
  IdleTimeout(ScheduledExecutorService scheduler, Duration timeout, Runnable onIdle) {
    this.scheduler = scheduler;
    this.timeoutNanos = timeout.toNanos();
    this.onIdle = onIdle;
  }

  /** Starts watching (again) from now: the response has begun. */
  void start() {
    lastNanos = System.nanoTime();
    synchronized (this) {
      if (pending == null && !stopped) {
        arm(timeoutNanos);
      }
    }
  }

  /** Records that bytes arrived. */
  void touch() {
    lastNanos = System.nanoTime();
  }

  /** Stops watching: the exchange ended. */
  void stop() {
    stopped = true;
    Future<?> p;
    synchronized (this) {
      p = pending;
      pending = null;
    }
    if (p != null) {
      p.cancel(false);
    }
  }

  private void arm(long delayNanos) {
    try {
      pending = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // The backend is closing; its close cancels every exchange, so there is nothing left to watch.
      pending = null;
    }
  }

  private void check() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      long silent = System.nanoTime() - lastNanos;
      if (silent < timeoutNanos) {
        arm(timeoutNanos - silent);
        return;
      }
      stopped = true;
      pending = null;
    }
    onIdle.run();
  }
}

package dev.muse4j.internal;

import dev.muse4j.ClosedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open/closed state of one generator and the work it has in flight. Closing cancels every piece of work, then
 * waits for each to stop and free what it held. Thread-safe.
 */
final class Lifecycle {
  /** Work in flight: a stream, or a job running on some thread. */
  interface Work {
    /** Asks the work to stop; must not block. */
    void cancel();

    /** Waits until the work has stopped and freed its native memory. */
    void awaitEnd();
  }

  private final String what;
  private final Set<Work> inFlight = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean finalized = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;
  private volatile @org.jspecify.annotations.Nullable Runnable finalizer;

  Lifecycle(String what) {
    this.what = what;
  }

  /** Waits for a latch, keeping the caller's interrupt for later: closing must not stop half-way. */
  static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  String what() {
    return what;
  }

  boolean isClosed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw new ClosedException(what);
    }
  }

  /** Registers work. Throws {@link ClosedException} if the generator is closed, or closes while registering. */
  void enter(Work work) {
    inFlight.add(work);
    if (closed) {
      inFlight.remove(work);
      throw new ClosedException(what);
    }
  }

  void exit(Work work) {
    inFlight.remove(work);
    if (closed) {
      maybeFinalize();
    }
  }

  private void maybeFinalize() {
    Runnable f = finalizer;
    if (f != null && inFlight.isEmpty() && finalized.compareAndSet(false, true)) {
      f.run();
    }
  }

  /**
   * Closes: no new work is taken, work in flight is cancelled and awaited, then {@code finalizer} frees what the work
   * used. Work that called close from its own thread (a listener) cannot be awaited; the finalizer then runs when that
   * work exits, so nothing is freed under it.
   *
   * @param finalizer frees the engine; runs once
   * @return {@code false} if it was already closed
   */
  boolean close(Runnable finalizer) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
    }
    for (Work w : inFlight) {
      w.cancel();
    }
    for (Work w : inFlight) {
      w.awaitEnd();
    }
    this.finalizer = finalizer;
    maybeFinalize();
    return true;
  }
}

package dev.muse4j.samples.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C handling: while a generation runs, a shutdown hook cancels it (closing its stream or future) and gives it a
 * moment to stop cleanly, so no native memory or connection is left mid-flight.
 */
final class Cancellation implements AutoCloseable {
  private final AtomicReference<Runnable> cancel = new AtomicReference<>();
  private final Thread hook;
  private volatile boolean finished;

  Cancellation(PrintWriter err) {
    hook = new Thread(() -> {
      Runnable c = cancel.get();
      if (c != null && !finished) {
        err.println();
        err.println("muse: cancelled");
        err.flush();
        c.run();
      }
    }, "muse-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Sets what Ctrl-C does. */
  void onInterrupt(Runnable action) {
    cancel.set(action);
  }

  @Override
  public void close() {
    finished = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting because of Ctrl-C; the hook is running.
    }
  }
}

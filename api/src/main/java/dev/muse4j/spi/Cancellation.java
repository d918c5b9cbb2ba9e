package dev.muse4j.spi;

import dev.muse4j.GenerationCancelledException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancellation signal the core hands to an engine with every job. An engine checks {@link #isCancelled()} between
 * its steps (a decode step, a denoising step, a tile) and registers {@link #onCancel(Runnable) hooks} for work it
 * cannot check (terminate a native run, abort an HTTP exchange).
 *
 * <p>A job that runs on the caller's own thread is also cancelled when that thread is interrupted:
 * {@link #isCancelled()} then reports {@code true}.
 *
 * <p>Thread-safe: {@link #cancel()} may come from any thread, once or many times; hooks run once, on the cancelling
 * thread, and must not block.
 *
 * @since 0.2.0
 */
public final class Cancellation {
  private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
  private final @Nullable Thread owner;
  private volatile boolean cancelled;

  private Cancellation(@Nullable Thread owner) {
    this.owner = owner;
  }

  /**
   * A signal that only {@link #cancel()} sets; for jobs that run on a worker thread, and for engine tests.
   *
   * @return a new signal, not cancelled
   */
  public static Cancellation create() {
    return new Cancellation(null);
  }

  /**
   * A signal that {@link #cancel()} sets, and that also reads as cancelled while {@code owner} is interrupted; for
   * jobs that run on the caller's thread.
   *
   * @param owner the thread the job runs on
   * @return a new signal, not cancelled
   */
  public static Cancellation forThread(Thread owner) {
    return new Cancellation(owner);
  }

  /**
   * Whether the job should stop: {@link #cancel()} was called, or the owning thread is interrupted.
   *
   * @return {@code true} once cancelled
   */
  public boolean isCancelled() {
    if (cancelled) {
      return true;
    }
    Thread t = owner;
    if (t != null && t.isInterrupted()) {
      cancel();
      return true;
    }
    return false;
  }

  /**
   * Throws if the job should stop; engines call it between steps.
   *
   * @throws GenerationCancelledException if cancelled
   */
  public void throwIfCancelled() {
    if (isCancelled()) {
      throw new GenerationCancelledException("The generation was cancelled.");
    }
  }

  /**
   * Registers work to run once when the job is cancelled. Runs at once, on this thread, if it already is.
   *
   * @param hook the work; must not block
   */
  public void onCancel(Runnable hook) {
    hooks.add(hook);
    if (cancelled && hooks.remove(hook)) {
      run(hook);
    }
  }

  /** Cancels the job: later checks see it, and each registered hook runs once. Idempotent; never throws. */
  public void cancel() {
    cancelled = true;
    for (Runnable hook : hooks) {
      if (hooks.remove(hook)) {
        run(hook);
      }
    }
  }

  private static void run(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      LOG.warn("A cancel hook failed; the generation may stop late: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "Cancellation{" + (cancelled ? "cancelled" : "active") + "}";
  }
}

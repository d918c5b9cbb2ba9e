package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.ClosedException;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.GenerationEvent;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.Muse4jException;
import dev.muse4j.Progress;
import dev.muse4j.ProgressListener;
import dev.muse4j.spi.Cancellation;
import dev.muse4j.spi.Job;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs picture, style and music jobs through their engine with the whole lifecycle: closed state, validation, the
 * caller's thread or the backend's executor, cancellation, the deadline, progress with elapsed time and ETA, the
 * lifecycle listener, and close-waits-for-work. Thread-safe.
 *
 * @param <R> the request type
 * @param <S> the result type
 */
final class JobRunner<R, S> {
  private final CoreContext context;
  private final Capability kind;
  private final String model;
  private final Lifecycle lifecycle;
  private final Function<R, ProgressListener> progressOf;
  private final Function<R, Optional<Duration>> timeoutOf;
  private final Consumer<R> validate;
  private final Function<Job<R>, S> engine;

  JobRunner(CoreContext context, Capability kind, String model, Lifecycle lifecycle,
      Function<R, ProgressListener> progressOf, Function<R, Optional<Duration>> timeoutOf, Consumer<R> validate,
      Function<Job<R>, S> engine) {
    this.context = context;
    this.kind = kind;
    this.model = model;
    this.lifecycle = lifecycle;
    this.progressOf = progressOf;
    this.timeoutOf = timeoutOf;
    this.validate = validate;
    this.engine = engine;
  }

  /** Runs on the calling thread; interrupting it cancels between steps. */
  S run(@Nullable R request) {
    R checked = check(request);
    return execute(checked, Cancellation.forThread(Thread.currentThread()));
  }

  /** Runs on the backend's executor; cancelling the future cancels the job. Bad input fails the future. */
  CompletableFuture<S> runAsync(@Nullable R request) {
    R checked;
    try {
      checked = check(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Cancellation cancellation = Cancellation.create();
    return context.async(kind.description() + " job", cancellation, () -> execute(checked, cancellation));
  }

  private R check(@Nullable R request) {
    R r = Checks.notNull(request, "request");
    lifecycle.checkOpen();
    validate.accept(r);
    return r;
  }

  private S execute(R request, Cancellation cancellation) {
    Execution execution = new Execution(cancellation);
    lifecycle.enter(execution);
    long id = context.nextId();
    long start = System.nanoTime();
    Optional<Duration> timeout = timeoutOf.apply(request);
    ScheduledFuture<?> deadline = timeout.map(t -> context.schedule(t, execution::timeUp)).orElse(null);
    ProgressListener progress = progressOf.apply(request);
    context.onStart(context.event(id, model, kind, start));
    try {
      S result = engine.apply(Job.of(request, cancellation, (stage, step, total) -> {
        if (execution.firstStep()) {
          context.onFirstOutput(context.event(id, model, kind, start));
        }
        progress.onProgress(Progress.of(stage.isEmpty() ? defaultStage() : stage, step, total,
            Duration.ofNanos(System.nanoTime() - start)));
      }, timeout.orElse(null)));
      if (result == null) {
        throw new Muse4jException("The " + kind.description() + " engine for " + model + " returned no result.");
      }
      context.onEnd(GenerationEvent.of(id, context.backend, model, kind, Duration.ofNanos(System.nanoTime() - start),
          FinishReason.STOP, null, null));
      return result;
    } catch (RuntimeException e) {
      Muse4jException error = translate(e, execution, timeout);
      GenerationEvent event = context.event(id, model, kind, start);
      if (error instanceof GenerationCancelledException) {
        context.onEnd(GenerationEvent.of(id, context.backend, model, kind, event.elapsed(), FinishReason.CANCELLED,
            null, null));
      } else {
        context.onFailure(event, error);
      }
      throw error;
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      lifecycle.exit(execution);
      execution.ended.countDown();
    }
  }

  /** What a step is called when the engine does not say: what progress bars show. */
  private String defaultStage() {
    switch (kind) {
      case IMAGE:
        return "denoising";
      case STYLE:
        return "styling";
      case MUSIC:
        return "composing";
      default:
        return "generating";
    }
  }

  private Muse4jException translate(RuntimeException e, Execution execution, Optional<Duration> timeout) {
    if (execution.timedOut && timeout.isPresent()) {
      return new GenerationTimeoutException(timeout.get(), "The " + kind.description() + " with " + model
          + " took longer than its timeout of " + timeout.get() + " and was cancelled.", e);
    }
    if (e instanceof ClosedException) {
      return (ClosedException) e;
    }
    if (execution.cancellation.isCancelled() && !(e instanceof GenerationCancelledException)
        && !(e instanceof Muse4jException)) {
      return new GenerationCancelledException("The " + kind.description() + " with " + model + " was cancelled.");
    }
    if (e instanceof GenerationCancelledException && lifecycle.isClosed()) {
      return new GenerationCancelledException("The " + kind.description() + " with " + model + " was cancelled "
          + "because its " + lifecycle.what() + " was closed.");
    }
    if (e instanceof Muse4jException) {
      return (Muse4jException) e;
    }
    return new Muse4jException("The " + kind.description() + " engine failed with " + model + ": " + e, e);
  }

  /** One job in flight. */
  private static final class Execution implements Lifecycle.Work {
    final Cancellation cancellation;
    final CountDownLatch ended = new CountDownLatch(1);
    final Thread thread = Thread.currentThread();
    volatile boolean timedOut;
    private boolean stepped;

    Execution(Cancellation cancellation) {
      this.cancellation = cancellation;
    }

    synchronized boolean firstStep() {
      if (stepped) {
        return false;
      }
      stepped = true;
      return true;
    }

    void timeUp() {
      timedOut = true;
      cancellation.cancel();
    }

    @Override
    public void cancel() {
      cancellation.cancel();
    }

    @Override
    public void awaitEnd() {
      if (Thread.currentThread() == thread) {
        return; // closed from inside the job (a progress listener): it ends when the call returns
      }
      Lifecycle.awaitUninterruptibly(ended);
    }
  }
}

package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.ClosedException;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.GenerationEvent;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4jException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChoice;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import dev.muse4j.spi.Cancellation;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.TextEngine;
import dev.muse4j.spi.TextOutcome;
import dev.muse4j.spi.TextRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link TextGenerator}. It owns the lifecycle (closed state, validation against the engine's limits,
 * sampling precedence, choices, async on the backend's executor, deadlines, the listener, close-cancels-in-flight)
 * and pulls text from a {@link TextEngine}'s runs on the consumer's thread, so streaming adds no thread hand-off.
 */
final class CoreTextGenerator extends CoreGenerator<TextEngine> implements TextGenerator {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CoreTextGenerator.class);

  private final SamplingConfig generatorDefaults;
  /** The context warning is logged once per generator, not once per request. */
  private final AtomicBoolean contextWarned = new AtomicBoolean();

  CoreTextGenerator(CoreContext context, String model, ModelOptions options, TextEngine engine) {
    super(context, Capability.TEXT, "text generator", model, engine);
    this.generatorDefaults = options.sampling();
  }

  /** The one precedence rule: request, generator default, the model's own config, the engine's defaults. */
  private SamplingConfig resolve(TextRequest request) {
    return SamplingConfig.resolve(request.sampling(), generatorDefaults, engine.modelDefaults())
        .withDefaults(engine.engineDefaults());
  }

  private SamplingConfig check(@Nullable TextRequest request) {
    TextRequest r = Checks.notNull(request, "request");
    lifecycle.checkOpen();
    Validation.text(r, engine.limits(), lifecycle.what());
    SamplingConfig explicit = SamplingConfig.resolve(r.sampling(), generatorDefaults, engine.modelDefaults());
    String warning = Validation.contextWarning(explicit, engine.limits(), lifecycle.what());
    if (warning != null && !contextWarned.getAndSet(true)) {
      LOG.warn(warning);
    }
    return resolve(r);
  }

  @Override
  public TextResult generate(TextRequest request) {
    SamplingConfig sampling = check(request);
    return new Call(request, sampling, Cancellation.forThread(Thread.currentThread())).generate();
  }

  @Override
  public TextStream stream(TextRequest request) {
    SamplingConfig sampling = check(request);
    if (request.count() != 1) {
      throw new InvalidRequestException("count", "A stream carries one completion, but count was " + request.count()
          + "; use generate() for several.");
    }
    return new Call(request, sampling, Cancellation.create()).stream();
  }

  @Override
  public CompletableFuture<TextResult> generateAsync(TextRequest request) {
    SamplingConfig sampling;
    try {
      sampling = check(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Cancellation cancellation = Cancellation.create();
    return context.async("text generation", cancellation, () -> new Call(request, sampling, cancellation).generate());
  }

  /**
   * One call to generate or stream: its cancellation, deadline and listener events, spanning all its choices. Pulls
   * happen under {@link #lock}, so closing from another thread waits for a step in progress before freeing the run.
   */
  private final class Call implements Lifecycle.Work {
    private final TextRequest request;
    private final SamplingConfig sampling;
    private final Cancellation cancellation;
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final long id = context.nextId();
    private final long start = System.nanoTime();
    private final @Nullable ScheduledFuture<?> deadline;
    private volatile boolean timedOut;
    private boolean firstOutput;
    private boolean finished;
    private @Nullable TextRun current;
    /** For a stream: what closing it does. Null for generate, which runs on {@link #owner}. */
    private volatile @Nullable Runnable closer;
    private final Thread owner = Thread.currentThread();

    Call(TextRequest request, SamplingConfig sampling, Cancellation cancellation) {
      this.request = request;
      this.sampling = sampling;
      this.cancellation = cancellation;
      lifecycle.enter(this);
      context.onStart(context.event(id, model, kind, start));
      this.deadline = request.timeout().map(t -> context.schedule(t, this::timeUp)).orElse(null);
    }

    private void timeUp() {
      timedOut = true;
      cancellation.cancel();
    }

    /** Starts the engine's run for one choice (or, with {@code count > 1}, for several at once). */
    private TextRun start(int choice, int count, boolean streamed) {
      SamplingConfig s = sampling;
      if (choice > 0 && sampling.seed().isPresent()) {
        s = sampling.toBuilder().seed(sampling.seed().getAsLong() + choice).build();
      }
      TextRequest job = request.withSampling(s).withCount(count);
      TextRun run = engine.start(Job.of(job, cancellation, (stage, step, total) -> { }, request.timeout().orElse(null)),
          streamed);
      if (run == null) {
        throw new Muse4jException("The text engine for " + model + " started no run.");
      }
      lock.lock();
      try {
        closeRun(); // the previous choice's run is drained: free it before holding the next one
        current = run;
      } finally {
        lock.unlock();
      }
      return run;
    }

    TextResult generate() {
      try {
        int count = request.count();
        if (count > 1 && engine.choicesPerRun() >= count) {
          Reader reader = new Reader(start(0, count, false));
          reader.drain();
          return finish(reader.result(true));
        }
        List<TextResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          Reader reader = new Reader(start(i, 1, false));
          reader.drain();
          results.add(reader.result(false));
          if (reader.outcome.finishReason() == FinishReason.CANCELLED) {
            break;
          }
        }
        return finish(combine(results));
      } catch (RuntimeException e) {
        throw fail(e);
      } finally {
        end();
      }
    }

    TextStream stream() {
      try {
        Stream stream = new Stream(this, new Reader(start(0, 1, true)));
        closer = stream::close;
        return stream;
      } catch (RuntimeException e) {
        RuntimeException error = fail(e);
        end();
        throw error;
      }
    }

    /** Reports a successful end (which may be a caller's cancellation) and returns the result. */
    TextResult finish(TextResult result) {
      if (result.finishReason() == FinishReason.CANCELLED && cancelIsFailure()) {
        throw cancelled();
      }
      context.onEnd(GenerationEvent.of(id, context.backend, model, kind, elapsed(), result.finishReason(),
          result.usage().orElse(null), result.timings()));
      return result;
    }

    private RuntimeException cancelled() {
      if (timedOut) {
        Duration timeout = request.timeout().orElseThrow();
        return new GenerationTimeoutException(timeout, "The text generation with " + model + " took longer than its "
            + "timeout of " + timeout + " and was cancelled.", null);
      }
      if (lifecycle.isClosed()) {
        return new GenerationCancelledException("The text generation with " + model + " was cancelled because its "
            + lifecycle.what() + " was closed.");
      }
      return new GenerationCancelledException("The calling thread was interrupted; the text generation with "
          + model + " was cancelled.");
    }

    /** Maps a failure to what the caller gets, and reports it to the listener. */
    RuntimeException fail(RuntimeException e) {
      Muse4jException error;
      if (timedOut) {
        Duration timeout = request.timeout().orElseThrow();
        error = new GenerationTimeoutException(timeout, "The text generation with " + model + " took longer than its "
            + "timeout of " + timeout + " and was cancelled.", e);
      } else if (e instanceof Muse4jException) {
        error = (Muse4jException) e;
      } else {
        error = new Muse4jException("The text engine failed with " + model + ": " + e, e);
      }
      if (error instanceof GenerationCancelledException && !(error instanceof ClosedException)) {
        context.onEnd(GenerationEvent.of(id, context.backend, model, kind, elapsed(), FinishReason.CANCELLED, null,
            null));
      } else {
        context.onFailure(context.event(id, model, kind, start), error);
      }
      return error;
    }

    private Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Frees the current run and unregisters. Idempotent. */
    void end() {
      lock.lock();
      try {
        if (finished) {
          return;
        }
        finished = true;
        closeRun();
      } finally {
        lock.unlock();
      }
      if (deadline != null) {
        deadline.cancel(false);
      }
      lifecycle.exit(this);
      ended.countDown();
    }

    private void closeRun() {
      if (current != null) {
        try {
          current.close();
        } catch (RuntimeException e) {
          // A run that fails to close has nothing more to give; the generation's own outcome stands.
        }
        current = null;
      }
    }

    @Override
    public void cancel() {
      cancellation.cancel();
    }

    @Override
    public void awaitEnd() {
      Runnable close = closer;
      if (close != null) {
        close.run(); // a stream nobody reads still holds its run: free it, after any step in progress
        return;
      }
      if (Thread.currentThread() == owner) {
        return; // closed from inside the generation (a listener): it ends when the call returns
      }
      Lifecycle.awaitUninterruptibly(ended);
    }

    /** Whether a cancelled generation is the caller's failure rather than an ordinary CANCELLED end. */
    boolean cancelIsFailure() {
      return timedOut || Thread.currentThread().isInterrupted() || (closer == null && lifecycle.isClosed());
    }

    /** Reads one run's pieces under the call's lock. */
    private final class Reader {
      private final TextRun run;
      private final StringBuilder text = new StringBuilder();
      private final long runStart = System.nanoTime();
      private int pieces;
      private long firstPieceNanos;
      private boolean done;
      private TextOutcome outcome = TextOutcome.of(FinishReason.CANCELLED, null);
      /** Guards {@link #text} between the reading thread and {@link #soFar()} on any other thread. */
      private final Object textLock = new Object();

      Reader(TextRun run) {
        this.run = run;
      }

      /** The next piece, or null at the end. Call with the lock held. */
      @Nullable String next() {
        if (Thread.currentThread().isInterrupted()) {
          cancellation.cancel(); // an interrupted consumer cancels, as a blocked one would
        }
        while (!done) {
          if (finished || cancellation.isCancelled()) {
            done = true;
            outcome = TextOutcome.of(FinishReason.CANCELLED, null);
            if (cancelIsFailure()) {
              throw cancelled();
            }
            return null;
          }
          String piece;
          try {
            piece = run.next();
          } catch (RuntimeException e) {
            done = true;
            if (cancellation.isCancelled()
                && (e instanceof GenerationCancelledException || !(e instanceof Muse4jException))) {
              if (cancelIsFailure()) {
                throw cancelled();
              }
              outcome = TextOutcome.of(FinishReason.CANCELLED, null);
              return null;
            }
            throw e;
          }
          if (piece == null) {
            done = true;
            if (cancellation.isCancelled()) {
              outcome = TextOutcome.of(FinishReason.CANCELLED, null);
              if (cancelIsFailure()) {
                throw cancelled();
              }
              return null;
            }
            outcome = run.outcome();
            return null;
          }
          if (piece.isEmpty()) {
            continue;
          }
          if (pieces++ == 0) {
            firstPieceNanos = System.nanoTime();
            if (!firstOutput) {
              firstOutput = true;
              context.onFirstOutput(context.event(id, model, kind, start));
            }
          }
          synchronized (textLock) {
            text.append(piece); // textSoFar() copies it only when asked
          }
          return piece;
        }
        return null;
      }

      /** The text read so far; callable from any thread. */
      String soFar() {
        synchronized (textLock) {
          return text.toString();
        }
      }

      void drain() {
        lock.lock();
        try {
          while (next() != null) {
            // keep going
          }
        } finally {
          lock.unlock();
        }
      }

      TextResult result(boolean severalAtOnce) {
        long now = System.nanoTime();
        Usage usage = outcome.usage().orElse(null);
        Timings timings = outcome.timings().orElseGet(() -> Timings.of(
            Duration.ofNanos((pieces > 0 ? firstPieceNanos : now) - runStart), Duration.ofNanos(now - runStart),
            usage != null ? usage.completionTokens() : pieces));
        if (severalAtOnce && !outcome.choices().isEmpty()) {
          return TextResult.ofChoices(outcome.choices(), usage, timings);
        }
        return TextResult.of(soFar(), outcome.finishReason(), usage, timings);
      }
    }

    /** The user's view of a streamed call: pulls pieces on the consumer's thread. */
    private final class Stream implements TextStream {
      private final Call call;
      private final Reader reader;
      private final AtomicBoolean iteratorTaken = new AtomicBoolean();
      private @Nullable String pending;
      private @Nullable TextResult result;
      private @Nullable RuntimeException failure;
      private volatile boolean done;

      Stream(Call call, Reader reader) {
        this.call = call;
        this.reader = reader;
      }

      /** Pulls until a piece is ready or the end; true if a piece is ready. */
      private boolean advance() {
        lock.lock();
        try {
          if (pending != null) {
            return true;
          }
          if (done) {
            if (failure != null) {
              throw failure;
            }
            return false;
          }
          try {
            String piece = reader.next();
            if (piece != null) {
              pending = piece;
              return true;
            }
            result = call.finish(reader.result(false));
            done = true;
          } catch (RuntimeException e) {
            failure = call.fail(e);
            done = true;
          }
        } finally {
          lock.unlock();
        }
        call.end();
        if (failure != null) {
          throw failure;
        }
        return false;
      }

      private @Nullable String take() {
        lock.lock();
        try {
          String piece = pending;
          pending = null;
          return piece;
        } finally {
          lock.unlock();
        }
      }

      @Override
      public java.util.Iterator<dev.muse4j.TextChunk> iterator() {
        if (!iteratorTaken.compareAndSet(false, true)) {
          throw new InvalidRequestException("stream", "This TextStream was already iterated; a stream can be "
              + "iterated only once. Keep the first iterator, or call result() for the whole text.");
        }
        return new java.util.Iterator<>() {
          @Override
          public boolean hasNext() {
            return advance();
          }

          @Override
          public dev.muse4j.TextChunk next() {
            if (!advance()) {
              throw new java.util.NoSuchElementException();
            }
            return dev.muse4j.TextChunk.of(java.util.Objects.requireNonNull(take()));
          }
        };
      }

      @Override
      public TextResult result() {
        while (advance()) {
          take();
        }
        lock.lock();
        try {
          if (failure != null) {
            throw failure;
          }
          return java.util.Objects.requireNonNull(result);
        } finally {
          lock.unlock();
        }
      }

      @Override
      public String textSoFar() {
        return reader.soFar();
      }

      @Override
      public boolean isDone() {
        return done;
      }

      @Override
      public void close() {
        if (done) {
          return;
        }
        call.cancel();
        lock.lock();
        try {
          if (!done) {
            done = true;
            reader.done = true;
            long now = System.nanoTime();
            result = TextResult.of(reader.soFar(), FinishReason.CANCELLED, null, Timings.of(
                Duration.ofNanos((reader.pieces > 0 ? reader.firstPieceNanos : now) - reader.runStart),
                Duration.ofNanos(now - reader.runStart), reader.pieces));
            context.onEnd(GenerationEvent.of(id, context.backend, model, kind, elapsed(), FinishReason.CANCELLED,
                null, result.timings()));
          }
        } finally {
          lock.unlock();
        }
        call.end();
      }

      @Override
      public String toString() {
        return "TextStream{" + model + (done ? ", done" : "") + "}";
      }
    }

    /** Combines one result per choice: usage summed (the prompt counted once), timings from the first to the last. */
    private TextResult combine(List<TextResult> results) {
      if (results.size() == 1) {
        return results.get(0);
      }
      List<TextChoice> choices = new ArrayList<>();
      int prompt = 0;
      int completion = 0;
      boolean usageKnown = true;
      Duration total = Duration.ZERO;
      for (int i = 0; i < results.size(); i++) {
        TextResult one = results.get(i);
        choices.add(TextChoice.of(i, one.text(), one.finishReason()));
        if (one.usage().isPresent()) {
          prompt = one.usage().get().promptTokens();
          completion += one.usage().get().completionTokens();
        } else {
          usageKnown = false;
        }
        total = total.plus(one.timings().total());
      }
      Duration first = results.get(0).timings().timeToFirstToken();
      return TextResult.ofChoices(choices, usageKnown ? Usage.of(prompt, completion) : null,
          Timings.of(first, total, usageKnown ? completion : 0));
    }
  }
}

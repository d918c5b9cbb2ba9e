package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.Muse4jException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import dev.muse4j.onnx.internal.session.SessionFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One generation, decoded on the consumer's thread as it iterates: no hand-off between threads, so streaming costs
 * nothing over the raw decode loop. {@link #close()} may come from any thread: it flags cancellation and terminates a
 * run in progress ({@link OrtSession.RunOptions#setTerminate}), then waits for the step to stop before freeing the
 * KV cache, so no native memory is freed while in use.
 */
final class OnnxTextStream implements TextStream {
  private final OnnxTextGenerator generator;
  private final long[] prompt;
  private final int maxTokens;
  private final long[] eos;
  private final LogitsPipeline pipeline;
  private final StreamingText text;
  private final ReentrantLock stepLock = new ReentrantLock();
  /**
   * Guards {@link #runOptions}' native handle: {@link #close()} may set its terminate flag from another thread while
   * the consumer's thread frees it, and a flag set on freed memory would crash the JVM. Never held across a run.
   */
  private final Object runOptionsLock = new Object();
  private final AtomicBoolean iteratorTaken = new AtomicBoolean();
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private final long startNanos = System.nanoTime();
  private volatile boolean cancelled;
  private volatile boolean done;
  private OrtSession.@Nullable RunOptions runOptions;
  private volatile String soFar = "";
  private @Nullable DecoderRun run;
  private long lastToken = -1;
  private int generated;
  private long firstTokenNanos;
  private @Nullable TextResult result;
  private @Nullable RuntimeException failure;

  OnnxTextStream(OnnxTextGenerator generator, long[] prompt, SamplingConfig sampling, long seed) {
    this.generator = generator;
    this.prompt = prompt;
    this.maxTokens = Math.min(sampling.maxTokens().orElseThrow(), generator.contextLength() - prompt.length);
    this.eos = generator.eosIds();
    this.pipeline = new LogitsPipeline(generator.vocabulary() > 0 ? generator.vocabulary() : generator.sampleLimit(),
        generator.sampleLimit(), sampling, prompt, seed);
    this.text = new StreamingText(generator.tokenizer(), prompt, sampling.stop().orElse(List.of()));
  }

  @Override
  public Iterator<TextChunk> iterator() {
    if (!iteratorTaken.compareAndSet(false, true)) {
      throw new IllegalStateException("A TextStream can be iterated only once.");
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return advance();
      }

      @Override
      public TextChunk next() {
        if (!advance()) {
          throw new NoSuchElementException();
        }
        stepLock.lock();
        try {
          return TextChunk.of(pending.poll());
        } finally {
          stepLock.unlock();
        }
      }
    };
  }

  /** Generates until a piece of text is ready or the generation ends; true if a piece is ready. */
  private boolean advance() {
    stepLock.lock();
    try {
      while (pending.isEmpty() && !done) {
        step();
      }
      if (failure != null && pending.isEmpty()) {
        throw failure;
      }
      return !pending.isEmpty();
    } finally {
      stepLock.unlock();
    }
  }

  private void step() {
    if (cancelled) {
      end(FinishReason.CANCELLED);
      return;
    }
    if (Thread.currentThread().isInterrupted()) {
      cancelled = true;
      end(FinishReason.CANCELLED);
      throw new GenerationCancelledException("The calling thread was interrupted; generation was cancelled.");
    }
    float[] logits;
    try {
      if (run == null) {
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        synchronized (runOptionsLock) {
          runOptions = options;
          if (cancelled) {
            // close() came between the check above and now, and found no run options to flag.
            options.setTerminate(true);
          }
        }
        run = new DecoderRun(generator.env(), generator.session(), generator.layout(), options);
        logits = run.prefill(prompt);
      } else {
        logits = run.step(lastToken);
      }
    } catch (OrtException | RuntimeException e) {
      if (cancelled) {
        end(FinishReason.CANCELLED);
        return;
      }
      failure = e instanceof Muse4jException ? (RuntimeException) e
          : new Muse4jException("ONNX Runtime failed while generating with " + generator.model() + ": "
              + SessionFactory.firstLine(e.getMessage()), e);
      end(null);
      return;
    }
    int token = pipeline.next(logits);
    pipeline.accept(token);
    generated++;
    if (generated == 1) {
      firstTokenNanos = System.nanoTime();
    }
    lastToken = token;
    for (long e : eos) {
      if (e == token) {
        end(FinishReason.STOP);
        return;
      }
    }
    offer(text.append(token));
    if (text.stopped()) {
      end(FinishReason.STOP);
    } else if (generated >= maxTokens) {
      end(FinishReason.LENGTH);
    }
  }

  private void offer(String piece) {
    if (!piece.isEmpty()) {
      pending.add(piece);
      soFar = text.text();
    }
  }

  /** Ends the generation (a null reason means failure) and frees the KV cache. Call with the lock held. */
  private void end(@Nullable FinishReason reason) {
    if (done) {
      return;
    }
    if (reason != null && reason != FinishReason.CANCELLED) {
      offer(text.finish());
    }
    done = true;
    freeNative();
    long now = System.nanoTime();
    if (reason != null) {
      Timings timings = Timings.of(Duration.ofNanos((generated > 0 ? firstTokenNanos : now) - startNanos),
          Duration.ofNanos(now - startNanos), generated);
      result = TextResult.of(text.text(), reason, Usage.of(prompt.length, generated), timings);
    }
    generator.finished(this);
  }

  private void freeNative() {
    if (run != null) {
      run.close();
      run = null;
    }
    synchronized (runOptionsLock) {
      if (runOptions != null) {
        runOptions.close();
        runOptions = null;
      }
    }
  }

  @Override
  public TextResult result() {
    while (advance()) {
      stepLock.lock();
      try {
        pending.poll();
      } finally {
        stepLock.unlock();
      }
    }
    stepLock.lock();
    try {
      if (failure != null) {
        throw failure;
      }
      return result;
    } finally {
      stepLock.unlock();
    }
  }

  @Override
  public String textSoFar() {
    return soFar;
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
    cancelled = true;
    synchronized (runOptionsLock) {
      if (runOptions != null) {
        try {
          runOptions.setTerminate(true);
        } catch (OrtException | RuntimeException e) {
          // The flag checked before each step ends the generation anyway.
        }
      }
    }
    stepLock.lock();
    try {
      end(FinishReason.CANCELLED);
    } finally {
      stepLock.unlock();
    }
  }
}

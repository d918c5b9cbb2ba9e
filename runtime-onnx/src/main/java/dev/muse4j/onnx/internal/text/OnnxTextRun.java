package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.muse4j.FinishReason;
import dev.muse4j.Muse4jException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.Usage;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.spi.Cancellation;
import dev.muse4j.spi.TextOutcome;
import dev.muse4j.spi.TextRun;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One generation, decoded on the thread that pulls it: no hand-off between threads, so streaming costs nothing over
 * the raw decode loop. Cancellation may come from any thread: it terminates a run in progress
 * ({@link OrtSession.RunOptions#setTerminate}), and the next step sees the flag. The core never calls {@link #next()}
 * and {@link #close()} at once, so the KV cache is never freed while a step uses it.
 *
 * <p>With batching on, the run's steps go through the engine's {@link StepBatcher} instead of its own
 * {@link DecoderRun}: its prompt is prefilled alone, and each later step waits for the runs at the same length, one of
 * whose threads runs the step for all of them. Cancelling then ends this run's wait only.
 */
final class OnnxTextRun implements TextRun {
  private final OnnxTextEngine engine;
  private final long[] prompt;
  private final int maxTokens;
  /** The maxTokens asked for, when the context window leaves room for fewer; else -1. */
  private final int cappedFrom;
  private final long[] eos;
  private final LogitsPipeline pipeline;
  private final StreamingText text;
  private final Cancellation cancellation;
  /**
   * Guards {@link #runOptions}' native handle: a cancel hook may set its terminate flag from another thread while the
   * pulling thread frees it, and a flag set on freed memory would crash the JVM. Never held across a run.
   */
  private final Object runOptionsLock = new Object();
  private OrtSession.@Nullable RunOptions runOptions;
  private @Nullable DecoderRun run;
  /** This run's place in the engine's step batcher, when batching is on. */
  private final StepBatcher.@Nullable Member member;
  private boolean prefilled;
  private long lastToken = -1;
  private int generated;
  private boolean done;
  private @Nullable String pending;
  private TextOutcome outcome = TextOutcome.of(FinishReason.CANCELLED, null);

  OnnxTextRun(OnnxTextEngine engine, long[] prompt, SamplingConfig sampling, long seed, Cancellation cancellation) {
    this.engine = engine;
    this.prompt = prompt;
    int requested = sampling.maxTokens().orElseThrow();
    this.maxTokens = Math.min(requested, engine.contextLength() - prompt.length);
    this.cappedFrom = requested > maxTokens ? requested : -1;
    this.eos = engine.eosIds();
    this.pipeline = new LogitsPipeline(engine.vocabulary() > 0 ? engine.vocabulary() : engine.sampleLimit(),
        engine.sampleLimit(), sampling, prompt, seed);
    this.text = new StreamingText(engine.tokenizer(), prompt, sampling.stop().orElse(List.of()));
    this.cancellation = cancellation;
    StepBatcher batcher = engine.batcher();
    this.member = batcher != null ? batcher.join(prompt.length) : null;
    cancellation.onCancel(this::terminate);
  }

  @Override
  public @Nullable String next() {
    while (pending == null && !done) {
      step();
    }
    String piece = pending;
    pending = null;
    return piece;
  }

  private void step() {
    if (cancellation.isCancelled()) {
      end(FinishReason.CANCELLED);
      return;
    }
    float[] logits;
    try {
      if (member != null) {
        logits = prefilled ? member.step(lastToken) : member.prefill(prompt);
        prefilled = true;
        if (logits == null) {
          end(FinishReason.CANCELLED);
          return;
        }
      } else if (run == null) {
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        synchronized (runOptionsLock) {
          runOptions = options;
        }
        if (cancellation.isCancelled()) {
          end(FinishReason.CANCELLED);
          return;
        }
        run = new DecoderRun(engine.env(), engine.session(), engine.layout(), options,
            DecoderRun.prefillChunk(engine.vocabulary()), engine.vocabulary(), engine.logitsBuffers());
        logits = run.prefill(prompt);
      } else {
        logits = run.step(lastToken);
      }
    } catch (OrtException | RuntimeException e) {
      if (cancellation.isCancelled()) {
        end(FinishReason.CANCELLED);
        return;
      }
      end(null);
      if (e instanceof Muse4jException) {
        throw (Muse4jException) e;
      }
      throw engine.positionTableTooShort(e, prompt.length + generated).orElseGet(() -> new Muse4jException(
          "ONNX Runtime failed while generating with " + engine.name() + ": "
              + SessionFactory.firstLine(e.getMessage()), e));
    }
    int token = pipeline.next(logits);
    pipeline.accept(token);
    generated++;
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
      if (cappedFrom > 0) {
        engine.contextReached(cappedFrom, prompt.length);
      }
      end(FinishReason.LENGTH);
    }
  }

  private void offer(String piece) {
    if (!piece.isEmpty()) {
      pending = pending == null ? piece : pending + piece;
    }
  }

  /** Ends the generation (a null reason means failure) and frees the KV cache. */
  private void end(@Nullable FinishReason reason) {
    if (done) {
      return;
    }
    if (reason != null && reason != FinishReason.CANCELLED) {
      offer(text.finish());
    }
    done = true;
    if (reason != null) {
      outcome = TextOutcome.of(reason, Usage.of(prompt.length, generated));
    }
    freeNative();
  }

  /** Called by a cancel hook, from any thread: stops a run in progress. */
  private void terminate() {
    if (member != null) {
      member.cancel();
    }
    synchronized (runOptionsLock) {
      if (runOptions != null) {
        try {
          runOptions.setTerminate(true);
        } catch (OrtException | RuntimeException e) {
          // The cancellation checked before each step ends the generation anyway.
        }
      }
    }
  }

  private void freeNative() {
    if (member != null) {
      member.leave();
    }
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
  public TextOutcome outcome() {
    return outcome;
  }

  @Override
  public void close() {
    done = true;
    freeNative();
  }
}

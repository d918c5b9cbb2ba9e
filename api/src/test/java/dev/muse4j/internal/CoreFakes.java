package dev.muse4j.internal;

import dev.muse4j.Audio;
import dev.muse4j.BackendConfig;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationEvent;
import dev.muse4j.GenerationListener;
import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4jException;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.SamplingConfig;
import dev.muse4j.StyleRequest;
import dev.muse4j.TextRequest;
import dev.muse4j.Usage;
import dev.muse4j.spi.EngineSet;
import dev.muse4j.spi.ImageEngine;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import dev.muse4j.spi.MusicEngine;
import dev.muse4j.spi.StyleEngine;
import dev.muse4j.spi.TextEngine;
import dev.muse4j.spi.TextOutcome;
import dev.muse4j.spi.TextRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Fake engines and helpers for the core's tests: scripted, observable, and never timing-dependent. */
final class CoreFakes {
  /** The generous upper bound every wait in these tests uses, only to keep a broken build from hanging. */
  static final long WAIT_S = 10;

  private CoreFakes() {}

  static BackendConfig config() {
    return BackendConfig.empty();
  }

  static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(WAIT_S, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  /** Polls until the condition holds (bounded by {@link #WAIT_S}). */
  static void awaitTrue(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Waits until {@code t} is parked (waiting on a lock or latch). */
  static void awaitParked(Thread t) {
    awaitTrue(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING,
        t.getName() + " to block");
  }

  static Image picture(int width, int height) {
    return Image.ofRgb(width, height, new byte[width * height * 3]);
  }

  static ImageResult imageResult() {
    return ImageResult.of(List.of(picture(8, 8)), Duration.ofMillis(1));
  }

  static MusicResult musicResult() {
    return MusicResult.of(Audio.of(new float[16], 16_000, 1), null, Duration.ofMillis(1));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Text

  /** How a scripted run behaves. */
  static final class Script {
    final List<String> pieces;
    /** After this many pieces, next() blocks until the job is cancelled, then returns null; -1 for never. */
    int blockUntilCancelledAfter = -1;
    /** After this many pieces, next() blocks on {@link ScriptedRun#release}, ignoring cancellation; -1 for never. */
    int blockOnLatchAfter = -1;
    /** After this many pieces, next() throws {@link #failure}; -1 for never. */
    int failAfter = -1;
    @Nullable RuntimeException failure;
    TextOutcome outcome = TextOutcome.of(FinishReason.STOP, Usage.of(3, 2));

    Script(String... pieces) {
      this.pieces = List.of(pieces);
    }
  }

  /** A text run that yields its script's pieces and records how the core drives it. */
  static final class ScriptedRun implements TextRun {
    final Job<TextRequest> job;
    final boolean streamed;
    final Script script;
    final List<String> events;
    final AtomicBoolean inNext = new AtomicBoolean();
    final AtomicBoolean overlapped = new AtomicBoolean();
    final AtomicBoolean nextAfterClose = new AtomicBoolean();
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private int index;

    ScriptedRun(Job<TextRequest> job, boolean streamed, Script script, List<String> events) {
      this.job = job;
      this.streamed = streamed;
      this.script = script;
      this.events = events;
      job.cancellation().onCancel(cancelled::countDown);
    }

    @Override
    public @Nullable String next() {
      if (!inNext.compareAndSet(false, true)) {
        overlapped.set(true);
      }
      if (closes.get() > 0) {
        nextAfterClose.set(true);
      }
      try {
        if (index == script.failAfter) {
          throw java.util.Objects.requireNonNull(script.failure);
        }
        if (index == script.blockUntilCancelledAfter) {
          blocked.countDown();
          await(cancelled, "the run to be cancelled");
          events.add("next returned after cancel");
          return null;
        }
        if (index == script.blockOnLatchAfter) {
          script.blockOnLatchAfter = -1;
          blocked.countDown();
          await(release, "the test to release the run");
          events.add("next returned after release");
          return "late";
        }
        if (index < script.pieces.size()) {
          return script.pieces.get(index++);
        }
        return null;
      } finally {
        inNext.set(false);
      }
    }

    @Override
    public TextOutcome outcome() {
      return script.outcome;
    }

    @Override
    public void close() {
      if (inNext.get()) {
        overlapped.set(true);
      }
      closes.incrementAndGet();
      events.add("run closed");
    }
  }

  /** A text engine whose runs follow scripts; records every job and its own closing. */
  static final class FakeTextEngine implements TextEngine {
    final List<ScriptedRun> runs = new CopyOnWriteArrayList<>();
    final List<String> events;
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger starts = new AtomicInteger();
    volatile Function<Integer, Script> scripts;
    Limits limits = Limits.none();
    SamplingConfig modelDefaults = SamplingConfig.empty();
    SamplingConfig engineDefaults = SamplingConfig.defaults();
    int choicesPerRun = 1;
    @Nullable RuntimeException startFailure;

    FakeTextEngine(String... pieces) {
      this(Collections.synchronizedList(new ArrayList<>()), i -> new Script(pieces));
    }

    FakeTextEngine(List<String> events, Function<Integer, Script> scripts) {
      this.events = events;
      this.scripts = scripts;
    }

    static FakeTextEngine scripted(Script script) {
      return new FakeTextEngine(Collections.synchronizedList(new ArrayList<>()), i -> script);
    }

    ScriptedRun run(int i) {
      return runs.get(i);
    }

    List<Job<TextRequest>> jobs() {
      List<Job<TextRequest>> jobs = new ArrayList<>();
      for (ScriptedRun r : runs) {
        jobs.add(r.job);
      }
      return jobs;
    }

    @Override
    public Limits limits() {
      return limits;
    }

    @Override
    public SamplingConfig modelDefaults() {
      return modelDefaults;
    }

    @Override
    public SamplingConfig engineDefaults() {
      return engineDefaults;
    }

    @Override
    public int choicesPerRun() {
      return choicesPerRun;
    }

    @Override
    public TextRun start(Job<TextRequest> job, boolean streamed) {
      int n = starts.getAndIncrement();
      if (startFailure != null) {
        throw startFailure;
      }
      ScriptedRun run = new ScriptedRun(job, streamed, scripts.apply(n), events);
      runs.add(run);
      return run;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      events.add("engine closed");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Jobs (image, style, music)

  /** The shared step loop of the job engines: checks cancellation, may pause, reports each step. */
  static final class Stepper {
    final int steps;
    final List<String> events;
    final AtomicInteger lastStep = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicBoolean sawCancel = new AtomicBoolean();
    final List<Job<?>> jobs = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    /** Counted down when a job reaches {@link #pauseBefore}. */
    final CountDownLatch paused = new CountDownLatch(1);
    /** Counted down by the test (or by cancellation, with {@link #resumeOnCancel}) to let the paused job go on. */
    final CountDownLatch resume = new CountDownLatch(1);
    /** Counted down when a job returns or throws. */
    final CountDownLatch returned = new CountDownLatch(1);
    /** The 1-based step before which a job pauses; 0 for never. */
    volatile int pauseBefore;
    volatile boolean resumeOnCancel;
    volatile @Nullable RuntimeException failure;

    Stepper(int steps, List<String> events) {
      this.steps = steps;
      this.events = events;
    }

    void run(Job<?> job) {
      calls.incrementAndGet();
      jobs.add(job);
      threads.add(Thread.currentThread().getName());
      try {
        if (failure != null) {
          throw failure;
        }
        for (int i = 1; i <= steps; i++) {
          if (job.cancellation().isCancelled()) {
            sawCancel.set(true);
          }
          job.cancellation().throwIfCancelled();
          if (i == pauseBefore) {
            if (resumeOnCancel) {
              job.cancellation().onCancel(resume::countDown);
            }
            paused.countDown();
            await(resume, "the paused job to be resumed");
            events.add("job resumed");
            if (job.cancellation().isCancelled()) {
              sawCancel.set(true);
            }
            job.cancellation().throwIfCancelled();
          }
          lastStep.set(i);
          job.step(i, steps);
        }
      } finally {
        events.add("job returned");
        returned.countDown();
      }
    }

    void close() {
      closes.incrementAndGet();
      events.add("engine closed");
    }
  }

  static final class FakeImageEngine implements ImageEngine {
    final Stepper stepper;
    Limits limits = Limits.none();

    FakeImageEngine(int steps) {
      this(steps, Collections.synchronizedList(new ArrayList<>()));
    }

    FakeImageEngine(int steps, List<String> events) {
      this.stepper = new Stepper(steps, events);
    }

    @Override
    public Limits limits() {
      return limits;
    }

    @Override
    public ImageResult generate(Job<ImageRequest> job) {
      stepper.run(job);
      return imageResult();
    }

    @Override
    public void close() {
      stepper.close();
    }
  }

  static final class FakeStyleEngine implements StyleEngine {
    final Stepper stepper;
    Limits limits = Limits.none();

    FakeStyleEngine(int steps) {
      this.stepper = new Stepper(steps, Collections.synchronizedList(new ArrayList<>()));
    }

    @Override
    public Limits limits() {
      return limits;
    }

    @Override
    public ImageResult transfer(Job<StyleRequest> job) {
      stepper.run(job);
      return imageResult();
    }

    @Override
    public void close() {
      stepper.close();
    }
  }

  static final class FakeMusicEngine implements MusicEngine {
    final Stepper stepper;
    Limits limits = Limits.none();

    FakeMusicEngine(int steps) {
      this.stepper = new Stepper(steps, Collections.synchronizedList(new ArrayList<>()));
    }

    @Override
    public Limits limits() {
      return limits;
    }

    @Override
    public MusicResult generate(Job<MusicRequest> job) {
      stepper.run(job);
      return musicResult();
    }

    @Override
    public void close() {
      stepper.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Backends

  static EngineSet textOnly(TextEngine engine) {
    return EngineSet.builder().text((model, options) -> engine).build();
  }

  static EngineSet imageOnly(ImageEngine engine) {
    return EngineSet.builder().image((model, options) -> engine).build();
  }

  static CoreBackend backend(EngineSet set) {
    return new CoreBackend("fake", set, config());
  }

  static CoreBackend backend(EngineSet set, BackendConfig config) {
    return new CoreBackend("fake", set, config);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Listener

  /** Records every lifecycle callback as "method#id[:detail]". */
  static class RecordingListener implements GenerationListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<GenerationEvent> events = new CopyOnWriteArrayList<>();
    final List<Muse4jException> errors = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onStart(GenerationEvent event) {
      record("start", event);
    }

    @Override
    public void onFirstOutput(GenerationEvent event) {
      record("first", event);
    }

    @Override
    public void onEnd(GenerationEvent event) {
      record("end:" + event.finishReason().map(Enum::name).orElse("none"), event);
      ended.countDown();
    }

    @Override
    public void onFailure(GenerationEvent event, Muse4jException error) {
      errors.add(error);
      record("failure", event);
      ended.countDown();
    }

    void record(String what, GenerationEvent event) {
      events.add(event);
      calls.add(what);
    }
  }
}

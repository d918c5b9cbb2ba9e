package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One moment in a generation's life, as a {@link GenerationListener} sees it: which backend, model and kind, how long
 * it has run, and, once it has ended, how.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class GenerationEvent {
  private final long id;
  private final String backend;
  private final String model;
  private final Capability kind;
  private final Duration elapsed;
  private final @Nullable FinishReason finishReason;
  private final @Nullable Usage usage;
  private final @Nullable Timings timings;

  private GenerationEvent(long id, String backend, String model, Capability kind, Duration elapsed,
      @Nullable FinishReason finishReason, @Nullable Usage usage, @Nullable Timings timings) {
    this.id = id;
    this.backend = backend;
    this.model = model;
    this.kind = kind;
    this.elapsed = elapsed;
    this.finishReason = finishReason;
    this.usage = usage;
    this.timings = timings;
  }

  /**
   * An event; the core creates them, and tests of listeners may too.
   *
   * @param id the generation's number, unique within the JVM
   * @param backend the backend's name
   * @param model the model as it was opened
   * @param kind text, image, style or music
   * @param elapsed the time since the generation started
   * @param finishReason how it ended, or {@code null} while it runs or when it failed
   * @param usage token counts, or {@code null}
   * @param timings text timings, or {@code null}
   * @return the event
   */
  public static GenerationEvent of(long id, String backend, String model, Capability kind, Duration elapsed,
      @Nullable FinishReason finishReason, @Nullable Usage usage, @Nullable Timings timings) {
    return new GenerationEvent(id, Checks.notNull(backend, "backend"), Checks.notNull(model, "model"),
        Checks.notNull(kind, "kind"), Checks.notNull(elapsed, "elapsed"), finishReason, usage, timings);
  }

  /**
   * The generation's number, the same in each event about it and unique within the JVM.
   *
   * @return the id
   */
  public long id() {
    return id;
  }

  /**
   * The backend's name.
   *
   * @return for example {@code "onnx"}
   */
  public String backend() {
    return backend;
  }

  /**
   * The model as it was opened.
   *
   * @return the model directory or id
   */
  public String model() {
    return model;
  }

  /**
   * What is generated.
   *
   * @return the kind
   */
  public Capability kind() {
    return kind;
  }

  /**
   * The time since the generation started.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * How the generation ended; present in {@link GenerationListener#onEnd}. Picture, style and music jobs end with
   * {@link FinishReason#STOP}, or {@link FinishReason#CANCELLED}.
   *
   * @return the finish reason
   */
  public Optional<FinishReason> finishReason() {
    return Optional.ofNullable(finishReason);
  }

  /**
   * Token counts of a text generation that ended, where known.
   *
   * @return the usage
   */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /**
   * Timings of a text generation that ended.
   *
   * @return the timings
   */
  public Optional<Timings> timings() {
    return Optional.ofNullable(timings);
  }

  @Override
  public String toString() {
    return "GenerationEvent{#" + id + ", " + backend + ", " + kind + ", " + model + ", " + elapsed.toMillis() + " ms"
        + (finishReason != null ? ", " + finishReason : "") + (usage != null ? ", " + usage : "") + "}";
  }
}

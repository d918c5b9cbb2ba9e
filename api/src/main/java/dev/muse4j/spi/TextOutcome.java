package dev.muse4j.spi;

import dev.muse4j.FinishReason;
import dev.muse4j.TextChoice;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link TextRun} ended: the finish reason and token counts, and for a run that made several choices at once,
 * each choice's text. The core measures timings itself unless the engine knows better ({@link #timings()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class TextOutcome {
  private final FinishReason finishReason;
  private final @Nullable Usage usage;
  private final @Nullable Timings timings;
  private final List<TextChoice> choices;

  private TextOutcome(FinishReason finishReason, @Nullable Usage usage, @Nullable Timings timings,
      List<TextChoice> choices) {
    this.finishReason = finishReason;
    this.usage = usage;
    this.timings = timings;
    this.choices = List.copyOf(choices);
  }

  /**
   * The outcome of a run that made one choice, its text being the pieces it returned.
   *
   * @param finishReason why it ended
   * @param usage token counts, or {@code null} if unknown
   * @return the outcome
   */
  public static TextOutcome of(FinishReason finishReason, @Nullable Usage usage) {
    return new TextOutcome(finishReason, usage, null, List.of());
  }

  /**
   * The outcome of a run that made several choices together (a remote {@code n}).
   *
   * @param choices the choices, in order; the first one's finish reason is the outcome's
   * @param usage token counts over all choices, or {@code null} if unknown
   * @param timings timings the engine measured, or {@code null} to let the core measure them
   * @return the outcome
   * @throws IllegalArgumentException if there is no choice
   */
  public static TextOutcome ofChoices(List<TextChoice> choices, @Nullable Usage usage, @Nullable Timings timings) {
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("A text outcome needs at least one choice.");
    }
    return new TextOutcome(choices.get(0).finishReason(), usage, timings, choices);
  }

  /**
   * The same outcome with timings the engine measured (a server's, say).
   *
   * @param measured the timings
   * @return a new outcome
   */
  public TextOutcome withTimings(Timings measured) {
    return new TextOutcome(finishReason, usage, measured, choices);
  }

  /**
   * Why the run ended.
   *
   * @return the reason
   */
  public FinishReason finishReason() {
    return finishReason;
  }

  /**
   * Token counts, where known.
   *
   * @return the usage
   */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /**
   * Timings the engine measured, where it knows better than the core.
   *
   * @return the timings
   */
  public Optional<Timings> timings() {
    return Optional.ofNullable(timings);
  }

  /**
   * The choices of a run that made several; empty for a run that made one.
   *
   * @return the choices
   */
  public List<TextChoice> choices() {
    return choices;
  }

  @Override
  public String toString() {
    return "TextOutcome{" + finishReason + (usage != null ? ", " + usage : "")
        + (choices.isEmpty() ? "" : ", choices=" + choices.size()) + "}";
  }
}

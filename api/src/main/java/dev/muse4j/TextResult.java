package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a text generation: the text, why it ended, token usage and timings. With
 * {@link TextRequest#count()} above 1, {@link #choices()} holds every alternative and {@link #text()} is the first.
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TextResult {
  private final List<TextChoice> choices;
  private final @Nullable Usage usage;
  private final Timings timings;

  private TextResult(List<TextChoice> choices, @Nullable Usage usage, Timings timings) {
    this.choices = choices;
    this.usage = usage;
    this.timings = timings;
  }

  /**
   * A single-completion result.
   *
   * @param text the generated text
   * @param finishReason why it ended
   * @param usage token counts, or {@code null} when the backend could not tell
   * @param timings how long it took
   * @return the result
   */
  public static TextResult of(String text, FinishReason finishReason, @Nullable Usage usage, Timings timings) {
    Checks.notNull(timings, "timings");
    return new TextResult(List.of(TextChoice.of(0, text, finishReason)), usage, timings);
  }

  /**
   * A result with several alternatives.
   *
   * @param choices the alternatives, indexed 0, 1, ... in order; at least one
   * @param usage token counts over all choices, or {@code null} when unknown
   * @param timings how long it took
   * @return the result
   */
  public static TextResult ofChoices(List<TextChoice> choices, @Nullable Usage usage, Timings timings) {
    Checks.notNull(choices, "choices");
    Checks.notNull(timings, "timings");
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("a result needs at least one choice");
    }
    for (int i = 0; i < choices.size(); i++) {
      if (choices.get(i).index() != i) {
        throw new IllegalArgumentException("choice " + i + " has index " + choices.get(i).index());
      }
    }
    return new TextResult(List.copyOf(choices), usage, timings);
  }

  /**
   * The generated text (of the first choice). Does not include the prompt.
   *
   * @return the text
   */
  public String text() {
    return choices.get(0).text();
  }

  /**
   * Why generation ended (for the first choice).
   *
   * @return the reason
   */
  public FinishReason finishReason() {
    return choices.get(0).finishReason();
  }

  /**
   * Every alternative, in order.
   *
   * @return at least one choice
   */
  public List<TextChoice> choices() {
    return choices;
  }

  /**
   * Token counts, when the backend knows them (a local backend always does; a remote server may not say).
   *
   * @return the usage, or empty
   */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /**
   * How long it took.
   *
   * @return the timings; {@link Timings#unknown()} if not measured
   */
  public Timings timings() {
    return timings;
  }

  @Override
  public String toString() {
    return "TextResult{" + finishReason() + ", " + usage + ", " + timings + ", text=" + text() + "}";
  }
}

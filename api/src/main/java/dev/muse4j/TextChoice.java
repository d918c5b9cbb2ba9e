package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.Objects;

/**
 * One of the alternative completions of a request with {@link TextRequest#count()} above 1. Immutable and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class TextChoice {
  private final int index;
  private final String text;
  private final FinishReason finishReason;

  private TextChoice(int index, String text, FinishReason finishReason) {
    this.index = index;
    this.text = text;
    this.finishReason = finishReason;
  }

  /**
   * Creates a choice.
   *
   * @param index its position, from 0
   * @param text the generated text
   * @param finishReason why it ended
   * @return the choice
   */
  public static TextChoice of(int index, String text, FinishReason finishReason) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0 but was " + index);
    }
    return new TextChoice(index, Checks.notNull(text, "text"), Checks.notNull(finishReason, "finishReason"));
  }

  /**
   * The choice's position, from 0.
   *
   * @return the index
   */
  public int index() {
    return index;
  }

  /**
   * The generated text.
   *
   * @return the text
   */
  public String text() {
    return text;
  }

  /**
   * Why this choice ended.
   *
   * @return the reason
   */
  public FinishReason finishReason() {
    return finishReason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextChoice && ((TextChoice) o).index == index && ((TextChoice) o).text.equals(text)
        && ((TextChoice) o).finishReason == finishReason;
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, text, finishReason);
  }

  @Override
  public String toString() {
    return "TextChoice{" + index + ", " + finishReason + ", " + text + "}";
  }
}

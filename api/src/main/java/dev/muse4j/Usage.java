package dev.muse4j;

/**
 * Token counts of one generation. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Usage {
  private final int promptTokens;
  private final int completionTokens;

  private Usage(int promptTokens, int completionTokens) {
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
  }

  /**
   * Creates a usage record.
   *
   * @param promptTokens tokens in the prompt (after the chat template), at least 0
   * @param completionTokens tokens generated, at least 0
   * @return the usage
   */
  public static Usage of(int promptTokens, int completionTokens) {
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0 but were prompt=" + promptTokens + ", completion=" + completionTokens);
    }
    return new Usage(promptTokens, completionTokens);
  }

  /**
   * Tokens in the prompt.
   *
   * @return the count
   */
  public int promptTokens() {
    return promptTokens;
  }

  /**
   * Tokens generated, over all completions.
   *
   * @return the count
   */
  public int completionTokens() {
    return completionTokens;
  }

  /**
   * Prompt plus completion tokens.
   *
   * @return the sum
   */
  public int totalTokens() {
    return promptTokens + completionTokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Usage && ((Usage) o).promptTokens == promptTokens
        && ((Usage) o).completionTokens == completionTokens;
  }

  @Override
  public int hashCode() {
    return promptTokens * 31 + completionTokens;
  }

  @Override
  public String toString() {
    return "Usage{prompt=" + promptTokens + ", completion=" + completionTokens + "}";
  }
}

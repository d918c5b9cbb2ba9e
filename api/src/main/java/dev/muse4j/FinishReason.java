package dev.muse4j;

/**
 * Why generation ended.
 *
 * <p>Enum constants are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum FinishReason {
  /** The model ended the text (end-of-sequence token) or a stop string matched. */
  STOP,
  /** The token limit ({@link SamplingConfig#maxTokens()}) or the model's context window was reached. */
  LENGTH,
  /** The caller cancelled: the stream was closed before the end. */
  CANCELLED,
  /** A remote server withheld content under its policy. */
  CONTENT_FILTER,
  /** A reason this version of Muse4j does not know, reported by a remote server. */
  OTHER
}

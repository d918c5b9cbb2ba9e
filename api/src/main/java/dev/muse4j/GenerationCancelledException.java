package dev.muse4j;

/**
 * Generation stopped because the caller cancelled it: a stream was closed, a future cancelled, or the calling
 * thread interrupted (the interrupt flag is then restored).
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class GenerationCancelledException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was cancelled
   */
  public GenerationCancelledException(String message) {
    super(message);
  }
}

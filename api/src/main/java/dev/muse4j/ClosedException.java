package dev.muse4j;

/**
 * A backend, generator or stream was used after it was closed. The message names what was closed.
 *
 * @since 0.2.0
 */
public final class ClosedException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final String what;

  /**
   * Creates the exception.
   *
   * @param what what was closed, for example {@code "text generator models/gpt2 on backend onnx"}
   */
  public ClosedException(String what) {
    super("This " + what + " is closed; open a new one to go on.");
    this.what = what;
  }

  /**
   * What was closed.
   *
   * @return a description such as {@code "text generator models/gpt2 on backend onnx"}
   */
  public String what() {
    return what;
  }
}

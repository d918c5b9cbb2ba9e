package dev.muse4j;

import org.jspecify.annotations.Nullable;

/**
 * A request or a sampling configuration was invalid. Nothing was sent or computed, and no state changed.
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class InvalidRequestException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the name of the offending field, as in the builder method that sets it
   * @param message what was wrong, what is allowed, and how to fix it
   */
  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  /**
   * Creates the exception with what revealed the problem, for example a server's error answer when a remote backend
   * finds the request invalid only after sending it.
   *
   * @param field the name of the offending field, as in the builder method that sets it
   * @param message what was wrong, what is allowed, and how to fix it
   * @param cause what revealed it, or {@code null}
   * @since 0.2.0
   */
  public InvalidRequestException(String field, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /**
   * The name of the offending field, for example {@code "temperature"} or {@code "width"}.
   *
   * @return the field name
   */
  public String field() {
    return field;
  }
}

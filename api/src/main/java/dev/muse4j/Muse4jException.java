package dev.muse4j;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Muse4j throws. All are unchecked.
 *
 * <p>Messages say what was wrong, what was expected and how to fix it. They never contain a secret such as an API
 * key. Instances are immutable and safe to share between threads.
 *
 * @since 0.1.0
 */
public class Muse4jException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong and how to fix it
   */
  public Muse4jException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public Muse4jException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}

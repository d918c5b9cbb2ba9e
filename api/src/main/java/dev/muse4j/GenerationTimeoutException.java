package dev.muse4j;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Generation took longer than a configured limit, such as a remote backend's request timeout.
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class GenerationTimeoutException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /**
   * Creates the exception.
   *
   * @param timeout the limit that was exceeded
   * @param message what timed out and which setting controls the limit
   * @param cause the underlying failure, or {@code null}
   */
  public GenerationTimeoutException(Duration timeout, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.timeout = timeout;
  }

  /**
   * The limit that was exceeded.
   *
   * @return the configured timeout
   */
  public Duration timeout() {
    return timeout;
  }
}

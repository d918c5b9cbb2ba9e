package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A remote server answered with an error, or could not be reached. Carries what the server said (status, error
 * type, code, parameter, request id) and whether retrying could help. Never carries request headers, so never an API
 * key.
 *
 * <p>Create instances with {@link #builder(String)}.
 *
 * @since 0.1.0
 */
public final class RemoteApiException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable String type;
  private final @Nullable String code;
  private final @Nullable String param;
  private final @Nullable String requestId;
  private final boolean retryable;
  private final int attempts;

  private RemoteApiException(Builder b) {
    super(b.message, b.cause);
    this.status = b.status;
    this.type = b.type;
    this.code = b.code;
    this.param = b.param;
    this.requestId = b.requestId;
    this.retryable = b.retryable;
    this.attempts = b.attempts;
  }

  /**
   * Starts building an exception.
   *
   * @param message a readable description, including the server's own message when there is one
   * @return a builder
   */
  public static Builder builder(String message) {
    return new Builder(Checks.notNull(message, "message"));
  }

  /**
   * The HTTP status code, or empty when no response arrived (connection refused, reset, or a stream cut).
   *
   * @return the status
   */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /**
   * The server's error type, for example {@code invalid_request_error}.
   *
   * @return the type, or empty
   */
  public Optional<String> type() {
    return Optional.ofNullable(type);
  }

  /**
   * The server's error code, for example {@code model_not_found} or {@code 400}.
   *
   * @return the code, or empty
   */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /**
   * The request parameter the server blamed, when it named one.
   *
   * @return the parameter, or empty
   */
  public Optional<String> param() {
    return Optional.ofNullable(param);
  }

  /**
   * The server's request id (from {@code x-request-id}), useful when reporting a problem to the provider.
   *
   * @return the request id, or empty
   */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /**
   * Whether sending the same request again could succeed (rate limits, server errors, broken connections).
   *
   * @return {@code true} if a retry could help
   */
  public boolean retryable() {
    return retryable;
  }

  /**
   * How many attempts were made before this exception was thrown, retries included.
   *
   * @return the attempt count, at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Builds a {@link RemoteApiException}. Not thread-safe; use one builder per exception.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String message;
    private @Nullable Throwable cause;
    private int status;
    private @Nullable String type;
    private @Nullable String code;
    private @Nullable String param;
    private @Nullable String requestId;
    private boolean retryable;
    private int attempts = 1;

    private Builder(String message) {
      this.message = message;
    }

    /**
     * Sets the HTTP status; 0 means no response.
     *
     * @param status the status code
     * @return this builder
     */
    public Builder status(int status) {
      this.status = status;
      return this;
    }

    /**
     * Sets the server's error type.
     *
     * @param type the type, or {@code null}
     * @return this builder
     */
    public Builder type(@Nullable String type) {
      this.type = type;
      return this;
    }

    /**
     * Sets the server's error code.
     *
     * @param code the code, or {@code null}
     * @return this builder
     */
    public Builder code(@Nullable String code) {
      this.code = code;
      return this;
    }

    /**
     * Sets the request parameter the server blamed.
     *
     * @param param the parameter, or {@code null}
     * @return this builder
     */
    public Builder param(@Nullable String param) {
      this.param = param;
      return this;
    }

    /**
     * Sets the server's request id.
     *
     * @param requestId the id, or {@code null}
     * @return this builder
     */
    public Builder requestId(@Nullable String requestId) {
      this.requestId = requestId;
      return this;
    }

    /**
     * Sets whether a retry could help.
     *
     * @param retryable {@code true} if so
     * @return this builder
     */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /**
     * Sets how many attempts were made.
     *
     * @param attempts at least 1
     * @return this builder
     */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1 but was " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /**
     * Sets the underlying failure.
     *
     * @param cause the cause, or {@code null}
     * @return this builder
     */
    public Builder cause(@Nullable Throwable cause) {
      this.cause = cause;
      return this;
    }

    /**
     * Builds the exception.
     *
     * @return the exception
     */
    public RemoteApiException build() {
      return new RemoteApiException(this);
    }
  }
}

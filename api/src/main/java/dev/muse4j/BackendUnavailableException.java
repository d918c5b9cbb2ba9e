package dev.muse4j;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A backend could not be found or cannot run here: its artifact is not on the class path, a native library is
 * missing, or an execution provider is absent. The message names the missing artifact or library.
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class BackendUnavailableException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final String backend;
  private final @Nullable String artifact;

  /**
   * Creates the exception.
   *
   * @param backend the backend's name
   * @param artifact the Maven coordinates that would provide it, or {@code null} if unknown
   * @param message what is missing and how to add it
   */
  public BackendUnavailableException(String backend, @Nullable String artifact, String message) {
    this(backend, artifact, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param backend the backend's name
   * @param artifact the Maven coordinates that would provide it, or {@code null} if unknown
   * @param message what is missing and how to add it
   * @param cause the underlying failure, or {@code null}
   */
  public BackendUnavailableException(
      String backend, @Nullable String artifact, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.backend = backend;
    this.artifact = artifact;
  }

  /**
   * The backend's name.
   *
   * @return the name
   */
  public String backend() {
    return backend;
  }

  /**
   * The Maven coordinates ({@code groupId:artifactId}) that would provide the backend, when known.
   *
   * @return the artifact, or empty
   */
  public Optional<String> artifact() {
    return Optional.ofNullable(artifact);
  }
}

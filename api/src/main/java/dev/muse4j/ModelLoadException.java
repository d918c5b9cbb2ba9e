package dev.muse4j;

import org.jspecify.annotations.Nullable;

/**
 * A model could not be loaded: missing or corrupt files, an unrecognised format, or a model that disagrees with its
 * tokenizer. The message lists what was found and what was expected.
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class ModelLoadException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final String model;

  /**
   * Creates the exception.
   *
   * @param model the model as the caller named it (a directory or a model id)
   * @param message what was wrong and how to fix it
   */
  public ModelLoadException(String model, String message) {
    this(model, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param model the model as the caller named it (a directory or a model id)
   * @param message what was wrong and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public ModelLoadException(String model, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.model = model;
  }

  /**
   * The model as the caller named it.
   *
   * @return the model directory or id
   */
  public String model() {
    return model;
  }
}

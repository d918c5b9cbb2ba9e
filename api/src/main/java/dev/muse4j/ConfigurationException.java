package dev.muse4j;

import org.jspecify.annotations.Nullable;

/**
 * A backend setting was unknown, malformed or inconsistent. Secret values never appear in the message.
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class ConfigurationException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final String setting;

  /**
   * Creates the exception.
   *
   * @param setting the setting's name, for example {@code "executionProvider"}
   * @param message what was wrong, what is expected, and how to fix it
   */
  public ConfigurationException(String setting, String message) {
    this(setting, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param setting the setting's name
   * @param message what was wrong, what is expected, and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public ConfigurationException(String setting, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.setting = setting;
  }

  /**
   * The name of the offending setting.
   *
   * @return the setting name
   */
  public String setting() {
    return setting;
  }
}

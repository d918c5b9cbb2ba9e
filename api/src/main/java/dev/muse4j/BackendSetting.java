package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A setting a backend understands: its name, what it does, its default, and whether its value is secret. Backends
 * declare these through {@link dev.muse4j.spi.BackendProvider#settings()}; users see them in
 * {@link BackendInfo#settings()} and in {@code muse backends}. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class BackendSetting {
  private final String name;
  private final String description;
  private final @Nullable String defaultValue;
  private final boolean secret;

  private BackendSetting(String name, String description, @Nullable String defaultValue, boolean secret) {
    this.name = name;
    this.description = description;
    this.defaultValue = defaultValue;
    this.secret = secret;
  }

  /**
   * Declares a setting.
   *
   * @param name the name, as used in {@link BackendConfig}
   * @param description one sentence on what it does and which values it takes
   * @param defaultValue the value used when it is absent, or {@code null} if none
   * @return the setting
   */
  public static BackendSetting of(String name, String description, @Nullable String defaultValue) {
    return new BackendSetting(Checks.notNull(name, "name"), Checks.notNull(description, "description"), defaultValue,
        BackendConfig.isSecret(name));
  }

  /**
   * A copy marked secret: its value is never logged or shown.
   *
   * @return the secret setting
   */
  public BackendSetting secret() {
    return new BackendSetting(name, description, defaultValue, true);
  }

  /**
   * The setting's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * What the setting does.
   *
   * @return one sentence
   */
  public String description() {
    return description;
  }

  /**
   * The value used when the setting is absent.
   *
   * @return the default, or empty
   */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /**
   * Whether the value is secret.
   *
   * @return {@code true} for API keys and the like
   */
  public boolean isSecret() {
    return secret;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BackendSetting && ((BackendSetting) o).name.equals(name)
        && ((BackendSetting) o).description.equals(description)
        && Objects.equals(((BackendSetting) o).defaultValue, defaultValue) && ((BackendSetting) o).secret == secret;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, description, defaultValue, secret);
  }

  @Override
  public String toString() {
    return name + (defaultValue != null && !secret ? " (default " + defaultValue + ")" : "") + ": " + description;
  }
}

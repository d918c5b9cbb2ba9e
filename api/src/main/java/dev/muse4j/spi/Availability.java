package dev.muse4j.spi;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether a backend can run in this process, and if not, why. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Availability {
  private static final Availability AVAILABLE = new Availability(null);

  private final @Nullable String reason;

  private Availability(@Nullable String reason) {
    this.reason = reason;
  }

  /**
   * The backend can run.
   *
   * @return the available state
   */
  public static Availability available() {
    return AVAILABLE;
  }

  /**
   * The backend cannot run.
   *
   * @param reason what is missing and how to add it, for example the native library or artifact
   * @return the unavailable state
   */
  public static Availability unavailable(String reason) {
    return new Availability(Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Whether the backend can run.
   *
   * @return {@code true} if available
   */
  public boolean isAvailable() {
    return reason == null;
  }

  /**
   * Why the backend cannot run.
   *
   * @return the reason, or empty when available
   */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    return reason == null ? "available" : "unavailable: " + reason;
  }
}

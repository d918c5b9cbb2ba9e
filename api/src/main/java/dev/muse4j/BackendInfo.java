package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What discovery knows about one backend on the class path: its name, capabilities, settings and whether it can run
 * here. Returned by {@link Muse4j#backends()}. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class BackendInfo {
  private final String name;
  private final String description;
  private final Set<Capability> capabilities;
  private final List<BackendSetting> settings;
  private final @Nullable String unavailableReason;

  private BackendInfo(String name, String description, Set<Capability> capabilities, List<BackendSetting> settings,
      @Nullable String unavailableReason) {
    this.name = name;
    this.description = description;
    this.capabilities = capabilities;
    this.settings = settings;
    this.unavailableReason = unavailableReason;
  }

  /**
   * Creates the record.
   *
   * @param name the backend's name
   * @param description one line on what it is
   * @param capabilities what it can do
   * @param settings the settings it understands
   * @param unavailableReason why it cannot run here, or {@code null} if it can
   * @return the record
   */
  public static BackendInfo of(String name, String description, Set<Capability> capabilities,
      List<BackendSetting> settings, @Nullable String unavailableReason) {
    return new BackendInfo(Checks.notNull(name, "name"), Checks.notNull(description, "description"),
        Set.copyOf(Checks.notNull(capabilities, "capabilities")), List.copyOf(Checks.notNull(settings, "settings")),
        unavailableReason);
  }

  /**
   * The backend's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * One line on what the backend is.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * What the backend can do.
   *
   * @return the capabilities
   */
  public Set<Capability> capabilities() {
    return capabilities;
  }

  /**
   * The settings the backend understands.
   *
   * @return the settings
   */
  public List<BackendSetting> settings() {
    return settings;
  }

  /**
   * Whether the backend can run here.
   *
   * @return {@code true} if available
   */
  public boolean isAvailable() {
    return unavailableReason == null;
  }

  /**
   * Why the backend cannot run here (a missing native library, for example).
   *
   * @return the reason, or empty when available
   */
  public Optional<String> unavailableReason() {
    return Optional.ofNullable(unavailableReason);
  }

  @Override
  public String toString() {
    return name + " " + capabilities + (unavailableReason == null ? " available" : " unavailable: "
        + unavailableReason);
  }
}

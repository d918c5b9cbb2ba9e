package dev.muse4j.spi;

import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import java.util.List;
import java.util.Set;

/**
 * The entry point of a backend implementation, found by {@link java.util.ServiceLoader}. Register the implementing
 * class in {@code META-INF/services/dev.muse4j.spi.BackendProvider}; it needs a public no-argument constructor.
 *
 * <p>{@link dev.muse4j.Muse4j} calls {@link #availability()} before {@link #open(BackendConfig)}, and rejects settings
 * not named in {@link #settings()} before opening, so {@code open} only sees known names. Providers must be cheap to
 * construct (no network, no native loading in the constructor) and thread-safe.
 *
 * <p>See {@code docs/custom-backend.md} for a worked example and {@code muse4j-testkit} for the contract tests every
 * backend should pass.
 *
 * @since 0.1.0
 */
public interface BackendProvider {
  /**
   * The backend's unique name, lower case, for example {@code "onnx"}.
   *
   * @return the name
   */
  String name();

  /**
   * One line on what the backend is, for listings.
   *
   * @return the description
   */
  String description();

  /**
   * What backends from this provider can do.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * The settings {@link #open(BackendConfig)} understands.
   *
   * @return the settings
   */
  List<BackendSetting> settings();

  /**
   * Whether the backend can run here: native libraries load, required classes are present. Should be quick and must
   * not throw.
   *
   * @return the availability, with a reason when unavailable
   */
  Availability availability();

  /**
   * Opens a backend's engines. The core wraps them in the {@link dev.muse4j.Backend} the user gets, and closes the
   * set when the user closes the backend.
   *
   * @param config the settings, already checked against {@link #settings()}
   * @return the engines; the core closes them
   * @throws dev.muse4j.ConfigurationException if a value is malformed or inconsistent
   */
  EngineSet open(BackendConfig config);
}

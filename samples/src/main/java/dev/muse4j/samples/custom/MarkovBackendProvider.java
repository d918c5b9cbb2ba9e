package dev.muse4j.samples.custom;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.ConfigurationException;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import java.util.List;
import java.util.Set;

/**
 * The {@code markov} backend: text in the manner of a corpus, from a word-level Markov chain. Pure Java, no model
 * files. Registered in {@code META-INF/services/dev.muse4j.spi.BackendProvider}.
 *
 * <p>Thread-safe and stateless; each {@link #open(BackendConfig)} returns a new backend that the caller closes.
 *
 * @since 0.1.0
 */
public final class MarkovBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "markov";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public MarkovBackendProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Sample third-party backend: a word-level Markov chain (docs/custom-backend.md)";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TEXT);
  }

  @Override
  public List<BackendSetting> settings() {
    return List.of(BackendSetting.of("order", "Words of context per step, 1 to 3.", "2"));
  }

  @Override
  public Availability availability() {
    return Availability.available();
  }

  @Override
  public Backend open(BackendConfig config) {
    int order = config.getInt("order", 2);
    if (order < 1 || order > 3) {
      throw new ConfigurationException("order", "Setting 'order' must be 1, 2 or 3 but was " + order + ".");
    }
    return new MarkovBackend(order);
  }
}

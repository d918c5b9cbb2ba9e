package dev.muse4j.samples.custom;

import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.ConfigurationException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The {@code markov} backend: text in the manner of a corpus, from a word-level Markov chain. Pure Java, no model
 * files. Registered in {@code META-INF/services/dev.muse4j.spi.BackendProvider}. It offers one engine,
 * {@link MarkovTextEngine}; Muse4j's core turns it into the {@code TextGenerator} users get (streams, choices, async,
 * timeouts, closing), so a backend is only the work that is its own.
 *
 * <p>Thread-safe and stateless; each {@link #open(BackendConfig)} returns a new backend that the caller closes.
 *
 * @since 0.1.0
 */
public final class MarkovBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "markov";
  /** The model name of the built-in corpus. */
  static final String BUILT_IN = "verse";

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
  public EngineSet open(BackendConfig config) {
    int order = config.getInt("order", 2);
    if (order < 1 || order > 3) {
      throw new ConfigurationException("order", "Setting 'order' must be 1, 2 or 3 but was " + order + ".");
    }
    return EngineSet.builder()
        .description("order " + order)
        .text((model, options) -> new MarkovTextEngine(MarkovChain.train(corpus(model), order)))
        .build();
  }

  /** The corpus a "model" names: a text file, or the built-in verse. */
  private static String corpus(String model) {
    if (model.equals(BUILT_IN)) {
      try (InputStream in = MarkovBackendProvider.class.getResourceAsStream("verse.txt")) {
        if (in == null) {
          throw new ModelLoadException(model, "The built-in corpus verse.txt is missing from the jar.");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ModelLoadException(model, "Could not read the built-in corpus: " + e.getMessage(), e);
      }
    }
    Path file = Path.of(model);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(model, "The markov backend's model is a text file to learn from, or '"
          + BUILT_IN + "' for the built-in corpus; '" + model + "' is neither.");
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ModelLoadException(model, "Could not read the corpus " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import dev.muse4j.internal.CoreBackend;
import dev.muse4j.internal.ProviderRegistry;
import dev.muse4j.internal.Suggestions;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: finds backends on the class path and opens them.
 *
 * <pre>{@code
 * Backend onnx = Muse4j.backend("onnx", BackendConfig.builder().set("executionProvider", "cuda,cpu").build());
 * Backend remote = Muse4j.backend("openai", BackendConfig.fromEnvironment("openai"));
 * }</pre>
 *
 * <p>Backends are discovered with {@link java.util.ServiceLoader} through {@link BackendProvider}, looking in the
 * thread context class loader first and then in the loader of this API. Thread-safe; holds no state.
 *
 * @since 0.1.0
 */
public final class Muse4j {
  private static final Logger LOG = LoggerFactory.getLogger(Muse4j.class);

  /** The artifacts that provide Muse4j's own backends, for "add this dependency" hints. */
  private static final Map<String, String> KNOWN_ARTIFACTS =
      Map.of("onnx", "dev.muse4j:muse4j-runtime-onnx", "openai", "dev.muse4j:muse4j-runtime-remote");

  private Muse4j() {}

  /**
   * Opens a backend with its default settings.
   *
   * @param name the backend's name, for example {@code "onnx"} or {@code "openai"}
   * @return the backend; the caller closes it
   * @throws BackendUnavailableException if no such backend is on the class path, or it cannot run here
   */
  public static Backend backend(String name) {
    return backend(name, BackendConfig.empty());
  }

  /**
   * Opens a backend.
   *
   * @param name the backend's name, for example {@code "onnx"} or {@code "openai"}
   * @param config its settings
   * @return the backend; the caller closes it
   * @throws BackendUnavailableException if no such backend is on the class path (the message lists the available ones
   *     and the artifact that would add this one), or it cannot run here
   * @throws ConfigurationException if a setting is unknown (with a "did you mean" hint) or malformed
   */
  public static Backend backend(String name, BackendConfig config) {
    Checks.notBlank(name, "name", "give a backend name, for example \"onnx\" or \"openai\"");
    Checks.notNull(config, "config");
    BackendProvider provider = provider(name);
    Availability availability = provider.availability();
    if (!availability.isAvailable()) {
      throw new BackendUnavailableException(name, KNOWN_ARTIFACTS.get(name),
          "Backend '" + name + "' is on the class path but cannot run here: "
              + availability.reason().orElse("no reason given") + ".");
    }
    checkSettings(provider, config);
    LOG.debug("Opening Muse4j backend '{}' with {}", name, config);
    EngineSet engines = provider.open(config);
    if (engines == null) {
      throw new BackendUnavailableException(name, KNOWN_ARTIFACTS.get(name), "Backend '" + name + "' opened no "
          + "engines (its provider " + provider.getClass().getName() + " returned null).");
    }
    return new CoreBackend(name, engines, config);
  }

  /**
   * Opens the backend that properties name: {@code muse4j.backend} names it, and properties starting with
   * {@code muse4j.<backend>.} are its settings. This lets one properties file switch between local and remote.
   *
   * <pre>{@code
   * muse4j.backend=openai
   * muse4j.openai.baseUrl=http://localhost:8000/v1
   * }</pre>
   *
   * @param properties the properties
   * @return the backend; the caller closes it
   * @throws ConfigurationException if {@code muse4j.backend} is missing
   */
  public static Backend backend(Properties properties) {
    Checks.notNull(properties, "properties");
    String name = properties.getProperty("muse4j.backend");
    if (name == null || name.isBlank()) {
      throw new ConfigurationException("muse4j.backend", "Property 'muse4j.backend' is missing: set it to the "
          + "backend to use, one of " + names() + ".");
    }
    name = name.trim();
    return backend(name, BackendConfig.fromProperties(properties, "muse4j." + name + "."));
  }

  /**
   * Describes every backend on the class path, available or not.
   *
   * @return one record per backend, sorted by name
   */
  public static List<BackendInfo> backends() {
    List<BackendInfo> infos = new ArrayList<>();
    for (BackendProvider p : new TreeMap<>(providers()).values()) {
      Availability a;
      try {
        a = p.availability();
      } catch (RuntimeException | LinkageError e) {
        a = Availability.unavailable(e.toString());
      }
      infos.add(BackendInfo.of(p.name(), p.description(), p.capabilities(), p.settings(), a.reason().orElse(null)));
    }
    return infos;
  }

  private static Map<String, BackendProvider> providers() {
    try {
      return ProviderRegistry.discover(Thread.currentThread().getContextClassLoader(), Muse4j.class.getClassLoader());
    } catch (ProviderRegistry.DuplicateProviderException e) {
      throw new BackendUnavailableException("*", null, e.getMessage(), e);
    }
  }

  private static Set<String> names() {
    return new TreeMap<>(providers()).keySet();
  }

  private static BackendProvider provider(String name) {
    Map<String, BackendProvider> providers = providers();
    BackendProvider provider = providers.get(name);
    if (provider != null) {
      return provider;
    }
    StringBuilder sb = new StringBuilder("No Muse4j backend named '").append(name).append("' is on the class path.");
    sb.append(Suggestions.didYouMean(name, providers.keySet()));
    sb.append(" Available: ").append(providers.isEmpty() ? "none" : String.join(", ", new TreeMap<>(providers)
        .keySet())).append('.');
    String artifact = KNOWN_ARTIFACTS.get(name);
    if (artifact != null) {
      sb.append(" Add the dependency ").append(artifact).append(" to use '").append(name).append("'.");
    } else {
      sb.append(" Muse4j's own backends: ").append(KNOWN_ARTIFACTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))).append('.');
    }
    throw new BackendUnavailableException(name, artifact, sb.toString());
  }

  private static void checkSettings(BackendProvider provider, BackendConfig config) {
    List<String> known = provider.settings().stream().map(BackendSetting::name).collect(Collectors.toList());
    for (String setting : config.names()) {
      if (!known.contains(setting)) {
        throw new ConfigurationException(setting, "Backend '" + provider.name() + "' has no setting '" + setting
            + "'." + Suggestions.didYouMean(setting, known) + " Known settings: "
            + (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
      }
    }
  }
}

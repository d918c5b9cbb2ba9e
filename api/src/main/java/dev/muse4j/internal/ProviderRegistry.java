package dev.muse4j.internal;

import dev.muse4j.spi.BackendProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link BackendProvider}s with {@link ServiceLoader}: the thread context class loader first, then the API's own
 * loader. The same provider class seen through both loaders counts once; two different classes claiming one name is
 * a {@link DuplicateProviderException}.
 */
public final class ProviderRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  /** Thrown when two provider classes claim one name. */
  public static final class DuplicateProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DuplicateProviderException(String message) {
      super(message);
    }
  }

  private ProviderRegistry() {}

  /** Providers by name, in discovery order. Looked up anew on each call so class path changes are seen. */
  public static Map<String, BackendProvider> discover(@Nullable ClassLoader contextLoader, ClassLoader apiLoader) {
    Set<ClassLoader> loaders = new LinkedHashSet<>();
    if (contextLoader != null) {
      loaders.add(contextLoader);
    }
    loaders.add(apiLoader);
    Map<String, BackendProvider> byName = new LinkedHashMap<>();
    Map<String, List<String>> duplicates = new LinkedHashMap<>();
    for (ClassLoader loader : loaders) {
      ServiceLoader<BackendProvider> services = ServiceLoader.load(BackendProvider.class, loader);
      for (var it = services.iterator(); ; ) {
        BackendProvider provider;
        try {
          if (!it.hasNext()) {
            break;
          }
          provider = it.next();
        } catch (ServiceConfigurationError e) {
          LOG.warn("Skipping a Muse4j backend provider that could not be loaded: {}", e.getMessage());
          continue;
        }
        String name = provider.name();
        BackendProvider existing = byName.get(name);
        if (existing == null) {
          byName.put(name, provider);
          LOG.debug("Found Muse4j backend '{}' ({})", name, provider.getClass().getName());
        } else if (existing.getClass() != provider.getClass()) {
          duplicates.computeIfAbsent(name, k -> new ArrayList<>(List.of(describe(existing))))
              .add(describe(provider));
        }
      }
    }
    if (!duplicates.isEmpty()) {
      StringBuilder sb = new StringBuilder("More than one Muse4j backend provider claims the same name: ");
      duplicates.forEach((name, classes) -> sb.append("'").append(name).append("' by ")
          .append(String.join(" and ", classes)).append("; "));
      sb.append("keep only one of them on the class path (check for two versions of the same artifact).");
      throw new DuplicateProviderException(sb.toString());
    }
    return byName;
  }

  private static String describe(BackendProvider p) {
    var source = p.getClass().getProtectionDomain().getCodeSource();
    return p.getClass().getName() + (source != null && source.getLocation() != null
        ? " (from " + source.getLocation() + ")" : "");
  }
}

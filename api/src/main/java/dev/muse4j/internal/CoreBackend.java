package dev.muse4j.internal;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Capability;
import dev.muse4j.ClosedException;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicGenerator;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.UnsupportedCapabilityException;
import dev.muse4j.spi.EngineSet;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link Backend}: opens the core's generators around the engines a provider opened, and closes them all
 * when it closes. Thread-safe.
 */
public final class CoreBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(CoreBackend.class);

  private final String name;
  private final EngineSet engines;
  private final CoreContext context;
  private final Set<CoreGenerator<?>> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Wraps a provider's engines.
   *
   * @param name the backend's name
   * @param engines what the provider opened
   * @param config the config, for its executor and listener
   */
  public CoreBackend(String name, EngineSet engines, BackendConfig config) {
    this.name = name;
    this.engines = engines;
    this.context = new CoreContext(name, config);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return engines.capabilities();
  }

  @Override
  public TextGenerator text(String model, ModelOptions options) {
    checkArguments(model, options);
    var opener = engines.text().orElseThrow(() -> unsupported(Capability.TEXT));
    return register(new CoreTextGenerator(context, model, options, opener.open(model, options)));
  }

  @Override
  public ImageGenerator image(String model, ModelOptions options) {
    checkArguments(model, options);
    var opener = engines.image().orElseThrow(() -> unsupported(Capability.IMAGE));
    return register(new CoreImageGenerator(context, model, opener.open(model, options)));
  }

  @Override
  public MusicGenerator music(String model, ModelOptions options) {
    checkArguments(model, options);
    var opener = engines.music().orElseThrow(() -> unsupported(Capability.MUSIC));
    return register(new CoreMusicGenerator(context, model, opener.open(model, options)));
  }

  @Override
  public StyleTransfer style(String model, ModelOptions options) {
    checkArguments(model, options);
    var opener = engines.style().orElseThrow(() -> unsupported(Capability.STYLE));
    return register(new CoreStyleTransfer(context, model, opener.open(model, options)));
  }

  private void checkArguments(@Nullable String model, @Nullable ModelOptions options) {
    if (closed) {
      throw new ClosedException("backend " + name);
    }
    Checks.notBlank(model, "model", "give a model: a directory, classpath:<folder> or a remote model id");
    Checks.notNull(options, "options");
  }

  private <G extends CoreGenerator<?>> G register(G generator) {
    open.add(generator);
    generator.onClose(() -> open.remove(generator));
    if (closed) {
      generator.close();
      throw new ClosedException("backend " + name);
    }
    return generator;
  }

  private UnsupportedCapabilityException unsupported(Capability wanted) {
    Set<String> can = new TreeSet<>();
    for (Capability c : capabilities()) {
      can.add(c.description());
    }
    return new UnsupportedCapabilityException(name, wanted, "Backend '" + name + "' does not support "
        + wanted.description() + "; it can do " + (can.isEmpty() ? "nothing" : String.join(", ", can))
        + ". Use a backend that offers " + wanted + ", or check Backend.capabilities() first.");
  }

  @Override
  public <T> Optional<T> extension(Class<T> type) {
    Checks.notNull(type, "type");
    return engines.extension().filter(type::isInstance).map(type::cast);
  }

  /** Closes every open generator (cancelling and awaiting its work), then the engines, then the backend's threads. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (CoreGenerator<?> g : open) {
      try {
        g.close();
      } catch (RuntimeException e) {
        // Close the rest first: one generator's failure must not leak the others' native memory.
        LOG.warn("Closing {} failed: {}", g, e.toString());
      }
    }
    try {
      engines.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing backend '{}' failed: {}", name, e.toString());
    } finally {
      context.shutdown();
    }
  }

  /** Capabilities as an ordered set, for toString. */
  private static Set<Capability> ordered(Set<Capability> set) {
    return set.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(set);
  }

  @Override
  public String toString() {
    return "Backend{" + name + ", " + ordered(capabilities()) + ", " + engines + (closed ? ", closed" : "") + "}";
  }

  /** For tests: how many generators are open. */
  int openGenerators() {
    return open.size();
  }
}

package dev.muse4j.internal;

import dev.muse4j.Capability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every generator of the core has: its model, its {@link Lifecycle}, and the engine it closes last.
 *
 * @param <E> the engine type
 */
abstract class CoreGenerator<E extends AutoCloseable> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoreGenerator.class);

  final CoreContext context;
  final Capability kind;
  final String model;
  final E engine;
  final Lifecycle lifecycle;
  private volatile Runnable onClose = () -> { };

  CoreGenerator(CoreContext context, Capability kind, String noun, String model, E engine) {
    this.context = context;
    this.kind = kind;
    this.model = model;
    this.engine = engine;
    this.lifecycle = new Lifecycle(noun + " " + model + " on backend " + context.backend);
  }

  void onClose(Runnable hook) {
    this.onClose = hook;
  }

  public String model() {
    return model;
  }

  /**
   * Cancels the work in flight, waits for it to stop, then closes the engine. Idempotent. Called from inside the
   * generator's own work (a listener), the engine is closed when that work returns.
   */
  @Override
  public void close() {
    lifecycle.close(() -> {
      try {
        engine.close();
      } catch (Exception e) {
        LOG.warn("Closing the {} failed: {}", lifecycle.what(), e.toString());
      } finally {
        onClose.run();
      }
    });
  }

  @Override
  public String toString() {
    return getClass().getSimpleName().replace("Core", "") + "{" + model + " on " + context.backend + ", " + engine
        + "}";
  }
}

package dev.muse4j.testkit.reference;

import dev.muse4j.Backend;
import dev.muse4j.Capability;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicGenerator;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

final class ReferenceBackend implements Backend {
  private final Set<Capability> capabilities;
  private final Duration tokenDelay;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ReferenceBackend(Set<Capability> capabilities, Duration tokenDelay) {
    this.capabilities = Set.copyOf(capabilities);
    this.tokenDelay = tokenDelay;
  }

  @Override
  public String name() {
    return ReferenceBackendProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  private void check(Capability c) {
    if (closed) {
      throw new IllegalStateException("The reference backend is closed.");
    }
    if (!capabilities.contains(c)) {
      throw new UnsupportedCapabilityException(name(), c);
    }
  }

  <T extends AutoCloseable> T track(T generator) {
    open.add(generator);
    return generator;
  }

  void untrack(AutoCloseable generator) {
    open.remove(generator);
  }

  @Override
  public TextGenerator text(String model, ModelOptions options) {
    check(Capability.TEXT);
    return track(new ReferenceTextGenerator(this, model, options, tokenDelay));
  }

  @Override
  public ImageGenerator image(String model, ModelOptions options) {
    check(Capability.IMAGE);
    return track(new ReferenceImageGenerator(this, model));
  }

  @Override
  public MusicGenerator music(String model, ModelOptions options) {
    check(Capability.MUSIC);
    return track(new ReferenceMusicGenerator(this, model));
  }

  @Override
  public StyleTransfer style(String model, ModelOptions options) {
    check(Capability.STYLE);
    return track(new ReferenceStyleTransfer(this, model));
  }

  @Override
  public void close() {
    closed = true;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Throws a cancellation, keeping the interrupt flag, when the calling thread was interrupted. */
  static void checkInterrupt() {
    if (Thread.currentThread().isInterrupted()) {
      throw new GenerationCancelledException("The calling thread was interrupted.");
    }
  }
}

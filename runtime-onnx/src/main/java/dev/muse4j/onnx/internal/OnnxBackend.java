package dev.muse4j.onnx.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Backend;
import dev.muse4j.Capability;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicGenerator;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.UnsupportedCapabilityException;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.text.OnnxTextGenerator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The onnx backend: opens text generators on ONNX Runtime sessions, with the execution provider and session options
 * chosen when the backend opened. Image, music and style are not in this release and say so.
 *
 * <p>Thread-safe. The caller closes the backend and the generators it opens; closing the backend also closes every
 * generator it opened that is still open (which cancels their streams and frees their sessions and tokenizers).
 *
 * @since 0.1.0
 */
public final class OnnxBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxBackend.class);

  private final SessionFactory sessions;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Creates the backend.
   *
   * @param sessions opens sessions on the chosen execution provider
   */
  public OnnxBackend(SessionFactory sessions) {
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TEXT);
  }

  @Override
  public TextGenerator text(String model, ModelOptions options) {
    checkOpen();
    OnnxTextGenerator generator = OnnxTextGenerator.open(model, options, sessions, json, open::remove);
    open.add(generator);
    return generator;
  }

  @Override
  public ImageGenerator image(String model, ModelOptions options) {
    checkOpen();
    throw notInThisRelease(Capability.IMAGE);
  }

  @Override
  public MusicGenerator music(String model, ModelOptions options) {
    checkOpen();
    throw notInThisRelease(Capability.MUSIC);
  }

  @Override
  public StyleTransfer style(String model, ModelOptions options) {
    checkOpen();
    throw notInThisRelease(Capability.STYLE);
  }

  private UnsupportedCapabilityException notInThisRelease(Capability c) {
    return new UnsupportedCapabilityException(name(), c, "Backend 'onnx' does not support " + c.description()
        + " in this release: its local pipeline is not built yet. Use a backend that offers " + c
        + " (the openai backend does for images and style), or check Backend.capabilities() first.");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This onnx backend is closed.");
    }
  }

  @Override
  public void close() {
    closed = true;
    RuntimeException failure = null;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // Close the rest before reporting: one generator's failure must not leak the others' native memory.
        LOG.warn("Closing {} failed: {}", c, e.toString());
        if (failure == null) {
          failure = new IllegalStateException("Closing " + c + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "OnnxBackend{" + sessions.provider().settingName() + "}";
  }
}

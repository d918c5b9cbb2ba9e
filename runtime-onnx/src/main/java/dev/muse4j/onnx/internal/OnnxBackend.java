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

/** The onnx backend: opens generators on ONNX Runtime sessions. Thread-safe; closing it closes its generators. */
public final class OnnxBackend implements Backend {
  private final SessionFactory sessions;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

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
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("Closing " + c + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "OnnxBackend{" + sessions.provider().settingName() + "}";
  }
}

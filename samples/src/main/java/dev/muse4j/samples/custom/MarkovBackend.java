package dev.muse4j.samples.custom;

import dev.muse4j.Backend;
import dev.muse4j.Capability;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicGenerator;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.UnsupportedCapabilityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Opens Markov text generators; a "model" is a corpus: a text file, or {@code "verse"} for the built-in one. */
final class MarkovBackend implements Backend {
  static final String BUILT_IN = "verse";

  private final int order;
  private final Set<MarkovTextGenerator> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  MarkovBackend(int order) {
    this.order = order;
  }

  @Override
  public String name() {
    return MarkovBackendProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TEXT);
  }

  @Override
  public TextGenerator text(String model, ModelOptions options) {
    checkOpen();
    MarkovTextGenerator generator = new MarkovTextGenerator(model, MarkovChain.train(corpus(model), order),
        options.sampling(), open::remove);
    open.add(generator);
    return generator;
  }

  private static String corpus(String model) {
    if (model.equals(BUILT_IN)) {
      try (InputStream in = MarkovBackend.class.getResourceAsStream("verse.txt")) {
        if (in == null) {
          throw new ModelLoadException(model, "The built-in corpus verse.txt is missing from the jar.");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
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

  @Override
  public ImageGenerator image(String model, ModelOptions options) {
    checkOpen();
    throw new UnsupportedCapabilityException(name(), Capability.IMAGE);
  }

  @Override
  public MusicGenerator music(String model, ModelOptions options) {
    checkOpen();
    throw new UnsupportedCapabilityException(name(), Capability.MUSIC);
  }

  @Override
  public StyleTransfer style(String model, ModelOptions options) {
    checkOpen();
    throw new UnsupportedCapabilityException(name(), Capability.STYLE);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This markov backend is closed.");
    }
  }

  @Override
  public void close() {
    closed = true;
    for (MarkovTextGenerator g : open) {
      g.close();
    }
  }
}

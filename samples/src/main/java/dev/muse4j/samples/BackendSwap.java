package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.samples.poet.EmbeddedPoet;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The same code runs locally or remotely: the backend, its settings and the model all come from a properties file.
 * Run: {@code ./muse sample BackendSwap local} or {@code ... remote}, or give a path to your own file.
 *
 * <pre>
 * muse4j.backend=openai
 * muse4j.openai.baseUrl=http://localhost:8080/v1
 * muse4j.text.model=qwen2.5-0.5b-instruct
 * muse4j.text.prompt=Write a short poem about the sea.
 * </pre>
 *
 * <p>Stateless and thread-safe; every call opens and closes its own backends.
 *
 * @since 0.1.0
 */
public final class BackendSwap {
  /** The model value that stands for the embedded poet. */
  public static final String EMBEDDED_POET = "embedded-poet";

  private BackendSwap() {}

  /**
   * Writes a poem with whatever the properties configure. This method is all the application code there is.
   *
   * @param properties {@code muse4j.backend}, its settings, {@code muse4j.text.model} and optionally
   *     {@code muse4j.text.prompt} and {@code muse4j.text.seed}
   * @return the poem
   */
  public static String poem(Properties properties) {
    String model = properties.getProperty("muse4j.text.model");
    if (model == null) {
      throw new ConfigurationException("muse4j.text.model", "Set muse4j.text.model to a model directory (onnx), a "
          + "model id (openai), or " + EMBEDDED_POET + ".");
    }
    if (model.equals(EMBEDDED_POET)) {
      model = EmbeddedPoet.MODEL;
    }
    String prompt = properties.getProperty("muse4j.text.prompt", EmbeddedPoet.OPENING);
    SamplingConfig sampling = SamplingConfig.builder()
        .seed(Long.parseLong(properties.getProperty("muse4j.text.seed", "7"))).build();
    try (Backend backend = Muse4j.backend(properties);
        TextGenerator poet = backend.text(model)) {
      return poet.generate(TextRequest.of(prompt).withSampling(sampling)).text();
    }
  }

  /**
   * Loads {@code local} or {@code remote} from the samples jar, or a properties file from a path.
   *
   * @param nameOrPath {@code local}, {@code remote}, or a file path
   * @return the properties
   */
  public static Properties load(String nameOrPath) {
    Properties p = new Properties();
    try {
      if (nameOrPath.equals("local") || nameOrPath.equals("remote")) {
        try (InputStream in = BackendSwap.class.getResourceAsStream("swap/" + nameOrPath + ".properties")) {
          p.load(in);
        }
      } else {
        try (Reader in = Files.newBufferedReader(Path.of(nameOrPath))) {
          p.load(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + nameOrPath + ": " + e.getMessage(), e);
    }
    return p;
  }

  /**
   * Runs the sample.
   *
   * @param args {@code local} (default), {@code remote}, or a properties file
   */
  public static void main(String[] args) {
    System.out.println(poem(load(args.length > 0 ? args[0] : "local")));
  }
}

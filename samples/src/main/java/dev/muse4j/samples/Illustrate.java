package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.Muse4j;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.Image;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * A multimodal chain: a poem, then a picture prompted by the poem's first line, then a short piece of music in its
 * mood. Each step runs on whatever backend the properties configure, and a step with no model configured is skipped
 * with a message. Run: {@code ./muse sample Illustrate [file.properties]}.
 *
 * <pre>
 * muse4j.backend=onnx                 # the poem (see BackendSwap)
 * muse4j.text.model=embedded-poet
 * muse4j.image.backend=openai         # the picture
 * muse4j.image.model=dall-e-2
 * muse4j.music.backend=onnx           # the music
 * muse4j.music.model=models/musicgen-small
 * </pre>
 *
 * <p>Stateless and thread-safe; every call opens and closes its own backends.
 *
 * @since 0.1.0
 */
public final class Illustrate {
  private Illustrate() {}

  /**
   * Runs the chain and writes {@code illustrate.png} and {@code illustrate.wav} into {@code outDir}.
   *
   * @param properties the configuration
   * @param outDir where the picture and the music go
   * @param log where progress is reported
   * @return the poem
   */
  public static String run(Properties properties, Path outDir, PrintStream log) {
    String poem = BackendSwap.poem(properties);
    log.println(poem);
    String firstLine = poem.strip().lines().findFirst().orElse(poem).strip();
    String picturePrompt = firstLine + ", a quiet watercolour illustration";

    String imageModel = properties.getProperty("muse4j.image.model");
    if (imageModel == null) {
      log.println("skipping the picture: no image model configured (set muse4j.image.backend and "
          + "muse4j.image.model)");
    } else {
      try (Backend backend = open(properties, "muse4j.image.backend");
          ImageGenerator painter = backend.image(imageModel)) {
        Image picture = painter.generate(ImageRequest.builder(picturePrompt).seed(7L).build()).image();
        Path file = outDir.resolve("illustrate.png");
        picture.writePng(file);
        log.println("picture: " + file + " (prompt: " + picturePrompt + ")");
      }
    }

    String musicModel = properties.getProperty("muse4j.music.model");
    if (musicModel == null) {
      log.println("skipping the music: no music model configured (set muse4j.music.backend and "
          + "muse4j.music.model)");
    } else {
      try (Backend backend = open(properties, "muse4j.music.backend");
          MusicGenerator composer = backend.music(musicModel)) {
        MusicResult music = composer.generate(MusicRequest.builder("gentle, wistful melody: " + firstLine)
            .duration(Duration.ofSeconds(5)).seed(7L).build());
        Path file = outDir.resolve("illustrate.wav");
        music.audio().writeWav(file);
        log.println("music: " + file + " (" + music.audio().duration().toMillis() / 1000.0 + " s)");
      }
    }
    return poem;
  }

  private static Backend open(Properties properties, String key) {
    String name = properties.getProperty(key, properties.getProperty("muse4j.backend"));
    return Muse4j.backend(name, BackendConfig.fromProperties(properties, "muse4j." + name + "."));
  }

  /**
   * Runs the sample.
   *
   * @param args an optional properties file; the local BackendSwap configuration by default
   */
  public static void main(String[] args) {
    run(BackendSwap.load(args.length > 0 ? args[0] : "local"), Path.of("."), System.out);
  }
}

package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Latent;
import dev.muse4j.Muse4j;
import dev.muse4j.samples.sprites.EmbeddedSprites;
import dev.muse4j.samples.sprites.SpriteSheets;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Creature breeding for a game, offline, with the embedded sprite artist: two parents from their seeds, a child
 * that mixes them and mutates a little, a three-parent hybrid, a morph from one parent to the other, and the child
 * saved as numbers and loaded back into exactly the same sprite. Run: {@code ./muse sample SpriteForge [outDir]}.
 *
 * <p>Stateless and thread-safe; every call opens and closes its own backend.
 *
 * @since 0.2.0
 */
public final class SpriteForge {
  private static final int SCALE = 4;

  private SpriteForge() {}

  /**
   * Breeds, morphs and saves sprites into {@code outDir}: {@code forge-parents.png} (parent, parent, child,
   * hybrid), {@code forge-morph.gif}, and {@code forge-child.latent} (the child's numbers).
   *
   * @param outDir where the files go
   * @param log where progress is reported
   * @return the child's latent, as stored
   */
  public static Latent run(Path outDir, PrintStream log) {
    try (Backend onnx = Muse4j.backend("onnx");
        ImageGenerator artist = onnx.image(EmbeddedSprites.MODEL)) {
      // Two parents: pictures from seeds, with their latents
      ImageResult parents = artist.generate(ImageRequest.builder().seed(11).count(3).build());
      Latent mother = parents.latent(0).orElseThrow();
      Latent father = parents.latent(1).orElseThrow();
      Latent stranger = parents.latent(2).orElseThrow();

      // A child: halfway along the arc between them, plus a little noise of its own
      Latent child = Latent.slerp(mother, father, 0.5).mutate(2026, 0.2);
      // A hybrid of three parents, mostly the mother
      Latent hybrid = Latent.mix(List.of(mother, father, stranger), 2, 1, 1);
      ImageResult bred = artist.generate(ImageRequest.builder().latents(List.of(child, hybrid)).build());
      List<Image> family = new ArrayList<>(List.of(parents.images().get(0), parents.images().get(1)));
      family.addAll(bred.images());
      SpriteSheets.grid(scaled(family), 4, 1, SCALE, 0xd8d8d8).writePng(outDir.resolve("forge-parents.png"));
      log.println("parents (seeds 11, 12), child and hybrid: " + outDir.resolve("forge-parents.png"));

      // A morph from the mother to the father, 12 frames in one batch
      ImageResult morph = artist.generate(ImageRequest.builder().latents(Latent.morph(mother, father, 12)).build());
      SpriteSheets.writeGif(scaled(morph.images()), 120, outDir.resolve("forge-morph.gif"));
      log.println("morph: " + outDir.resolve("forge-morph.gif"));

      // Save the child as numbers, load it back, and draw it again: the same sprite, pixel for pixel
      Path saved = outDir.resolve("forge-child.latent");
      write(child, saved);
      Latent loaded = read(saved);
      Image again = artist.generate(ImageRequest.builder().latents(List.of(loaded)).build()).image();
      log.println("child saved to " + saved + " and loaded back: "
          + (again.equals(bred.images().get(0)) ? "the same sprite" : "A DIFFERENT SPRITE"));
      return loaded;
    }
  }

  private static List<Image> scaled(List<Image> images) {
    return images.stream().map(i -> SpriteSheets.scale(i, SCALE)).collect(Collectors.toList());
  }

  /** One value a line, written with the fewest digits that read back as the same float. */
  static void write(Latent latent, Path file) {
    StringBuilder s = new StringBuilder();
    for (float v : latent.values()) {
      s.append(Float.toString(v)).append('\n');
    }
    try {
      Files.writeString(file, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Latent read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      float[] values = new float[lines.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Float.parseFloat(lines.get(i).trim().toLowerCase(Locale.ROOT));
      }
      return Latent.of(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the sample.
   *
   * @param args optionally the output directory (default: the working directory)
   */
  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "."), System.out);
  }
}

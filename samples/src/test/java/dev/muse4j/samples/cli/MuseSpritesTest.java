package dev.muse4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.Image;
import dev.muse4j.Latent;
import dev.muse4j.samples.SpriteForge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code muse image} with the embedded sprite artist, and the SpriteForge sample. */
class MuseSpritesTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int muse(String... args) {
    return Muse.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void withNoModelItWritesASpriteSheet(@TempDir Path dir) {
    Path sheet = dir.resolve("sheet.png");

    assertThat(muse("image", "-o", sheet.toString())).as(err.toString()).isZero();

    Image image = Image.read(sheet);
    assertThat(image.width()).isEqualTo(8 * 32 * 4 + 9 * 4);
    assertThat(out.toString()).contains("8x8 sheet, seeds 1 to 64");
  }

  @Test
  void gridTakesItsSizeAndScale(@TempDir Path dir) {
    Path sheet = dir.resolve("g.png");

    assertThat(muse("image", "--grid", "4x2", "--scale", "1", "--seed", "9", "-o", sheet.toString()))
        .as(err.toString()).isZero();

    assertThat(Image.read(sheet).width()).isEqualTo(4 * 32 + 5);
    assertThat(Image.read(sheet).height()).isEqualTo(2 * 32 + 3);
  }

  @Test
  void framesWriteEachFrameAndAGif(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("morph.png");

    assertThat(muse("image", "--frames", "6", "--from", "3", "--to", "4", "-o", out.toString()))
        .as(err.toString()).isZero();

    assertThat(Image.read(dir.resolve("morph-6.png")).width()).isEqualTo(128);
    try (ImageInputStream in = ImageIO.createImageInputStream(dir.resolve("morph.gif").toFile())) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertThat(reader.getNumImages(true)).isEqualTo(6);
      reader.dispose();
    }
  }

  @Test
  void aBadGridIsAOneLineError() {
    assertThat(muse("image", "--grid", "9x9")).isEqualTo(1);

    assertThat(err.toString()).contains("at most 64");
  }

  @Test
  void spriteForgeBreedsMorphsAndReloads(@TempDir Path dir) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Latent child = SpriteForge.run(dir, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(child.dimension()).isEqualTo(100);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("loaded back: the same sprite");
    assertThat(Image.read(dir.resolve("forge-parents.png")).width()).isEqualTo(4 * 128 + 5 * 4);
    assertThat(dir.resolve("forge-morph.gif")).exists();
  }
}

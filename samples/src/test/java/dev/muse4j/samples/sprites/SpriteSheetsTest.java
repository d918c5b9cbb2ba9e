package dev.muse4j.samples.sprites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Image;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpriteSheetsTest {
  private static Image solid(int rgb) {
    byte[] bytes = new byte[4 * 4 * 3];
    for (int i = 0; i < 16; i++) {
      bytes[3 * i] = (byte) (rgb >> 16);
      bytes[3 * i + 1] = (byte) (rgb >> 8);
      bytes[3 * i + 2] = (byte) rgb;
    }
    return Image.ofRgb(4, 4, bytes);
  }

  @Test
  void aGridPlacesPicturesRowByRowWithGaps() {
    Image sheet = SpriteSheets.grid(List.of(solid(0xff0000), solid(0x00ff00), solid(0x0000ff)), 2, 2, 1, 0x101010);

    assertThat(sheet.width()).isEqualTo(2 * 4 + 3);
    assertThat(sheet.height()).isEqualTo(2 * 4 + 3);
    assertThat(sheet.pixel(0, 0)).isEqualTo(0x101010);
    assertThat(sheet.pixel(1, 1)).isEqualTo(0xff0000);
    assertThat(sheet.pixel(6, 1)).isEqualTo(0x00ff00);
    assertThat(sheet.pixel(1, 6)).isEqualTo(0x0000ff);
    assertThat(sheet.pixel(6, 6)).isEqualTo(0x101010);
    assertThatThrownBy(() -> SpriteSheets.grid(List.of(solid(0), solid(0), solid(0)), 1, 2, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scalingMakesSharpBlocks() {
    Image big = SpriteSheets.scale(SpriteSheets.grid(List.of(solid(0xabcdef)), 1, 1, 0, 0), 3);

    assertThat(big.width()).isEqualTo(12);
    assertThat(big.pixel(11, 11)).isEqualTo(0xabcdef);
  }

  @Test
  void theGifReadsBackWithEveryFrame(@TempDir Path dir) throws Exception {
    List<Image> frames = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      frames.add(solid(i * 0x202020));
    }
    Path gif = dir.resolve("morph.gif");

    SpriteSheets.writeGif(frames, 100, gif);

    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertThat(reader.getNumImages(true)).isEqualTo(7);
      assertThat(reader.read(3).getWidth()).isEqualTo(4);
      assertThat(reader.read(6).getRGB(0, 0) & 0xffffff).isEqualTo(6 * 0x202020);
      reader.dispose();
    }
  }
}

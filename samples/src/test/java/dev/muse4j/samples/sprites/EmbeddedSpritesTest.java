package dev.muse4j.samples.sprites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4j;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded sprite artist through the real pipeline. */
class EmbeddedSpritesTest {
  @Test
  void theArtistShipsSmallAndDrawsSheetsOfDistinctSprites(@TempDir Path cache) throws Exception {
    assertThat(EmbeddedSprites.isPresent()).isTrue();
    Path dir = EmbeddedSprites.directory(cache);
    assertThat(Files.size(dir.resolve("model.onnx"))).isLessThan(8_000_000);
    assertThat(EmbeddedSprites.directory(cache)).isEqualTo(dir);

    try (Backend onnx = Muse4j.backend("onnx"); ImageGenerator artist = onnx.image(dir.toString())) {
      ImageResult sheet = artist.generate(ImageRequest.builder().seed(1).count(64).build());

      assertThat(sheet.images()).hasSize(64).doesNotHaveDuplicates();
      Image first = sheet.image();
      assertThat(first.width()).isEqualTo(EmbeddedSprites.SIDE);
      assertThat(sheet.latent(0).orElseThrow().dimension()).isEqualTo(EmbeddedSprites.LATENT);
      assertThat(artist.generate(ImageRequest.builder().seed(1).build()).image()).isEqualTo(first);
    }
  }
}

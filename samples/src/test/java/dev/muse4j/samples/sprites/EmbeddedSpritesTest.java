package dev.muse4j.samples.sprites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4j;
import java.io.InputStream;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The embedded sprite artist through the real pipeline. */
class EmbeddedSpritesTest {
  @Test
  void theArtistIsItsOwnArtifactShipsSmallAndDrawsSheetsOfDistinctSprites() throws Exception {
    assertThat(EmbeddedSprites.isPresent()).isTrue();
    URL model = EmbeddedSprites.class.getResource("/dev/muse4j/models/sprites/model.onnx");
    assertThat(model).isNotNull();
    try (InputStream in = model.openStream()) {
      assertThat(in.readAllBytes().length).isLessThan(8_000_000);
    }
    assertThat(EmbeddedSprites.class.getResource("/dev/muse4j/samples/sprites/model.onnx")).as("moved out of samples")
        .isNull();

    try (Backend onnx = Muse4j.backend("onnx"); ImageGenerator artist = onnx.image(EmbeddedSprites.MODEL)) {
      ImageResult sheet = artist.generate(ImageRequest.builder().seed(1).count(64).build());

      assertThat(sheet.images()).hasSize(64).doesNotHaveDuplicates();
      Image first = sheet.image();
      assertThat(first.width()).isEqualTo(EmbeddedSprites.SIDE);
      assertThat(sheet.latent(0).orElseThrow().dimension()).isEqualTo(EmbeddedSprites.LATENT);
      assertThat(artist.generate(ImageRequest.builder().seed(1).build()).image()).isEqualTo(first);
    }
  }
}

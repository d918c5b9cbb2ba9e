package dev.muse4j.samples.sprites;

/**
 * The embedded sprite artist: a DCGAN (latent 100, 32×32 RGB) trained by the project on the Noto Emoji images
 * ({@code tools/train-sprites}), published as the artifact {@code dev.muse4j:muse4j-model-sprites} and loaded by the
 * onnx backend from the class path as {@link #MODEL}, the same way as the embedded poet.
 *
 * <pre>{@code
 * try (Backend onnx = Muse4j.backend("onnx"); ImageGenerator artist = onnx.image(EmbeddedSprites.MODEL)) {
 *   ImageResult sheet = artist.generate(ImageRequest.builder().seed(1).count(64).build());
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class EmbeddedSprites {
  /** The model reference: pass it to {@code backend.image(...)} of the onnx backend. */
  public static final String MODEL = "classpath:dev/muse4j/models/sprites";
  /** The size of the artist's latents. */
  public static final int LATENT = 100;
  /** The side of its sprites in pixels. */
  public static final int SIDE = 32;

  private EmbeddedSprites() {}

  /**
   * Whether the artist's jar is on the class path.
   *
   * @return {@code true} if it is
   */
  public static boolean isPresent() {
    return EmbeddedSprites.class.getResource("/dev/muse4j/models/sprites/muse4j-model.txt") != null;
  }
}

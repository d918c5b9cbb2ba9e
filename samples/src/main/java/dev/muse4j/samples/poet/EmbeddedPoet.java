package dev.muse4j.samples.poet;

/**
 * The embedded poet: a small decoder for classical Chinese quatrains, published as the artifact
 * {@code dev.muse4j:muse4j-model-poet} and loaded by the onnx backend from the class path as {@link #MODEL}. It knows
 * only Chinese characters, and its context is 37 characters, prompt and poem together.
 *
 * @since 0.1.0
 */
public final class EmbeddedPoet {
  /** The model reference: pass it to {@code backend.text(...)} of the onnx backend. */
  public static final String MODEL = "classpath:dev/muse4j/models/poet";
  /** The opening every sample poem starts from. */
  public static final String OPENING = "春";

  private EmbeddedPoet() {}

  /**
   * Whether the poet's jar is on the class path.
   *
   * @return {@code true} if it is
   */
  public static boolean isPresent() {
    return EmbeddedPoet.class.getResource("/dev/muse4j/models/poet/muse4j-model.txt") != null;
  }
}

package dev.muse4j;

/**
 * What a backend can do. A backend that lacks a capability throws {@link UnsupportedCapabilityException} when asked
 * for it.
 *
 * <p>Enum constants are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum Capability {
  /** Text from a prompt or chat messages: {@link TextGenerator}. */
  TEXT("text generation"),
  /** Pictures from a prompt: {@link ImageGenerator}. */
  IMAGE("image generation"),
  /** Music from a prompt: {@link MusicGenerator}. */
  MUSIC("music generation"),
  /** Restyling an image: {@link StyleTransfer}. */
  STYLE("style transfer");

  private final String description;

  Capability(String description) {
    this.description = description;
  }

  /**
   * A short human description, for messages.
   *
   * @return for example {@code "image generation"}
   */
  public String description() {
    return description;
  }
}

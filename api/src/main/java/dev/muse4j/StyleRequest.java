package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to restyle: a content image, and optionally a style image or a style described in words, with a strength.
 * Models with a fixed style (fast neural style) need neither.
 *
 * <pre>{@code
 * StyleRequest.builder(Image.read(Path.of("photo.jpg"))).strength(0.8).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; validated by {@link Builder#build()}.
 *
 * @since 0.1.0
 */
public final class StyleRequest {
  private final Image content;
  private final @Nullable Image style;
  private final @Nullable String stylePrompt;
  private final double strength;
  private final boolean keepColours;
  private final ProgressListener progressListener;
  private final @Nullable Duration timeout;

  private StyleRequest(Builder b) {
    this.content = b.content;
    this.style = b.style;
    this.stylePrompt = b.stylePrompt;
    this.strength = b.strength;
    this.keepColours = b.keepColours;
    this.progressListener = b.progressListener;
    this.timeout = b.timeout;
  }

  /**
   * A request with only a content image, at full strength.
   *
   * @param content the picture to restyle
   * @return the request
   */
  public static StyleRequest of(Image content) {
    return builder(content).build();
  }

  /**
   * Starts a builder.
   *
   * @param content the picture to restyle; not null
   * @return the builder
   */
  public static Builder builder(Image content) {
    return new Builder(content);
  }

  /**
   * The picture to restyle.
   *
   * @return the content image
   */
  public Image content() {
    return content;
  }

  /**
   * A picture whose style to apply.
   *
   * @return the style image, or empty
   */
  public Optional<Image> style() {
    return Optional.ofNullable(style);
  }

  /**
   * The style described in words.
   *
   * @return the description, or empty
   */
  public Optional<String> stylePrompt() {
    return Optional.ofNullable(stylePrompt);
  }

  /**
   * How strongly to apply the style: 0 returns the content unchanged, 1 is the full style.
   *
   * @return 0 to 1
   */
  public double strength() {
    return strength;
  }

  /**
   * Whether to keep the content's own colours: the style changes only the brightness (the luma Y of YCbCr, BT.601),
   * and the content's chroma (Cb, Cr) is kept. Backends that cannot do this say so in their documentation.
   *
   * @return {@code true} to keep the content's colours; {@code false} by default
   * @since 0.2.0
   */
  public boolean keepColours() {
    return keepColours;
  }

  /**
   * Receives progress.
   *
   * @return the listener
   */
  public ProgressListener progressListener() {
    return progressListener;
  }

  /**
   * The deadline for the whole style job, if one was set.
   *
   * @return the timeout
   * @since 0.2.0
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public String toString() {
    return "StyleRequest{content=" + content + (style != null ? ", style=" + style : "")
        + (stylePrompt != null ? ", stylePrompt=" + stylePrompt : "") + ", strength=" + strength + (keepColours ? ", keepColours" : "") + "}";
  }

  /**
   * Builds a {@link StyleRequest}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Image content;
    private @Nullable Image style;
    private @Nullable String stylePrompt;
    private double strength = 1.0;
    private boolean keepColours;
    private ProgressListener progressListener = ProgressListener.NONE;
    private @Nullable Duration timeout;

    private Builder(Image content) {
      this.content = Checks.notNull(content, "content");
    }

    /**
     * Sets a style image.
     *
     * @param style the picture whose style to apply
     * @return this builder
     */
    public Builder style(Image style) {
      this.style = Checks.notNull(style, "style");
      return this;
    }

    /**
     * Describes the style in words (for backends that take text).
     *
     * @param stylePrompt for example {@code "in the style of a woodcut"}
     * @return this builder
     */
    public Builder stylePrompt(String stylePrompt) {
      this.stylePrompt = Checks.notBlank(stylePrompt, "stylePrompt");
      return this;
    }

    /**
     * Sets the strength, 0 to 1.
     *
     * @param strength how strongly to apply the style
     * @return this builder
     */
    public Builder strength(double strength) {
      this.strength = strength;
      return this;
    }

    /**
     * Keeps the content's own colours: only the brightness (luma) is restyled; see {@link StyleRequest#keepColours()}.
     *
     * @param keepColours {@code true} to keep the content's colours
     * @return this builder
     * @since 0.2.0
     */
    public Builder keepColours(boolean keepColours) {
      this.keepColours = keepColours;
      return this;
    }

    /**
     * Sets the progress listener.
     *
     * @param listener receives progress
     * @return this builder
     */
    public Builder progressListener(ProgressListener listener) {
      this.progressListener = Checks.notNull(listener, "progressListener");
      return this;
    }

    /**
     * Sets a deadline: if the whole style job takes longer, it is cancelled between steps and a
     * {@link GenerationTimeoutException} is raised.
     *
     * @param timeout positive, at most 7 days
     * @return this builder
     * @throws InvalidRequestException if the timeout is null, zero, negative or too long
     * @since 0.2.0
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.timeout(timeout);
      return this;
    }

    /**
     * Validates and builds the request.
     *
     * @return the request
     * @throws InvalidRequestException naming the first invalid field
     */
    public StyleRequest build() {
      Checks.inRange(strength, 0.0, 1.0, "strength", "0 keeps the content unchanged, 1 applies the full style.");
      return new StyleRequest(this);
    }
  }
}

package dev.muse4j.spi;

import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.MusicRequest;
import dev.muse4j.TextRequest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * What an engine can take, declared once so that the core checks every request against it before the engine sees
 * it, with an error that names the limit. Unset limits are the API's own ({@link Image#MAX_SIDE},
 * {@link #DEFAULT_MAX_COUNT} results (within {@link ImageRequest#MAX_COUNT} and {@link TextRequest#MAX_COUNT}),
 * {@link MusicRequest#MAX_DURATION}).
 *
 * <pre>{@code
 * Limits.builder().maxSide(1024).sideMultiple(8).schedulers(List.of("euler", "ddim")).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class Limits {
  /** The most results per request unless an engine declares more (up to the request types' own caps). */
  public static final int DEFAULT_MAX_COUNT = 16;
  private static final Limits NONE = builder().build();

  private final @Nullable Integer contextLength;
  private final int maxSide;
  private final int sideMultiple;
  private final int maxCount;
  private final int maxSteps;
  private final List<String> schedulers;
  private final Duration maxDuration;

  private Limits(Builder b) {
    this.contextLength = b.contextLength;
    this.maxSide = b.maxSide;
    this.sideMultiple = b.sideMultiple;
    this.maxCount = b.maxCount;
    this.maxSteps = b.maxSteps;
    this.schedulers = List.copyOf(b.schedulers);
    this.maxDuration = b.maxDuration;
  }

  /**
   * No limits beyond the API's own.
   *
   * @return the limits
   */
  public static Limits none() {
    return NONE;
  }

  /**
   * A builder with the API's own limits.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The tokens the model sees at once (prompt and reply), where known.
   *
   * @return the context length
   */
  public OptionalInt contextLength() {
    return contextLength == null ? OptionalInt.empty() : OptionalInt.of(contextLength);
  }

  /**
   * The largest picture width or height (of a picture to make, or of a picture given to restyle).
   *
   * @return pixels
   */
  public int maxSide() {
    return maxSide;
  }

  /**
   * What picture sides must be a multiple of (1 for any).
   *
   * @return the multiple
   */
  public int sideMultiple() {
    return sideMultiple;
  }

  /**
   * The most results (pictures, text choices) one request may ask for.
   *
   * @return the count
   */
  public int maxCount() {
    return maxCount;
  }

  /**
   * The most denoising steps a picture request may ask for.
   *
   * @return the steps
   */
  public int maxSteps() {
    return maxSteps;
  }

  /**
   * The scheduler names a picture request may ask for; empty means the engine takes any name (a remote server
   * decides).
   *
   * @return the names
   */
  public List<String> schedulers() {
    return schedulers;
  }

  /**
   * The longest music a request may ask for.
   *
   * @return the duration
   */
  public Duration maxDuration() {
    return maxDuration;
  }

  @Override
  public String toString() {
    return "Limits{contextLength=" + contextLength + ", maxSide=" + maxSide + ", sideMultiple=" + sideMultiple
        + ", maxCount=" + maxCount + ", maxSteps=" + maxSteps + ", schedulers=" + schedulers + ", maxDuration="
        + maxDuration + "}";
  }

  /**
   * Builds {@link Limits}. Not thread-safe.
   *
   * @since 0.2.0
   */
  public static final class Builder {
    private @Nullable Integer contextLength;
    private int maxSide = Image.MAX_SIDE;
    private int sideMultiple = 8;
    private int maxCount = DEFAULT_MAX_COUNT;
    private int maxSteps = 1000;
    private List<String> schedulers = List.of();
    private Duration maxDuration = MusicRequest.MAX_DURATION;

    private Builder() {}

    /**
     * Sets the context length.
     *
     * @param tokens prompt and reply tokens together, at least 1
     * @return this builder
     */
    public Builder contextLength(int tokens) {
      this.contextLength = positive(tokens, "contextLength");
      return this;
    }

    /**
     * Sets the largest picture side.
     *
     * @param pixels at least 1; more than {@link Image#MAX_SIDE} means {@link Image#MAX_SIDE}
     * @return this builder
     */
    public Builder maxSide(int pixels) {
      this.maxSide = Math.min(positive(pixels, "maxSide"), Image.MAX_SIDE);
      return this;
    }

    /**
     * Sets what picture sides must be a multiple of.
     *
     * @param multiple at least 1
     * @return this builder
     */
    public Builder sideMultiple(int multiple) {
      this.sideMultiple = positive(multiple, "sideMultiple");
      return this;
    }

    /**
     * Sets the most results per request.
     *
     * @param count at least 1
     * @return this builder
     */
    public Builder maxCount(int count) {
      this.maxCount = positive(count, "maxCount");
      return this;
    }

    /**
     * Sets the most denoising steps.
     *
     * @param steps at least 1
     * @return this builder
     */
    public Builder maxSteps(int steps) {
      this.maxSteps = positive(steps, "maxSteps");
      return this;
    }

    /**
     * Sets the scheduler names the engine runs.
     *
     * @param names the names; empty for any
     * @return this builder
     */
    public Builder schedulers(List<String> names) {
      this.schedulers = List.copyOf(names);
      return this;
    }

    /**
     * Sets the longest music.
     *
     * @param duration positive, at most {@link MusicRequest#MAX_DURATION}
     * @return this builder
     */
    public Builder maxDuration(Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("maxDuration must be positive but was " + duration);
      }
      this.maxDuration = duration.compareTo(MusicRequest.MAX_DURATION) > 0 ? MusicRequest.MAX_DURATION : duration;
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public Limits build() {
      return new Limits(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
      }
      return value;
    }
  }
}

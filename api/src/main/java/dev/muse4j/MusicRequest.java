package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What music to make: a prompt, a duration, and optionally guidance, seed and sampling of the model's audio tokens.
 *
 * <pre>{@code
 * MusicRequest.builder("calm lo-fi piano with rain").duration(Duration.ofSeconds(8)).seed(3).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; validated by {@link Builder#build()}.
 *
 * @since 0.1.0
 */
public final class MusicRequest {
  /** The longest piece one request may ask for. */
  public static final Duration MAX_DURATION = Duration.ofMinutes(5);

  private final String prompt;
  private final Duration duration;
  private final @Nullable Double guidanceScale;
  private final @Nullable Long seed;
  private final SamplingConfig sampling;
  private final ProgressListener progressListener;
  private final @Nullable Duration timeout;

  private MusicRequest(Builder b) {
    this.prompt = b.prompt;
    this.duration = b.duration;
    this.guidanceScale = b.guidanceScale;
    this.seed = b.seed;
    this.sampling = b.sampling;
    this.progressListener = b.progressListener;
    this.timeout = b.timeout;
  }

  /**
   * A request with a prompt and a duration.
   *
   * @param prompt what the music should be like
   * @param duration how long, more than 0 and at most 5 minutes
   * @return the request
   */
  public static MusicRequest of(String prompt, Duration duration) {
    return builder(prompt).duration(duration).build();
  }

  /**
   * Starts a builder; the duration defaults to 10 seconds.
   *
   * @param prompt what the music should be like; not empty
   * @return the builder
   */
  public static Builder builder(String prompt) {
    return new Builder(prompt);
  }

  /**
   * What the music should be like.
   *
   * @return the prompt
   */
  public String prompt() {
    return prompt;
  }

  /**
   * How long the piece should be.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Classifier-free guidance scale.
   *
   * @return the scale, or empty for the model's default
   */
  public OptionalDouble guidanceScale() {
    return guidanceScale == null ? OptionalDouble.empty() : OptionalDouble.of(guidanceScale);
  }

  /**
   * The random seed; with one, a local backend repeats the piece exactly.
   *
   * @return the seed, or empty
   */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /**
   * Sampling of the model's tokens (temperature, top-k, ...).
   *
   * @return the config, possibly empty
   */
  public SamplingConfig sampling() {
    return sampling;
  }

  /**
   * Receives step-by-step progress.
   *
   * @return the listener
   */
  public ProgressListener progressListener() {
    return progressListener;
  }

  /**
   * The deadline for the whole music job, if one was set.
   *
   * @return the timeout
   * @since 0.2.0
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public String toString() {
    return "MusicRequest{prompt=" + prompt + ", duration=" + duration.toMillis() + "ms"
        + (seed != null ? ", seed=" + seed : "") + "}";
  }

  /**
   * Builds a {@link MusicRequest}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String prompt;
    private Duration duration = Duration.ofSeconds(10);
    private @Nullable Double guidanceScale;
    private @Nullable Long seed;
    private SamplingConfig sampling = SamplingConfig.empty();
    private ProgressListener progressListener = ProgressListener.NONE;
    private @Nullable Duration timeout;

    private Builder(String prompt) {
      this.prompt = Checks.notBlank(prompt, "prompt");
    }

    /**
     * Sets the duration, more than 0 and at most 5 minutes.
     *
     * @param duration how long
     * @return this builder
     */
    public Builder duration(Duration duration) {
      this.duration = Checks.notNull(duration, "duration");
      return this;
    }

    /**
     * Sets the guidance scale, 0 to 50.
     *
     * @param guidanceScale the scale, or {@code null} for the model's default
     * @return this builder
     */
    public Builder guidanceScale(@Nullable Double guidanceScale) {
      this.guidanceScale = guidanceScale;
      return this;
    }

    /**
     * Sets the seed.
     *
     * @param seed the seed, or {@code null} for a random one
     * @return this builder
     */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the seed.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the sampling of the model's tokens.
     *
     * @param sampling the config
     * @return this builder
     */
    public Builder sampling(SamplingConfig sampling) {
      this.sampling = Checks.notNull(sampling, "sampling");
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
     * Sets a deadline: if the whole music job takes longer, it is cancelled between steps and a
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
    public MusicRequest build() {
      if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
        throw new InvalidRequestException("duration", "duration must be more than 0 and at most "
            + MAX_DURATION.toMinutes() + " minutes but was " + duration.toMillis() + " ms; for example "
            + "Duration.ofSeconds(10).");
      }
      if (guidanceScale != null) {
        Checks.inRange(guidanceScale, 0.0, 50.0, "guidanceScale", "Typical values are 1 to 5.");
      }
      return new MusicRequest(this);
    }
  }
}

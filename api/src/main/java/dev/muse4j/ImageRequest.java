package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What picture to make: a prompt (or, for latent-space models such as GANs, latents or a seed), and optionally a negative prompt, size, steps, guidance, scheduler, seed, count,
 * and an initial image with a strength (image-to-image). Unset options take the model's defaults.
 *
 * <pre>{@code
 * ImageRequest.builder("a lighthouse in a storm, oil painting").size(512, 512).steps(4).seed(7).build();
 * ImageRequest.builder().seed(7).count(64).build();                        // a GAN: 64 pictures, seeds 7 to 70
 * ImageRequest.builder().latents(List.of(Latent.slerp(a, b, 0.5))).build(); // a GAN: exactly this latent
 * }</pre>
 *
 * <p>Immutable and thread-safe; validated by {@link Builder#build()}.
 *
 * @since 0.1.0
 */
public final class ImageRequest {
  /** The largest width or height a request may ask for. */
  public static final int MAX_SIDE = 4096;
  /**
   * The most images one request may ask for: an 8×8 sprite sheet from a GAN in one batch. Engines may take fewer
   * ({@link dev.muse4j.spi.Limits#maxCount()}, 16 unless an engine declares otherwise).
   */
  public static final int MAX_COUNT = 64;

  private final String prompt;
  private final @Nullable String negativePrompt;
  private final @Nullable Integer width;
  private final @Nullable Integer height;
  private final @Nullable Integer steps;
  private final @Nullable Double guidanceScale;
  private final @Nullable String scheduler;
  private final @Nullable Long seed;
  private final int count;
  private final @Nullable Image initImage;
  private final @Nullable Double strength;
  private final ProgressListener progressListener;
  private final @Nullable Duration timeout;
  private final List<Latent> latents;
  private final @Nullable String classLabel;
  private final @Nullable Long morphTo;

  private ImageRequest(Builder b) {
    this.morphTo = b.morphTo;
    this.latents = b.latents;
    this.classLabel = b.classLabel;
    this.prompt = b.prompt;
    this.negativePrompt = b.negativePrompt;
    this.width = b.width;
    this.height = b.height;
    this.steps = b.steps;
    this.guidanceScale = b.guidanceScale;
    this.scheduler = b.scheduler;
    this.seed = b.seed;
    this.count = b.count;
    this.initImage = b.initImage;
    this.strength = b.strength;
    this.progressListener = b.progressListener;
    this.timeout = b.timeout;
  }

  /**
   * A request with only a prompt.
   *
   * @param prompt what to draw
   * @return the request
   */
  public static ImageRequest of(String prompt) {
    return builder(prompt).build();
  }

  /**
   * Starts a builder.
   *
   * @param prompt what to draw; not empty
   * @return the builder
   */
  public static Builder builder(String prompt) {
    return new Builder(Checks.notBlank(prompt, "prompt"));
  }

  /**
   * Starts a builder without a prompt, for models that draw from a latent space (GAN generators): what to draw comes
   * from the seed, {@link Builder#latents(List)} or {@link Builder#classLabel(String)}. A model that needs a prompt
   * rejects the request.
   *
   * @return the builder
   * @since 0.2.0
   */
  public static Builder builder() {
    return new Builder("");
  }

  /**
   * A builder holding this request's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(prompt);
    b.negativePrompt = negativePrompt;
    b.width = width;
    b.height = height;
    b.steps = steps;
    b.guidanceScale = guidanceScale;
    b.scheduler = scheduler;
    b.seed = seed;
    b.count = count;
    b.initImage = initImage;
    b.strength = strength;
    b.progressListener = progressListener;
    b.timeout = timeout;
    b.latents = latents;
    b.classLabel = classLabel;
    b.morphTo = morphTo;
    return b;
  }

  /**
   * What to draw.
   *
   * @return the prompt; empty for a request made with {@link #builder()}
   */
  public String prompt() {
    return prompt;
  }

  /**
   * What to steer away from.
   *
   * @return the negative prompt, or empty
   */
  public Optional<String> negativePrompt() {
    return Optional.ofNullable(negativePrompt);
  }

  /**
   * The width in pixels, a multiple of 8.
   *
   * @return the width, or empty for the model's default
   */
  public OptionalInt width() {
    return width == null ? OptionalInt.empty() : OptionalInt.of(width);
  }

  /**
   * The height in pixels, a multiple of 8.
   *
   * @return the height, or empty for the model's default
   */
  public OptionalInt height() {
    return height == null ? OptionalInt.empty() : OptionalInt.of(height);
  }

  /**
   * Denoising steps.
   *
   * @return the steps, or empty for the model's default
   */
  public OptionalInt steps() {
    return steps == null ? OptionalInt.empty() : OptionalInt.of(steps);
  }

  /**
   * Classifier-free guidance scale; 0 or 1 turns guidance off.
   *
   * @return the scale, or empty for the model's default
   */
  public OptionalDouble guidanceScale() {
    return guidanceScale == null ? OptionalDouble.empty() : OptionalDouble.of(guidanceScale);
  }

  /**
   * The scheduler's name, for example {@code "euler"} or {@code "lcm"}.
   *
   * @return the scheduler, or empty for the model's default
   */
  public Optional<String> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /**
   * The random seed; with one, a local backend repeats the picture exactly.
   *
   * @return the seed, or empty
   */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /**
   * How many pictures to make.
   *
   * @return 1 to {@value #MAX_COUNT}
   */
  public int count() {
    return count;
  }

  /**
   * The starting picture, for image-to-image.
   *
   * @return the image, or empty for text-to-image
   */
  public Optional<Image> initImage() {
    return Optional.ofNullable(initImage);
  }

  /**
   * How much to change the initial image: 0 keeps it, 1 ignores it.
   *
   * @return the strength, or empty for the model's default
   */
  public OptionalDouble strength() {
    return strength == null ? OptionalDouble.empty() : OptionalDouble.of(strength);
  }

  /**
   * Receives step-by-step progress.
   *
   * @return the listener; {@link ProgressListener#NONE} by default
   */
  public ProgressListener progressListener() {
    return progressListener;
  }

  /**
   * The deadline for the whole picture job, if one was set.
   *
   * @return the timeout
   * @since 0.2.0
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * The exact latents to draw, one picture each, for latent-space models (GANs); the seed and count are then not
   * used.
   *
   * @return the latents, or empty to draw them from the seed
   * @since 0.2.0
   */
  public List<Latent> latents() {
    return latents;
  }

  /**
   * The class to draw, for class-conditional models: one of the model's class names, or its index.
   *
   * @return the class label, or empty for the model's first class
   * @since 0.2.0
   */
  public Optional<String> classLabel() {
    return Optional.ofNullable(classLabel);
  }

  /**
   * The seed a morph ends at: the request's {@link #count()} pictures step evenly, by {@link Latent#slerp}, from the
   * latent of {@link #seed()} to the latent of this seed.
   *
   * @return the end seed, or empty when the request is not a morph
   * @since 0.2.0
   */
  public OptionalLong morphTo() {
    return morphTo == null ? OptionalLong.empty() : OptionalLong.of(morphTo);
  }

  @Override
  public String toString() {
    return "ImageRequest{prompt=" + prompt + (!latents.isEmpty() ? ", latents=" + latents.size() : "")
        + (classLabel != null ? ", classLabel=" + classLabel : "") + (morphTo != null ? ", morphTo=" + morphTo : "")
        + (width != null ? ", size=" + width + "x" + height : "")
        + (steps != null ? ", steps=" + steps : "") + (seed != null ? ", seed=" + seed : "")
        + (count > 1 ? ", count=" + count : "") + (initImage != null ? ", initImage=" + initImage : "") + "}";
  }

  /**
   * Builds an {@link ImageRequest}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String prompt;
    private @Nullable String negativePrompt;
    private @Nullable Integer width;
    private @Nullable Integer height;
    private @Nullable Integer steps;
    private @Nullable Double guidanceScale;
    private @Nullable String scheduler;
    private @Nullable Long seed;
    private int count = 1;
    private @Nullable Image initImage;
    private @Nullable Double strength;
    private ProgressListener progressListener = ProgressListener.NONE;
    private @Nullable Duration timeout;
    private List<Latent> latents = List.of();
    private @Nullable String classLabel;
    private @Nullable Long morphTo;

    private Builder(String prompt) {
      this.prompt = prompt;
    }

    /**
     * Sets the exact latents to draw, one picture each, in order; the count becomes their number and the seed is not
     * used. All must have the model's dimension, which the engine checks.
     *
     * @param latents 1 to {@value ImageRequest#MAX_COUNT} latents, or an empty list to draw them from the seed
     * @return this builder
     * @since 0.2.0
     */
    public Builder latents(List<Latent> latents) {
      this.latents = List.copyOf(Checks.notNull(latents, "latents"));
      if (!this.latents.isEmpty()) {
        this.count = this.latents.size();
      }
      return this;
    }

    /**
     * Asks for a morph, for latent-space models: {@code frames} pictures in one batch, from the latent of seed
     * {@code from} to the latent of seed {@code to} by spherical interpolation ({@link Latent#slerp}), both ends
     * included. Sets the seed and the count.
     *
     * @param from the first picture's seed
     * @param to the last picture's seed
     * @param frames 2 to {@value ImageRequest#MAX_COUNT}
     * @return this builder
     * @since 0.2.0
     */
    public Builder morph(long from, long to, int frames) {
      Checks.inRange(frames, 2, MAX_COUNT, "frames", "A morph has both ends, so at least 2 frames.");
      this.seed = from;
      this.morphTo = to;
      this.count = frames;
      return this;
    }

    /**
     * Sets the class to draw, for class-conditional models.
     *
     * @param classLabel one of the model's class names, or its index as a number; {@code null} for the first class
     * @return this builder
     * @since 0.2.0
     */
    public Builder classLabel(@Nullable String classLabel) {
      this.classLabel = classLabel == null ? null : Checks.notBlank(classLabel, "classLabel");
      return this;
    }

    /**
     * Sets what to steer away from.
     *
     * @param negativePrompt the negative prompt, or {@code null}
     * @return this builder
     */
    public Builder negativePrompt(@Nullable String negativePrompt) {
      this.negativePrompt = negativePrompt;
      return this;
    }

    /**
     * Sets the size; both sides must be multiples of 8, at most {@value ImageRequest#MAX_SIDE}.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @return this builder
     */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * Sets the denoising steps, 1 to 1000.
     *
     * @param steps the steps, or {@code null} for the model's default
     * @return this builder
     */
    public Builder steps(@Nullable Integer steps) {
      this.steps = steps;
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
     * Sets the scheduler.
     *
     * @param scheduler its name, or {@code null} for the model's default
     * @return this builder
     */
    public Builder scheduler(@Nullable String scheduler) {
      this.scheduler = scheduler;
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
     * Sets how many pictures to make, 1 to {@value ImageRequest#MAX_COUNT}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder count(int count) {
      this.count = count;
      return this;
    }

    /**
     * Sets a starting picture and how much to change it (image-to-image).
     *
     * @param initImage the starting picture
     * @param strength 0 keeps it, 1 ignores it
     * @return this builder
     */
    public Builder initImage(Image initImage, double strength) {
      this.initImage = Checks.notNull(initImage, "initImage");
      this.strength = strength;
      return this;
    }

    /**
     * Sets the progress listener.
     *
     * @param listener receives step-by-step progress
     * @return this builder
     */
    public Builder progressListener(ProgressListener listener) {
      this.progressListener = Checks.notNull(listener, "progressListener");
      return this;
    }

    /**
     * Sets a deadline: if the whole picture job takes longer, it is cancelled between steps and a
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
    public ImageRequest build() {
      if (width != null) {
        side(width, "width");
        side(height == null ? 0 : height, "height");
      }
      if (steps != null) {
        Checks.inRange(steps, 1, 1000, "steps", "Distilled models such as SD-Turbo need 1 to 4; others 20 to 50.");
      }
      if (guidanceScale != null) {
        Checks.inRange(guidanceScale, 0.0, 50.0, "guidanceScale", "Typical values are 0 (off) to 7.5.");
      }
      Checks.inRange(count, 1, MAX_COUNT, "count", "");
      if (!latents.isEmpty() && morphTo != null) {
        throw new InvalidRequestException("latents", "A request takes either latents or a morph, not both.");
      }
      if (morphTo != null && count < 2) {
        throw new InvalidRequestException("count", "A morph needs at least 2 frames but count is " + count + ".");
      }
      if (!latents.isEmpty() && latents.size() != count) {
        throw new InvalidRequestException("count", "count is " + count + " but " + latents.size() + " latents were "
            + "given; with latents, the count is their number.");
      }
      if (strength != null) {
        Checks.inRange(strength, 0.0, 1.0, "strength", "0 keeps the initial image, 1 ignores it.");
      }
      return new ImageRequest(this);
    }

    private static void side(int value, String field) {
      if (value < 8 || value > MAX_SIDE || value % 8 != 0) {
        int suggestion = Math.max(8, Math.min(MAX_SIDE, Math.round(value / 8f) * 8));
        throw new InvalidRequestException(field, field + " must be a multiple of 8 between 8 and " + MAX_SIDE
            + " but was " + value + "; try " + suggestion + ".");
      }
    }
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pictures a generation made, and how long it took; from a latent-space model (a GAN), also each picture's
 * latent and seed, so that a picture can be stored as numbers and made again exactly. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ImageResult {
  private final List<Image> images;
  private final Duration elapsed;
  private final List<Latent> latents;
  private final List<OptionalLong> seeds;

  private ImageResult(List<Image> images, Duration elapsed, List<Latent> latents, List<OptionalLong> seeds) {
    this.images = images;
    this.elapsed = elapsed;
    this.latents = latents;
    this.seeds = seeds;
  }

  /**
   * Creates a result.
   *
   * @param images at least one image
   * @param elapsed how long it took
   * @return the result
   */
  public static ImageResult of(List<Image> images, Duration elapsed) {
    Checks.notNull(images, "images");
    Checks.notNull(elapsed, "elapsed");
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a result needs at least one image");
    }
    return new ImageResult(List.copyOf(images), Checks.notNull(elapsed, "elapsed"), List.of(), List.of());
  }

  /**
   * Creates a result from a latent-space model, with each picture's latent and seed.
   *
   * @param images at least one image
   * @param latents one per image, in the same order
   * @param seeds one per image: the seed its latent was drawn from, or empty when the latent was given
   * @param elapsed how long it took
   * @return the result
   * @throws IllegalArgumentException if the lists' sizes differ
   * @since 0.2.0
   */
  public static ImageResult of(List<Image> images, List<Latent> latents, List<OptionalLong> seeds,
      Duration elapsed) {
    Checks.notNull(images, "images");
    Checks.notNull(latents, "latents");
    Checks.notNull(seeds, "seeds");
    Checks.notNull(elapsed, "elapsed");
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a result needs at least one image");
    }
    if (latents.size() != images.size() || seeds.size() != images.size()) {
      throw new IllegalArgumentException("a result needs one latent and one seed per image but got " + images.size()
          + " images, " + latents.size() + " latents and " + seeds.size() + " seeds");
    }
    return new ImageResult(List.copyOf(images), Checks.notNull(elapsed, "elapsed"), List.copyOf(latents),
        List.copyOf(seeds));
  }

  /**
   * Every picture, in order.
   *
   * @return at least one image
   */
  public List<Image> images() {
    return images;
  }

  /**
   * The first picture.
   *
   * @return the image
   */
  public Image image() {
    return images.get(0);
  }

  /**
   * The latents of the pictures, in order, for models that have them.
   *
   * @return one per picture, or empty when the model has no latent space (or a remote service does not tell)
   * @since 0.2.0
   */
  public List<Latent> latents() {
    return latents;
  }

  /**
   * The latent of one picture: give it back with {@link ImageRequest.Builder#latents(List)} to make that picture
   * again.
   *
   * @param index the picture, from 0
   * @return its latent, or empty when the model has none
   * @since 0.2.0
   */
  public Optional<Latent> latent(int index) {
    Objects.checkIndex(index, images.size());
    return latents.isEmpty() ? Optional.empty() : Optional.of(latents.get(index));
  }

  /**
   * The seed one picture was drawn from: with a seed {@code s} and a count of {@code n}, a GAN draws its pictures
   * from the seeds {@code s, s + 1, …, s + n − 1}.
   *
   * @param index the picture, from 0
   * @return its seed, or empty when its latent was given or the backend does not tell
   * @since 0.2.0
   */
  public OptionalLong seed(int index) {
    Objects.checkIndex(index, images.size());
    return seeds.isEmpty() ? OptionalLong.empty() : seeds.get(index);
  }

  /**
   * How long the generation took.
   *
   * @return the duration
   */
  public Duration elapsed() {
    return elapsed;
  }

  @Override
  public String toString() {
    return "ImageResult{" + images + ", " + elapsed.toMillis() + " ms}";
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.List;

/**
 * The pictures a generation made, and how long it took. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ImageResult {
  private final List<Image> images;
  private final Duration elapsed;

  private ImageResult(List<Image> images, Duration elapsed) {
    this.images = images;
    this.elapsed = elapsed;
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
    return new ImageResult(List.copyOf(images), Checks.notNull(elapsed, "elapsed"));
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

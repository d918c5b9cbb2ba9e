package dev.muse4j.testkit.reference;

import dev.muse4j.Image;
import dev.muse4j.ImageResult;
import dev.muse4j.StyleRequest;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.StyleEngine;
import java.time.Duration;
import java.util.List;

/** Sepia toning blended with the content by strength, so strength 0 is an exact identity. */
final class ReferenceStyleEngine implements StyleEngine {
  @Override
  public ImageResult transfer(Job<StyleRequest> job) {
    StyleRequest request = job.request();
    job.cancellation().throwIfCancelled();
    long start = System.nanoTime();
    byte[] rgb = request.content().rgb();
    double s = request.strength();
    for (int i = 0; i < rgb.length; i += 3) {
      int r = rgb[i] & 0xff;
      int g = rgb[i + 1] & 0xff;
      int b = rgb[i + 2] & 0xff;
      double[] sepia = {
        Math.min(255, .393 * r + .769 * g + .189 * b),
        Math.min(255, .349 * r + .686 * g + .168 * b),
        Math.min(255, .272 * r + .534 * g + .131 * b)};
      rgb[i] = (byte) Math.round(r * (1 - s) + sepia[0] * s);
      rgb[i + 1] = (byte) Math.round(g * (1 - s) + sepia[1] * s);
      rgb[i + 2] = (byte) Math.round(b * (1 - s) + sepia[2] * s);
    }
    Image out = Image.ofRgb(request.content().width(), request.content().height(), rgb);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    job.step(1, 1);
    return ImageResult.of(List.of(out), elapsed);
  }

  @Override
  public void close() {}
}

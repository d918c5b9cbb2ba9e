package dev.muse4j.testkit.reference;

import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.spi.ImageEngine;
import dev.muse4j.spi.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded colour fields, one "denoising" step at a time, with progress. */
final class ReferenceImageEngine implements ImageEngine {
  @Override
  public ImageResult generate(Job<ImageRequest> job) {
    ImageRequest request = job.request();
    long start = System.nanoTime();
    int w = request.width().orElse(64);
    int h = request.height().orElse(64);
    int steps = request.steps().orElse(4);
    long seed = request.seed().orElseGet(System::nanoTime);
    List<Image> images = new ArrayList<>();
    int total = steps * request.count();
    for (int n = 0; n < request.count(); n++) {
      SplittableRandom random = new SplittableRandom((seed + n) ^ request.prompt().hashCode());
      byte[] rgb = new byte[w * h * 3];
      for (int step = 0; step < steps; step++) {
        job.cancellation().throwIfCancelled();
        int r = random.nextInt(256);
        int g = random.nextInt(256);
        int b = random.nextInt(256);
        for (int i = 0; i < w * h; i++) {
          int x = i % w;
          rgb[3 * i] = (byte) ((rgb[3 * i] + r * x / w) / 2);
          rgb[3 * i + 1] = (byte) ((rgb[3 * i + 1] + g) / 2);
          rgb[3 * i + 2] = (byte) ((rgb[3 * i + 2] + b * (i / w) / h) / 2);
        }
        job.step(n * steps + step + 1, total);
      }
      images.add(Image.ofRgb(w, h, rgb));
    }
    return ImageResult.of(images, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public void close() {}
}

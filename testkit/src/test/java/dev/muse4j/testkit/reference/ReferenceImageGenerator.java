package dev.muse4j.testkit.reference;

import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded colour fields, one "denoising" step at a time, with progress. */
final class ReferenceImageGenerator implements ImageGenerator {
  private final ReferenceBackend backend;
  private final String model;
  private volatile boolean closed;

  ReferenceImageGenerator(ReferenceBackend backend, String model) {
    this.backend = backend;
    this.model = model;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public ImageResult generate(ImageRequest request) {
    if (closed) {
      throw new IllegalStateException("This image generator is closed.");
    }
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
        ReferenceBackend.checkInterrupt();
        int r = random.nextInt(256);
        int g = random.nextInt(256);
        int b = random.nextInt(256);
        for (int i = 0; i < w * h; i++) {
          int x = i % w;
          rgb[3 * i] = (byte) ((rgb[3 * i] + r * x / w) / 2);
          rgb[3 * i + 1] = (byte) ((rgb[3 * i + 1] + g) / 2);
          rgb[3 * i + 2] = (byte) ((rgb[3 * i + 2] + b * (i / w) / h) / 2);
        }
        request.progressListener().onProgress(Progress.of("denoising", n * steps + step + 1, total,
            Duration.ofNanos(System.nanoTime() - start)));
      }
      images.add(Image.ofRgb(w, h, rgb));
    }
    return ImageResult.of(images, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public void close() {
    closed = true;
    backend.untrack(this);
  }
}

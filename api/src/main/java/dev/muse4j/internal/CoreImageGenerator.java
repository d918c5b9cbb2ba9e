package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.ProgressListener;
import dev.muse4j.spi.ImageEngine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The one {@link ImageGenerator}: the lifecycle from {@link JobRunner}, the work from an {@link ImageEngine}. */
final class CoreImageGenerator extends CoreGenerator<ImageEngine> implements ImageGenerator {
  private final JobRunner<ImageRequest, ImageResult> runner;

  CoreImageGenerator(CoreContext context, String model, ImageEngine engine) {
    super(context, Capability.IMAGE, "image generator", model, engine);
    this.runner = new JobRunner<>(context, Capability.IMAGE, model, lifecycle,
        new JobRunner.RequestShape<>() {
          @Override
          public ProgressListener progress(ImageRequest request) {
            return request.progressListener();
          }

          @Override
          public Optional<Duration> timeout(ImageRequest request) {
            return request.timeout();
          }
        }, request -> Validation.image(request, engine.limits(), lifecycle.what()), job -> engine.generate(job));
  }

  @Override
  public ImageResult generate(ImageRequest request) {
    return runner.run(request);
  }

  @Override
  public CompletableFuture<ImageResult> generateAsync(ImageRequest request) {
    return runner.runAsync(request);
  }
}

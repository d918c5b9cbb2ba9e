package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.spi.ImageEngine;
import java.util.concurrent.CompletableFuture;

/** The one {@link ImageGenerator}: the lifecycle from {@link JobRunner}, the work from an {@link ImageEngine}. */
final class CoreImageGenerator extends CoreGenerator<ImageEngine> implements ImageGenerator {
  private final JobRunner<ImageRequest, ImageResult> runner;

  CoreImageGenerator(CoreContext context, String model, ImageEngine engine) {
    super(context, Capability.IMAGE, "image generator", model, engine);
    this.runner = new JobRunner<>(context, Capability.IMAGE, model, lifecycle, ImageRequest::progressListener,
        ImageRequest::timeout,
        request -> Validation.image(request, engine.limits(), lifecycle.what()), engine::generate);
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

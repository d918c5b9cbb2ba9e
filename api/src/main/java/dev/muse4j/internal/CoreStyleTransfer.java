package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.ImageResult;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import dev.muse4j.spi.StyleEngine;
import java.util.concurrent.CompletableFuture;

/** The one {@link StyleTransfer}: the lifecycle from {@link JobRunner}, the work from a {@link StyleEngine}. */
final class CoreStyleTransfer extends CoreGenerator<StyleEngine> implements StyleTransfer {
  private final JobRunner<StyleRequest, ImageResult> runner;

  CoreStyleTransfer(CoreContext context, String model, StyleEngine engine) {
    super(context, Capability.STYLE, "style transfer", model, engine);
    this.runner = new JobRunner<>(context, Capability.STYLE, model, lifecycle, StyleRequest::progressListener,
        StyleRequest::timeout,
        request -> Validation.style(request, engine.limits(), lifecycle.what()), engine::transfer);
  }

  @Override
  public ImageResult transfer(StyleRequest request) {
    return runner.run(request);
  }

  @Override
  public CompletableFuture<ImageResult> transferAsync(StyleRequest request) {
    return runner.runAsync(request);
  }
}

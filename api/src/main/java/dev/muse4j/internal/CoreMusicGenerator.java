package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.spi.MusicEngine;
import java.util.concurrent.CompletableFuture;

/** The one {@link MusicGenerator}: the lifecycle from {@link JobRunner}, the work from a {@link MusicEngine}. */
final class CoreMusicGenerator extends CoreGenerator<MusicEngine> implements MusicGenerator {
  private final JobRunner<MusicRequest, MusicResult> runner;

  CoreMusicGenerator(CoreContext context, String model, MusicEngine engine) {
    super(context, Capability.MUSIC, "music generator", model, engine);
    this.runner = new JobRunner<>(context, Capability.MUSIC, model, lifecycle, MusicRequest::progressListener,
        MusicRequest::timeout,
        request -> Validation.music(request, engine.limits(), lifecycle.what()), engine::generate);
  }

  @Override
  public MusicResult generate(MusicRequest request) {
    return runner.run(request);
  }

  @Override
  public CompletableFuture<MusicResult> generateAsync(MusicRequest request) {
    return runner.runAsync(request);
  }
}

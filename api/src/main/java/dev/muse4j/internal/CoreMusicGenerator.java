package dev.muse4j.internal;

import dev.muse4j.Capability;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.ProgressListener;
import dev.muse4j.spi.MusicEngine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The one {@link MusicGenerator}: the lifecycle from {@link JobRunner}, the work from a {@link MusicEngine}. */
final class CoreMusicGenerator extends CoreGenerator<MusicEngine> implements MusicGenerator {
  private final JobRunner<MusicRequest, MusicResult> runner;

  CoreMusicGenerator(CoreContext context, String model, MusicEngine engine) {
    super(context, Capability.MUSIC, "music generator", model, engine);
    this.runner = new JobRunner<>(context, Capability.MUSIC, model, lifecycle,
        new JobRunner.RequestShape<>() {
          @Override
          public ProgressListener progress(MusicRequest request) {
            return request.progressListener();
          }

          @Override
          public Optional<Duration> timeout(MusicRequest request) {
            return request.timeout();
          }
        }, request -> Validation.music(request, engine.limits(), lifecycle.what()), job -> engine.generate(job));
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

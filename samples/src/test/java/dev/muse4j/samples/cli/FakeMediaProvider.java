package dev.muse4j.samples.cli;

import dev.muse4j.Audio;
import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.StyleRequest;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import dev.muse4j.spi.ImageEngine;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.MusicEngine;
import dev.muse4j.spi.StyleEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A test-scope backend offering the media capabilities, so the CLI's media commands are tested end to end. */
public final class FakeMediaProvider implements BackendProvider {
  @Override
  public String name() {
    return "fake-media";
  }

  @Override
  public String description() {
    return "test media backend";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.IMAGE, Capability.STYLE, Capability.MUSIC);
  }

  @Override
  public List<BackendSetting> settings() {
    return List.of();
  }

  @Override
  public Availability availability() {
    return Availability.available();
  }

  @Override
  public EngineSet open(BackendConfig config) {
    return EngineSet.builder()
        .image((model, options) -> new ImageEngine() {
          @Override
          public ImageResult generate(Job<ImageRequest> job) {
            ImageRequest request = job.request();
            int steps = request.steps().orElse(3);
            for (int i = 1; i <= steps; i++) {
              job.step(i, steps);
            }
            List<Image> images = new ArrayList<>();
            for (int i = 0; i < request.count(); i++) {
              int w = request.width().orElse(32);
              int h = request.height().orElse(32);
              images.add(Image.ofRgb(w, h, new byte[w * h * 3]));
            }
            return ImageResult.of(images, Duration.ofMillis(5));
          }

          @Override
          public void close() {}
        })
        .music((model, options) -> new MusicEngine() {
          @Override
          public MusicResult generate(Job<MusicRequest> job) {
            int frames = (int) (job.request().duration().toMillis() * 8);
            return MusicResult.of(Audio.of(new float[frames], 8000, 1), null, Duration.ofMillis(1));
          }

          @Override
          public void close() {}
        })
        .style((model, options) -> new StyleEngine() {
          @Override
          public ImageResult transfer(Job<StyleRequest> job) {
            return ImageResult.of(List.of(job.request().content()), Duration.ofMillis(1));
          }

          @Override
          public void close() {}
        })
        .build();
  }
}

package dev.muse4j.samples.cli;

import dev.muse4j.Audio;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.Progress;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.UnsupportedCapabilityException;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
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
  public Backend open(BackendConfig config) {
    return new Backend() {
      @Override
      public String name() {
        return "fake-media";
      }

      @Override
      public Set<Capability> capabilities() {
        return FakeMediaProvider.this.capabilities();
      }

      @Override
      public TextGenerator text(String model, ModelOptions options) {
        throw new UnsupportedCapabilityException(name(), Capability.TEXT);
      }

      @Override
      public ImageGenerator image(String model, ModelOptions options) {
        return new ImageGenerator() {
          @Override
          public String model() {
            return model;
          }

          @Override
          public ImageResult generate(ImageRequest request) {
            int steps = request.steps().orElse(3);
            for (int i = 1; i <= steps; i++) {
              request.progressListener().onProgress(Progress.of("denoising", i, steps, Duration.ofMillis(i)));
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
        };
      }

      @Override
      public MusicGenerator music(String model, ModelOptions options) {
        return new MusicGenerator() {
          @Override
          public String model() {
            return model;
          }

          @Override
          public MusicResult generate(MusicRequest request) {
            int frames = (int) (request.duration().toMillis() * 8);
            return MusicResult.of(Audio.of(new float[frames], 8000, 1), null, Duration.ofMillis(1));
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public StyleTransfer style(String model, ModelOptions options) {
        return new StyleTransfer() {
          @Override
          public String model() {
            return model;
          }

          @Override
          public ImageResult transfer(StyleRequest request) {
            return ImageResult.of(List.of(request.content()), Duration.ofMillis(1));
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public void close() {}
    };
  }
}

package dev.muse4j;

import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import java.util.List;
import java.util.Set;

/** Providers registered in this module's test META-INF/services, to test discovery. */
final class TestProviders {
  private TestProviders() {}

  /** An available provider whose backend records the config it was opened with. */
  public static final class Echo implements BackendProvider {
    static volatile BackendConfig lastConfig;

    @Override
    public String name() {
      return "echo";
    }

    @Override
    public String description() {
      return "records its config";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.TEXT);
    }

    @Override
    public List<BackendSetting> settings() {
      return List.of(BackendSetting.of("temperatureScale", "scales things", "1"),
          BackendSetting.of("apiKey", "a secret", null));
    }

    @Override
    public Availability availability() {
      return Availability.available();
    }

    @Override
    public EngineSet open(BackendConfig config) {
      lastConfig = config;
      return EngineSet.builder().build();
    }
  }

  /** A provider that cannot run here. */
  public static class Missing implements BackendProvider {
    @Override
    public String name() {
      return "missing";
    }

    @Override
    public String description() {
      return "needs a native library";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.IMAGE);
    }

    @Override
    public List<BackendSetting> settings() {
      return List.of();
    }

    @Override
    public Availability availability() {
      return Availability.unavailable("libmissing.so was not found");
    }

    @Override
    public EngineSet open(BackendConfig config) {
      throw new AssertionError("must not be opened when unavailable");
    }
  }

  /** Claims the name "twin"; so does {@link TwinB}. Registered only by the duplicate test's class loader. */
  public static final class TwinA extends Missing {
    @Override
    public String name() {
      return "twin";
    }
  }

  /** Claims the name "twin" too. */
  public static final class TwinB extends Missing {
    @Override
    public String name() {
      return "twin";
    }
  }
}

package dev.muse4j.testkit.reference;

import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A small, deterministic in-test backend that exercises every capability, so the contracts themselves are tested.
 * Test scope only: it is not a product backend.
 */
public final class ReferenceBackendProvider implements BackendProvider {
  static final String NAME = "reference";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "In-test reference backend for the contract tests";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public List<BackendSetting> settings() {
    return List.of(
        BackendSetting.of("tokenDelay", "Pause before each generated word, e.g. 1ms.", "1ms"),
        BackendSetting.of("capabilities", "Comma-separated capabilities to offer (TEXT, IMAGE, MUSIC, STYLE).",
            "TEXT,IMAGE,MUSIC,STYLE"));
  }

  @Override
  public Availability availability() {
    return Availability.available();
  }

  @Override
  public EngineSet open(BackendConfig config) {
    Set<Capability> offered = EnumSet.noneOf(Capability.class);
    List<String> names = config.getList("capabilities");
    if (names.isEmpty()) {
      offered.addAll(capabilities());
    } else {
      for (String n : names) {
        offered.add(Capability.valueOf(n.trim()));
      }
    }
    Duration tokenDelay = config.getDuration("tokenDelay", Duration.ofMillis(1));
    EngineSet.Builder engines = EngineSet.builder();
    if (offered.contains(Capability.TEXT)) {
      engines.text((model, options) -> new ReferenceTextEngine(tokenDelay));
    }
    if (offered.contains(Capability.IMAGE)) {
      engines.image((model, options) -> new ReferenceImageEngine());
    }
    if (offered.contains(Capability.MUSIC)) {
      engines.music((model, options) -> new ReferenceMusicEngine());
    }
    if (offered.contains(Capability.STYLE)) {
      engines.style((model, options) -> new ReferenceStyleEngine());
    }
    return engines.build();
  }
}

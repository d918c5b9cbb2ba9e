package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Capability;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.UnsupportedCapabilityException;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.spi.EngineSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A backend offers exactly what its engine set opens, and its extension only to a caller asking for its type. */
class CoreBackendCapabilitiesTest {
  /** A backend-specific extension, as a remote backend's model lister would be. */
  interface ModelLister {
    List<String> models();
  }

  @Test
  void capabilitiesAreTheEngineSetsOpeners() {
    EngineSet set = EngineSet.builder()
        .text((m, o) -> new FakeTextEngine("a"))
        .image((m, o) -> new FakeImageEngine(1))
        .build();
    try (CoreBackend backend = CoreFakes.backend(set)) {
      assertThat(backend.capabilities()).isEqualTo(set.capabilities())
          .containsExactlyInAnyOrder(Capability.TEXT, Capability.IMAGE);
      assertThat(backend.supports(Capability.IMAGE)).isTrue();
      assertThat(backend.supports(Capability.MUSIC)).isFalse();
      assertThat(backend.name()).isEqualTo("fake");
    }
  }

  @Test
  void anEmptyEngineSetHasNoCapabilities() {
    try (CoreBackend backend = CoreFakes.backend(EngineSet.builder().build())) {
      assertThat(backend.capabilities()).isEmpty();
      assertThatThrownBy(() -> backend.text("m"))
          .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("nothing");
    }
  }

  @Test
  void askingForAMissingKindNamesTheBackendAndWhatItCanDo() {
    EngineSet set = EngineSet.builder()
        .text((m, o) -> new FakeTextEngine("a"))
        .image((m, o) -> new FakeImageEngine(1))
        .build();
    try (CoreBackend backend = CoreFakes.backend(set)) {
      assertThatThrownBy(() -> backend.music("m"))
          .isInstanceOfSatisfying(UnsupportedCapabilityException.class, e -> {
            assertThat(e.backend()).isEqualTo("fake");
            assertThat(e.capability()).isEqualTo(Capability.MUSIC);
            assertThat(e.getMessage()).contains("'fake'").contains(Capability.MUSIC.description())
                .contains(Capability.TEXT.description()).contains(Capability.IMAGE.description())
                .doesNotContain(Capability.STYLE.description());
          });
      assertThatThrownBy(() -> backend.style("m"))
          .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
              e -> assertThat(e.capability()).isEqualTo(Capability.STYLE));
      assertThat(backend.openGenerators()).isZero();
    }
  }

  @Test
  void theOpenerGetsTheModelAndOptions() {
    List<String> opened = new CopyOnWriteArrayList<>();
    EngineSet set = EngineSet.builder().text((m, o) -> {
      opened.add(m + " " + o.settings());
      return new FakeTextEngine("a");
    }).build();
    try (CoreBackend backend = CoreFakes.backend(set)) {
      assertThat(backend.text("tiny", ModelOptions.defaults().withSetting("threads", "2")).model())
          .isEqualTo("tiny");
      assertThat(opened).containsExactly("tiny {threads=2}");
    }
  }

  @Test
  void anOpenerFailureReachesTheCallerAndLeavesNothingOpen() {
    ModelLoadException failure = new ModelLoadException("missing", "no such model");
    EngineSet set = EngineSet.builder().text((m, o) -> {
      throw failure;
    }).build();
    try (CoreBackend backend = CoreFakes.backend(set)) {
      assertThatThrownBy(() -> backend.text("missing")).isSameAs(failure);
      assertThat(backend.openGenerators()).isZero();
    }
  }

  @Test
  void theExtensionIsOfferedOnlyForAMatchingType() {
    ModelLister lister = () -> List.of("a", "b");
    try (CoreBackend backend = CoreFakes.backend(EngineSet.builder().extension(lister).build())) {
      assertThat(backend.extension(ModelLister.class)).containsSame(lister);
      assertThat(backend.extension(Runnable.class)).isEmpty();
      assertThat(backend.extension(String.class)).isEmpty();
      assertThatThrownBy(() -> backend.extension(null)).isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void aBackendWithoutAnExtensionOffersNone() {
    try (CoreBackend backend = CoreFakes.backend(EngineSet.builder().build())) {
      assertThat(backend.extension(ModelLister.class)).isEmpty();
      assertThat(backend.extension(Object.class)).isEmpty();
    }
  }

  @Test
  void capabilitiesAreAnImmutableSnapshot() {
    try (CoreBackend backend = CoreFakes.backend(EngineSet.builder().music((m, o) -> null).build())) {
      Set<Capability> caps = backend.capabilities();
      assertThat(caps).containsExactly(Capability.MUSIC);
      assertThatThrownBy(() -> caps.add(Capability.TEXT)).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}

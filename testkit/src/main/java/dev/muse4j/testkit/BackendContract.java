package dev.muse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.ClosedException;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.BackendInfo;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Muse4j;
import dev.muse4j.UnsupportedCapabilityException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The promises every backend keeps about discovery, settings and capabilities. Extend it and implement
 * {@link #backendName()}; override {@link #config()} if the backend needs settings to open.
 *
 * <p>Not thread-safe itself.
 *
 * @since 0.1.0
 */
public abstract class BackendContract {
  /** A model name used only to ask for capabilities the backend lacks; it is never loaded. */
  protected static final String ABSENT_MODEL = "muse4j-contract-model";

  /** Creates the contract. */
  protected BackendContract() {}

  /**
   * The backend's name.
   *
   * @return the name its provider declares
   */
  protected abstract String backendName();

  /**
   * The settings to open the backend with.
   *
   * @return the config; empty by default
   */
  protected BackendConfig config() {
    return BackendConfig.empty();
  }

  private BackendInfo info() {
    return Muse4j.backends().stream().filter(b -> b.name().equals(backendName())).findFirst()
        .orElseThrow(() -> new AssertionError("Muse4j.backends() does not list '" + backendName()
            + "': is it registered in META-INF/services/dev.muse4j.spi.BackendProvider?"));
  }

  @Test
  public void discoveryFindsTheBackend() {
    BackendInfo info = info();

    assertThat(info.name()).matches("[a-z][a-z0-9._-]*");
    assertThat(info.description()).isNotBlank();
    assertThat(info.capabilities()).isNotEmpty();
    assertThat(info.isAvailable()).as("available: %s", info.unavailableReason()).isTrue();
  }

  @Test
  public void settingsHaveUniqueNamesAndDescriptions() {
    List<BackendSetting> settings = info().settings();
    Set<String> names = new HashSet<>();

    for (BackendSetting s : settings) {
      assertThat(names.add(s.name())).as("duplicate setting %s", s.name()).isTrue();
      assertThat(s.description()).as(s.name()).isNotBlank();
      if (BackendConfig.isSecret(s.name())) {
        assertThat(s.isSecret()).as("%s looks secret and must be marked so", s.name()).isTrue();
      }
    }
  }

  @Test
  public void anUnknownSettingIsRejectedWithAHint() {
    BackendConfig typo = config().with("definitelyNotASetting", "1");

    assertThatThrownBy(() -> Muse4j.backend(backendName(), typo))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("definitelyNotASetting")
        .hasMessageContaining(backendName());
  }

  @Test
  public void openedCapabilitiesAreDeclaredOnes() {
    try (Backend backend = Muse4j.backend(backendName(), config())) {
      assertThat(backend.name()).isEqualTo(backendName());
      assertThat(info().capabilities()).containsAll(backend.capabilities());
    }
  }

  @Test
  public void absentCapabilitiesThrowANamedError() {
    try (Backend backend = Muse4j.backend(backendName(), config())) {
      for (Capability c : Capability.values()) {
        if (!backend.supports(c)) {
          assertThatThrownBy(() -> opener(c).apply(backend))
              .isInstanceOf(UnsupportedCapabilityException.class)
              .hasMessageContaining(backendName())
              .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(c));
        }
      }
    }
  }

  @Test
  public void aClosedBackendOpensNothing() {
    Backend backend = Muse4j.backend(backendName(), config());
    backend.close();
    backend.close();

    for (Capability c : backend.capabilities()) {
      assertThatThrownBy(() -> opener(c).apply(backend)).isInstanceOf(ClosedException.class);
    }
  }

  private static Function<Backend, AutoCloseable> opener(Capability c) {
    switch (c) {
      case TEXT:
        return b -> b.text(ABSENT_MODEL);
      case IMAGE:
        return b -> b.image(ABSENT_MODEL);
      case MUSIC:
        return b -> b.music(ABSENT_MODEL);
      case STYLE:
        return b -> b.style(ABSENT_MODEL);
      default:
        throw new AssertionError(c);
    }
  }
}

package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Muse4jDiscoveryTest {
  @Test
  void providersOnTheClassPathAreListedWithTheirAvailability() {
    List<BackendInfo> infos = Muse4j.backends();

    assertThat(infos).extracting(BackendInfo::name).containsExactly("echo", "missing");
    assertThat(infos.get(0).isAvailable()).isTrue();
    assertThat(infos.get(1).unavailableReason()).hasValue("libmissing.so was not found");
    assertThat(infos.get(1).capabilities()).containsExactly(Capability.IMAGE);
  }

  @Test
  void aKnownSettingIsPassedToTheProvider() {
    BackendConfig config = BackendConfig.builder().set("temperatureScale", "2").build();

    Muse4j.backend("echo", config);

    assertThat(TestProviders.Echo.lastConfig).isEqualTo(config);
  }

  @Test
  void anUnknownSettingGetsADidYouMeanAndTheKnownList() {
    BackendConfig typo = BackendConfig.builder().set("temperatureScal", "2").build();

    assertThatThrownBy(() -> Muse4j.backend("echo", typo))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Backend 'echo' has no setting 'temperatureScal'. Did you mean 'temperatureScale'? "
            + "Known settings: temperatureScale, apiKey.");
  }

  @Test
  void anUnknownBackendListsTheAvailableOnesAndTheArtifactToAdd() {
    assertThatThrownBy(() -> Muse4j.backend("onnx"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("No Muse4j backend named 'onnx'")
        .hasMessageContaining("Available: echo, missing.")
        .hasMessageContaining("Add the dependency dev.muse4j:muse4j-runtime-onnx")
        .satisfies(e -> assertThat(((BackendUnavailableException) e).artifact())
            .hasValue("dev.muse4j:muse4j-runtime-onnx"));
    assertThatThrownBy(() -> Muse4j.backend("ecko"))
        .hasMessageContaining("Did you mean 'echo'?")
        .hasMessageContaining("onnx (dev.muse4j:muse4j-runtime-onnx), openai (dev.muse4j:muse4j-runtime-remote)");
  }

  @Test
  void anUnavailableBackendSaysWhy() {
    assertThatThrownBy(() -> Muse4j.backend("missing"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessage("Backend 'missing' is on the class path but cannot run here: libmissing.so was not found.");
  }

  @Test
  void propertiesNameTheBackendAndItsSettings() {
    Properties p = new Properties();
    p.setProperty("muse4j.backend", "echo");
    p.setProperty("muse4j.echo.temperatureScale", "3");
    p.setProperty("muse4j.other.x", "ignored");

    Muse4j.backend(p);

    assertThat(TestProviders.Echo.lastConfig.get("temperatureScale")).hasValue("3");
    assertThatThrownBy(() -> Muse4j.backend(new Properties()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("one of [echo, missing]");
  }

  @Test
  void theContextClassLoaderIsSearchedAndTwoProvidersWithOneNameAreAnError(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/dev.muse4j.spi.BackendProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, "dev.muse4j.TestProviders$TwinA\ndev.muse4j.TestProviders$TwinB\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, saved)) {
      thread.setContextClassLoader(loader);
      assertThatThrownBy(Muse4j::backends)
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("More than one Muse4j backend provider claims the same name: 'twin' by "
              + "dev.muse4j.TestProviders$TwinA")
          .hasMessageContaining("and dev.muse4j.TestProviders$TwinB");
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @Test
  void theSameProviderSeenThroughTwoLoadersCountsOnce() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    try (URLClassLoader child = new URLClassLoader(new URL[0], saved)) {
      thread.setContextClassLoader(child);
      assertThat(Muse4j.backends()).extracting(BackendInfo::name).containsExactly("echo", "missing");
    } finally {
      thread.setContextClassLoader(saved);
    }
  }
}

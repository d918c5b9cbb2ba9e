package dev.muse4j.onnx.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtProvider;
import dev.muse4j.BackendConfig;
import dev.muse4j.BackendUnavailableException;
import dev.muse4j.onnx.Fixtures;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A provider that the build claims but that does not start (a CUDA build without CUDA's libraries) falls back at
 * session time under the same policy as a provider missing from the build. The CPU build's own CUDA hook fails to
 * start, which stands in for the broken installation.
 */
class SessionFactoryTest {
  private static final Path MODEL = Path.of(Fixtures.model("gpt2-optimum"), "model.onnx");

  private static SessionSettings settings(String providers, String fallback) {
    return SessionSettings.from(BackendConfig.builder().set("executionProvider", providers)
        .set("executionProviderFallback", fallback).build());
  }

  private static void assumeCpuBuild() {
    assumeFalse(OnnxRuntimeEnvironment.availableProviders().contains(OrtProvider.CUDA), "this build really has CUDA");
  }

  @Test
  void aProviderThatDoesNotStartFallsBackToTheNext() {
    assumeCpuBuild();
    SessionFactory sessions = SessionFactory.create(settings("cuda,cpu", "warn"),
        EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA));
    assertThat(sessions.provider()).isEqualTo(ExecutionProvider.CUDA);

    SessionFactory.OpenedSession opened = sessions.open(MODEL, "gpt2", Map.of());
    try {
      assertThat(opened.provider()).isEqualTo(ExecutionProvider.CPU);
    } finally {
      try {
        opened.session().close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aProviderThatDoesNotStartFailsWithWhatToChangeWhenFallbackIsOff() {
    assumeCpuBuild();
    SessionFactory sessions = SessionFactory.create(settings("cuda,cpu", "fail"),
        EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA));

    assertThatThrownBy(() -> sessions.open(MODEL, "gpt2", Map.of()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("execution provider 'cuda' did not start")
        .hasMessageContaining("onnxruntime_gpu").hasMessageContaining("cuDNN")
        .hasMessageContaining("executionProviderFallback=warn")
        .satisfies(e -> assertThat(((BackendUnavailableException) e).artifact())
            .contains("com.microsoft.onnxruntime:onnxruntime_gpu"));
  }

  @Test
  void theOnlyProviderNotStartingSaysToAddTheCpu() {
    assumeCpuBuild();
    SessionFactory sessions = SessionFactory.create(settings("cuda", "warn"),
        EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA));

    assertThatThrownBy(() -> sessions.open(MODEL, "gpt2", Map.of()))
        .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("Add cpu to executionProvider");
  }

  @Test
  void aMissingProviderAfterAUsableOneIsNoError() {
    SessionFactory sessions = SessionFactory.create(settings("cpu,directml", "fail"), EnumSet.of(OrtProvider.CPU));
    assertThat(sessions.provider()).isEqualTo(ExecutionProvider.CPU);
  }
}

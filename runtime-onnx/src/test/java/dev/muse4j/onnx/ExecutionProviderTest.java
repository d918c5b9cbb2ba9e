package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtProvider;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.BackendUnavailableException;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.onnx.internal.session.OnnxRuntimeEnvironment;
import org.junit.jupiter.api.Test;

class ExecutionProviderTest {
  private static BackendConfig config(String... kv) {
    BackendConfig.Builder b = BackendConfig.builder();
    for (int i = 0; i < kv.length; i += 2) {
      b.set(kv[i], kv[i + 1]);
    }
    return b.build();
  }

  private static boolean hasCuda() {
    return OnnxRuntimeEnvironment.availableProviders().contains(OrtProvider.CUDA);
  }

  @Test
  void aMissingProviderFallsBackToTheNextWhenAllowed() {
    assumeFalse(hasCuda(), "this ONNX Runtime build has CUDA");
    try (Backend onnx = Muse4j.backend("onnx", config("executionProvider", "cuda,cpu"));
        TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      assertThat(onnx.toString()).contains("cpu");
      assertThat(g.generate(TextRequest.of("the").withSampling(SamplingConfig.greedy().toBuilder().maxTokens(2)
          .build())).text()).isNotNull();
    }
  }

  @Test
  void aMissingProviderFailsWithWhatToChangeWhenFallbackIsOff() {
    assumeFalse(hasCuda(), "this ONNX Runtime build has CUDA");
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("executionProvider", "cuda,cpu",
        "executionProviderFallback", "fail")))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("onnxruntime_gpu").hasMessageContaining("cuDNN");
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("executionProvider", "directml")))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("None of the preferred execution providers").hasMessageContaining("Windows")
        .hasMessageContaining("Add cpu");
  }

  @Test
  void badSettingsAreExplained() {
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("executionProvider", "tpu")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Unknown execution provider 'tpu'");
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("executionProviderFallback", "maybe")))
        .hasMessageContaining("'warn'");
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("intraOpThreads", "-1")))
        .hasMessageContaining("0 or more");
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("optimizationLevel", "max")))
        .hasMessageContaining("all, extended, basic, none");
    assertThatThrownBy(() -> Muse4j.backend("onnx", config("executionProvidr", "cpu")))
        .hasMessageContaining("Did you mean 'executionProvider'?");
  }

  @Test
  void sessionSettingsApply() {
    try (Backend onnx = Muse4j.backend("onnx", config("intraOpThreads", "1", "interOpThreads", "1",
        "optimizationLevel", "basic"));
        TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      assertThat(g.generate(TextRequest.of("the").withSampling(SamplingConfig.greedy().toBuilder().maxTokens(3)
          .build())).usage().orElseThrow().completionTokens()).isPositive();
    }
  }

  @Test
  void cudaRunsWhenTheBuildHasIt() {
    assumeTrue(hasCuda(), "no CUDA execution provider in this ONNX Runtime build (CI never has one)");
    try (Backend onnx = Muse4j.backend("onnx", config("executionProvider", "cuda", "executionProviderFallback",
        "fail"));
        TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      TextRequest r = TextRequest.of("the").withSampling(SamplingConfig.greedy().toBuilder().maxTokens(8).build());
      assertThat(g.generate(r).text()).isEqualTo(g.generate(r).text());
    }
  }
}

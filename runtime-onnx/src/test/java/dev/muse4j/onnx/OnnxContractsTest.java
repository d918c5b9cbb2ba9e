package dev.muse4j.onnx;

import dev.muse4j.Muse4j;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import java.time.Duration;
import dev.muse4j.SamplingConfig;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.testkit.BackendContract;
import dev.muse4j.testkit.MusicGeneratorContract;
import dev.muse4j.testkit.StyleTransferContract;
import dev.muse4j.testkit.TextGeneratorContract;
import org.junit.jupiter.api.Nested;

/** The testkit's contracts against the onnx backend. */
class OnnxContractsTest {
  @Nested
  class Backend extends BackendContract {
    @Override
    protected String backendName() {
      return "onnx";
    }
  }

  @Nested
  class SymbolicMusic extends MusicGeneratorContract {
    @Override
    protected MusicGenerator openGenerator() {
      return Muse4j.backend("onnx").music(Fixtures.model("abc-tiny"));
    }

    @Override
    protected MusicRequest request() {
      return MusicRequest.builder("a jig").duration(Duration.ofSeconds(2)).seed(3).build();
    }
  }

  @Nested
  class MusicGen extends MusicGeneratorContract {
    @Override
    protected MusicGenerator openGenerator() {
      return Muse4j.backend("onnx").music(Fixtures.model("musicgen-tiny"));
    }

    @Override
    protected Duration durationTolerance() {
      // frames are 20 ms: the piece is within one frame of the duration asked for
      return Duration.ofMillis(20);
    }
  }

  @Nested
  class Gpt2 extends TextGeneratorContract {
    @Override
    protected TextGenerator openGenerator() {
      return Muse4j.backend("onnx").text(Fixtures.model("gpt2-optimum"));
    }

    @Override
    protected TextRequest longRequest() {
      return TextRequest.of("the").withSampling(SamplingConfig.builder().seed(1).maxTokens(100_000).build());
    }

    @Override
    protected boolean supportsChat() {
      return false;
    }
  }

  @Nested
  class ZooStyle extends StyleTransferContract {
    @Override
    protected StyleTransfer openStyleTransfer() {
      return Muse4j.backend("onnx").style(Fixtures.model("style-zoo-224"));
    }
  }

  @Nested
  class LlamaWithChat extends TextGeneratorContract {
    @Override
    protected TextGenerator openGenerator() {
      return Muse4j.backend("onnx").text(Fixtures.model("llama-gqa"));
    }
  }
}

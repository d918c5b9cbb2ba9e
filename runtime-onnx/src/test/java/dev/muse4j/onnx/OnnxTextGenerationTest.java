package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.ChatMessage;
import dev.muse4j.FinishReason;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxTextGenerationTest {
  private Backend onnx;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
  }

  @AfterAll
  void close() {
    onnx.close();
  }

  private static TextRequest greedy(String prompt, int maxTokens) {
    return TextRequest.of(prompt).withSampling(SamplingConfig.greedy().toBuilder().maxTokens(maxTokens).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  void everyFixtureFormatGeneratesAndRepeatsWithASeed(String fixture) {
    try (TextGenerator g = onnx.text(Fixtures.model(fixture))) {
      TextRequest seeded = TextRequest.of("the sea").withSampling(SamplingConfig.builder().seed(11).temperature(1.0)
          .maxTokens(12).build());

      TextResult first = g.generate(seeded);

      assertThat(first.usage().orElseThrow().completionTokens()).isBetween(1, 12);
      assertThat(first.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
      assertThat(g.generate(seeded).text()).isEqualTo(first.text());
      assertThat(g.generate(greedy("the sea", 12)).text()).isEqualTo(g.generate(greedy("the sea", 12)).text());
    }
  }

  @Test
  void cjkAndEmojiStreamWithoutBrokenCharactersAndMatchTheWholeText() {
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      for (long seed = 0; seed < 6; seed++) {
        TextRequest request = TextRequest.of("春眠不觉晓 🌸 the").withSampling(SamplingConfig.builder().seed(seed)
            .temperature(1.5).maxTokens(40).build());
        List<String> chunks = new ArrayList<>();
        String streamed;
        try (TextStream s = g.stream(request)) {
          for (TextChunk c : s) {
            chunks.add(c.text());
          }
          streamed = s.result().text();
        }
        assertThat(String.join("", chunks)).isEqualTo(streamed).isEqualTo(g.generate(request).text());
        for (int i = 0; i < chunks.size() - 1; i++) {
          String c = chunks.get(i);
          assertThat(c).as("chunk %d", i).doesNotEndWith("\uFFFD");
          assertThat(Character.isHighSurrogate(c.charAt(c.length() - 1))).isFalse();
        }
      }
    }
  }

  @Test
  void stopStringsCutTheTextAndNeverLeakWhileStreaming() {
    try (TextGenerator g = onnx.text(Fixtures.model("llama-gqa"))) {
      String full = g.generate(greedy("the sea", 30)).text();
      assertThat(full.length()).isGreaterThan(6);
      String stop = full.substring(3, 6);
      TextRequest request = TextRequest.of("the sea").withSampling(SamplingConfig.greedy().toBuilder()
          .maxTokens(30).stop(stop).build());

      TextResult cut = g.generate(request);
      StringBuilder streamed = new StringBuilder();
      try (TextStream s = g.stream(request)) {
        s.forEach(c -> streamed.append(c.text()));
      }

      assertThat(cut.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
      assertThat(cut.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(streamed.toString()).isEqualTo(cut.text()).doesNotContain(stop);
    }
  }

  @Test
  void sentencePieceWordsKeepTheirLeadingSpace() {
    try (TextGenerator g = onnx.text(Fixtures.model("llama-gqa"))) {
      String text = g.generate(greedy("the", 20)).text();
      StringBuilder streamed = new StringBuilder();
      try (TextStream s = g.stream(greedy("the", 20))) {
        s.forEach(c -> streamed.append(c.text()));
      }
      assertThat(streamed.toString()).isEqualTo(text);
    }
  }

  @Test
  void chatUsesTheModelsTemplateOrTheCallersOrSaysWhyNot() {
    TextRequest chat = TextRequest.chat(ChatMessage.system("be brief"), ChatMessage.user("hello"))
        .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(5).build());
    try (TextGenerator llama = onnx.text(Fixtures.model("llama-gqa"))) {
      assertThat(llama.generate(chat).usage().orElseThrow().promptTokens()).isGreaterThan(10);
    }
    try (TextGenerator gpt2 = onnx.text(Fixtures.model("gpt2-optimum"))) {
      assertThatThrownBy(() -> gpt2.generate(chat)).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("has no chat template").hasMessageContaining("withChatTemplate");
    }
    ModelOptions withTemplate = ModelOptions.defaults().withChatTemplate(
        "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}assistant:");
    try (TextGenerator gpt2 = onnx.text(Fixtures.model("gpt2-optimum"), withTemplate)) {
      assertThat(gpt2.generate(chat).usage().orElseThrow().promptTokens()).isEqualTo(
          gpt2.generate(greedy("system: be brief\nuser: hello\nassistant:", 5)).usage().orElseThrow().promptTokens());
    }
  }

  @Test
  void aPromptLongerThanTheContextWindowSaysTheNumbers() {
    try (TextGenerator g = onnx.text(Fixtures.model("llama-gqa"))) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("the sea ".repeat(80))))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("context window is 128 tokens");
    }
  }

  @Test
  void generationStopsAtTheContextWindow() {
    try (TextGenerator g = onnx.text(Fixtures.model("llama-gqa"))) {
      TextResult r = g.generate(greedy("the sea", 1000));
      assertThat(r.usage().orElseThrow().totalTokens()).isLessThanOrEqualTo(128);
    }
  }

  @Test
  void modelDefaultsComeFromGenerationConfig() {
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      TextResult r = g.generate(TextRequest.of("the").withSampling(SamplingConfig.builder().seed(3).build()));
      assertThat(r.usage().orElseThrow().completionTokens()).isLessThanOrEqualTo(24);
    }
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"),
        ModelOptions.defaults().withSampling(SamplingConfig.builder().maxTokens(3).build()))) {
      assertThat(g.generate(TextRequest.of("the")).usage().orElseThrow().completionTokens()).isLessThanOrEqualTo(3);
      assertThat(g.generate(greedy("the", 5)).usage().orElseThrow().completionTokens()).isLessThanOrEqualTo(5);
    }
  }

  private static Path copyJson(String fixture, Path to) throws IOException {
    return Fixtures.copy(fixture, to, name -> name.endsWith(".json"));
  }

  @Test
  void anExportWithItsModelsUnderOnnxLoadsAndModelFilePicksOne(@TempDir Path dir) throws IOException {
    copyJson("gpt2-optimum", dir);
    Files.createDirectories(dir.resolve("onnx"));
    Path original = Path.of(Fixtures.model("gpt2-optimum"), "model.onnx");
    Files.copy(original, dir.resolve("onnx").resolve("model_quantized.onnx"));
    Files.copy(original, dir.resolve("onnx").resolve("model_fp16.onnx"));
    String expected;
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      expected = g.generate(greedy("the sea", 8)).text();
    }

    try (TextGenerator found = onnx.text(dir.toString());
        TextGenerator chosen = onnx.text(dir.toString(),
            ModelOptions.defaults().withSetting("modelFile", "onnx/model_quantized.onnx"))) {
      assertThat(found.generate(greedy("the sea", 8)).text()).isEqualTo(expected);
      assertThat(chosen.generate(greedy("the sea", 8)).text()).isEqualTo(expected);
    }
  }

  @Test
  void generationStopsAtAnyEndTokenOfAList(@TempDir Path dir) throws IOException {
    copyJson("gpt2-optimum", dir);
    Files.copy(Path.of(Fixtures.model("gpt2-optimum"), "model.onnx"), dir.resolve("model.onnx"));
    // Every id the model has is an end token, after one it never emits: whatever comes first ends the text.
    StringBuilder ids = new StringBuilder("100000");
    for (int id = 0; id < 264; id++) {
      ids.append(", ").append(id);
    }
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [" + ids + "]}");

    try (TextGenerator g = onnx.text(dir.toString())) {
      TextResult r = g.generate(TextRequest.of("the sea").withSampling(SamplingConfig.builder().seed(5)
          .maxTokens(20).build()));

      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.text()).isEmpty();
      assertThat(r.usage().orElseThrow().completionTokens()).isEqualTo(1);
    }
  }

  @Test
  void usageAndTimingsDescribeTheGeneration() {
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      TextResult r = g.generate(greedy("the sea", 10));
      Timings t = r.timings();

      assertThat(r.usage().orElseThrow().promptTokens()).isPositive();
      assertThat(t.generatedTokens()).isEqualTo(r.usage().orElseThrow().completionTokens());
      assertThat(t.timeToFirstToken()).isPositive().isLessThanOrEqualTo(t.total());
      assertThat(t.tokensPerSecond()).isPositive();
    }
  }

  @Test
  void truncatingToTheTopTokenIsGreedyWhateverTheSeedAndTemperature() {
    try (TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"))) {
      String greedy = g.generate(greedy("the sea", 16)).text();
      for (long seed = 0; seed < 3; seed++) {
        SamplingConfig hot = SamplingConfig.builder().temperature(1.7).seed(seed).maxTokens(16).build();
        for (SamplingConfig oneToken : List.of(hot.toBuilder().topK(1).build(), hot.toBuilder().topP(1e-9).build(),
            hot.toBuilder().minP(1.0).build())) {
          assertThat(g.generate(TextRequest.of("the sea").withSampling(oneToken)).text()).as("%s", oneToken)
              .isEqualTo(greedy);
        }
        assertThat(g.generate(TextRequest.of("the sea").withSampling(hot)).text()).as("untruncated, seed %d", seed)
            .isNotEqualTo(greedy);
      }
    }
  }

  @Test
  void penaltiesSteerAGreedyLoopAway() {
    try (TextGenerator g = onnx.text(Fixtures.model("llama-gqa"))) {
      SamplingConfig plain = SamplingConfig.greedy().toBuilder().maxTokens(40).build();
      String loop = g.generate(TextRequest.of("the sea").withSampling(plain)).text();
      for (SamplingConfig penalised : List.of(plain.toBuilder().repetitionPenalty(3.0).build(),
          plain.toBuilder().presencePenalty(2.0).build(), plain.toBuilder().frequencyPenalty(2.0).build())) {
        String steered = g.generate(TextRequest.of("the sea").withSampling(penalised)).text();
        assertThat(steered).as("%s", penalised).isNotEqualTo(loop)
            .isEqualTo(g.generate(TextRequest.of("the sea").withSampling(penalised)).text());
      }
    }
  }

  /**
   * Eight streams with different prompts and seeds at once on one generator: each must produce exactly what it
   * produces alone, so no generation sees another's KV cache, sampler or text.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  void eightConcurrentStreamsEachGiveWhatTheyGiveAlone(String fixture) throws Exception {
    try (TextGenerator g = onnx.text(Fixtures.model(fixture))) {
      List<TextRequest> requests = new ArrayList<>();
      List<String> alone = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TextRequest r = TextRequest.of(i % 2 == 0 ? "the sea" : "the").withSampling(SamplingConfig.builder()
            .seed(100 + i).temperature(1.2).maxTokens(24).build());
        requests.add(r);
        alone.add(g.generate(r).text());
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> together = new ArrayList<>();
        for (TextRequest r : requests) {
          together.add(pool.submit(() -> {
            start.await();
            StringBuilder text = new StringBuilder();
            try (TextStream s = g.stream(r)) {
              s.forEach(c -> text.append(c.text()));
            }
            return text.toString();
          }));
        }
        start.countDown();
        for (int i = 0; i < 8; i++) {
          assertThat(together.get(i).get(60, TimeUnit.SECONDS)).as("stream %d", i).isEqualTo(alone.get(i));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}

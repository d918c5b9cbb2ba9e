package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.muse4j.Backend;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import java.lang.management.ManagementFactory;
import dev.muse4j.ModelOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Heap allocated per decoded token and per prefill, counted in bytes on the generating thread (never timed). The
 * bounds are generous: they catch a logits copy per token or a prefill that copies every position's logits, not a
 * few objects more or less.
 */
class AllocationTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static TextRequest greedy(String prompt, int tokens) {
    return TextRequest.of(prompt).withSampling(SamplingConfig.greedy().toBuilder().maxTokens(tokens).build());
  }

  /** Bytes this thread allocates for one generation, and its completion tokens. */
  private static long[] measure(TextGenerator g, TextRequest request) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    TextResult r = g.generate(request);
    long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
    return new long[] {bytes, r.usage().orElseThrow().completionTokens()};
  }

  /** With batching on, a lone stream decodes through the step batcher (a batch of one, its cache pinned). */
  @ParameterizedTest
  @CsvSource({"gpt2-optimum, off", "llama-gqa, off", "merged-int32, off", "gpt2-optimum, on", "llama-gqa, on",
      "merged-int32, on"})
  void decodingAllocatesLittlePerTokenAndPrefillDoesNotGrowWithThePrompt(String fixture, String batching) {
    try (Backend onnx = Muse4j.backend("onnx");
        TextGenerator g = onnx.text(Fixtures.model(fixture), ModelOptions.defaults().withSetting("batching",
            batching))) {
      String prompt = "the sea";
      for (int i = 0; i < 30; i++) {
        g.generate(greedy(prompt, 60));
      }
      long perToken = Long.MAX_VALUE;
      for (int attempt = 0; attempt < 5; attempt++) {
        long[] shortRun = measure(g, greedy(prompt, 10));
        long[] longRun = measure(g, greedy(prompt, 60));
        long tokens = longRun[1] - shortRun[1];
        assertThat(tokens).as("the model must not stop early for this measure").isEqualTo(50);
        perToken = Math.min(perToken, (longRun[0] - shortRun[0]) / tokens);
      }
      System.out.printf("%s, batching %s: %d bytes of heap per decoded token%n", fixture, batching, perToken);
      assertThat(perToken).as("heap bytes per decoded token").isLessThan(8_192);

      String longPrompt = "the sea ".repeat(20);
      long shortPrefill = Long.MAX_VALUE;
      long longPrefill = Long.MAX_VALUE;
      for (int attempt = 0; attempt < 5; attempt++) {
        shortPrefill = Math.min(shortPrefill, measure(g, greedy(prompt, 1))[0]);
        longPrefill = Math.min(longPrefill, measure(g, greedy(longPrompt, 1))[0]);
      }
      System.out.printf("%s, batching %s: prefill heap %d bytes (short prompt), %d bytes (long prompt)%n", fixture,
          batching, shortPrefill, longPrefill);
      assertThat(longPrefill - shortPrefill).as("extra heap for a longer prompt").isLessThan(64_000);
    }
  }
}

package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import dev.muse4j.samples.poet.EmbeddedPoet;

/**
 * A poem from the embedded poet, streamed as it is written. Run: {@code ./muse sample QuickStart}. Stateless and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Runs the sample.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (Backend onnx = Muse4j.backend("onnx");
        TextGenerator poet = onnx.text(EmbeddedPoet.MODEL)) {
      TextRequest request = TextRequest.of(EmbeddedPoet.OPENING)
          .withSampling(SamplingConfig.builder().seed(42).build());
      try (TextStream stream = poet.stream(request)) {
        for (TextChunk chunk : stream) {
          System.out.print(chunk.text());
        }
        System.out.println();
        System.out.println(stream.result().timings());
      }
    }
  }
}

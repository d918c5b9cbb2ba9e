package dev.muse4j.onnx;

import dev.muse4j.Backend;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;

/**
 * The program {@link NativeLoadingTest} runs in child JVMs: opens the onnx backend the way an application does,
 * generates a few tokens with a fixture model, and prints what it got.
 */
public final class NativeLoadingChild {
  private NativeLoadingChild() {}

  /**
   * Runs the child.
   *
   * @param args the model directory
   */
  public static void main(String[] args) {
    try (Backend onnx = Muse4j.backend("onnx");
        TextGenerator g = onnx.text(args[0])) {
      TextResult r = g.generate(TextRequest.of("the sea")
          .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(3).build()));
      System.out.println("tokens=" + r.usage().map(u -> u.completionTokens()).orElse(-1));
      System.out.println("onnxruntime.native.path=" + System.getProperty("onnxruntime.native.path"));
      System.out.println("OPT_OUT_TRACKING=" + System.getProperty("OPT_OUT_TRACKING"));
    }
  }
}

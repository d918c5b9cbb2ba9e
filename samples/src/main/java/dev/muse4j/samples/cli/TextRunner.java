package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.ModelOptions;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import java.io.PrintWriter;

/** Generates text for {@code muse text} and {@code muse poem}, streamed as it comes unless told otherwise. */
final class TextRunner {
  private TextRunner() {}

  static void run(Backend backend, String model, ModelOptions options, TextRequest request, boolean stream,
      boolean stats, PrintWriter out, PrintWriter err) {
    run(backend, model, options, request, "", stream, stats, out, err);
  }

  /** Like the other, printing {@code opening} (the prompt a continuation starts from) before the text. */
  static void run(Backend backend, String model, ModelOptions options, TextRequest request, String opening,
      boolean stream, boolean stats, PrintWriter out, PrintWriter err) {
    try (Cancellation cancellation = new Cancellation(err);
        TextGenerator generator = backend.text(model, options)) {
      out.print(opening);
      out.flush();
      TextResult result;
      if (stream) {
        try (TextStream s = generator.stream(request)) {
          cancellation.onInterrupt(s::close);
          for (TextChunk chunk : s) {
            out.print(chunk.text());
            out.flush();
          }
          result = s.result();
        }
      } else {
        result = generator.generate(request);
        out.print(result.text());
      }
      if (!result.text().endsWith("\n")) {
        out.println();
      }
      out.flush();
      if (stats) {
        err.println("[" + result.finishReason() + (result.usage().isPresent() ? ", " + result.usage().get() : "")
            + ", " + result.timings() + "]");
        err.flush();
      }
    }
  }
}

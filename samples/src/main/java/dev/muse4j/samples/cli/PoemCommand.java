package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.ChatMessage;
import dev.muse4j.ModelOptions;
import dev.muse4j.TextRequest;
import dev.muse4j.samples.poet.EmbeddedPoet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code muse poem}: a poem, streamed. With no model it uses the embedded poet on the local onnx backend (a classical
 * Chinese quatrain, continuing the opening characters given); with another model it asks for a poem on the topic.
 */
@Command(name = "poem", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Write a poem, streamed as it is written. With no --model: the embedded poet "
    + "(classical Chinese quatrains; the words given are the poem's opening characters).")
final class PoemCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @ArgGroup(exclusive = false, heading = "Sampling%n")
  @Nullable SamplingOptions sampling;

  @Parameters(arity = "0..*", paramLabel = "WORDS", description = "The opening (embedded poet) or the topic "
      + "(other models). Default: " + EmbeddedPoet.OPENING + " (spring) / autumn.")
  List<String> words = new ArrayList<>();

  @Option(names = "--stream", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Print the poem as it is written (default); --no-stream waits for the whole poem.")
  boolean stream = true;

  @Option(names = "--stats", description = "Print finish reason, token usage and timings to standard error.")
  boolean stats;

  @Override
  public Integer call() {
    BackendOptions backend = backendMixin.options;
    boolean embedded = backend.model == null && backend.backend.equals("onnx");
    String given = String.join(" ", words).trim();
    TextRequest request;
    String model;
    String opening = "";
    if (embedded) {
      model = EmbeddedPoet.MODEL;
      opening = given.isEmpty() ? EmbeddedPoet.OPENING : given;
      request = TextRequest.of(opening);
    } else {
      model = backend.requireModel("poem");
      request = TextRequest.chat(ChatMessage.system("You are a poet. Answer with the poem only."),
          ChatMessage.user("Write a short poem about " + (given.isEmpty() ? "autumn" : given) + "."));
    }
    if (sampling != null) {
      request = request.withSampling(sampling.toConfig());
    }
    try (Backend b = backend.open()) {
      TextRunner.run(b, model, ModelOptions.defaults(), request, opening, stream, stats,
          spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return 0;
  }
}

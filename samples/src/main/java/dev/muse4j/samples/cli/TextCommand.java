package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.ChatMessage;
import dev.muse4j.ModelOptions;
import dev.muse4j.TextRequest;
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

/** {@code muse text}: continue a prompt, or answer it as a chat message. */
@Command(name = "text", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Generate text from a prompt with any backend and model.")
final class TextCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @ArgGroup(exclusive = false, heading = "Sampling%n")
  @Nullable SamplingOptions sampling;

  @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The prompt.")
  List<String> prompt = new ArrayList<>();

  @Option(names = "--chat", description = "Send the prompt as a chat message (uses the model's chat template).")
  boolean chat;

  @Option(names = "--system", description = "A system message for --chat.")
  @Nullable String system;

  @Option(names = "--stream", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Print text as it is generated (default); --no-stream waits for the whole text.")
  boolean stream = true;

  @Option(names = "--stats", description = "Print finish reason, token usage and timings to standard error.")
  boolean stats;

  @Override
  public Integer call() {
    BackendOptions backend = backendMixin.options;
    String text = String.join(" ", prompt);
    TextRequest request;
    if (chat || system != null) {
      List<ChatMessage> messages = new ArrayList<>();
      if (system != null) {
        messages.add(ChatMessage.system(system));
      }
      messages.add(ChatMessage.user(text));
      request = TextRequest.chat(messages);
    } else {
      request = TextRequest.of(text);
    }
    if (sampling != null) {
      request = request.withSampling(sampling.toConfig());
    }
    String model = backend.requireModel("text");
    try (Backend b = backend.open()) {
      TextRunner.run(b, model, ModelOptions.defaults(), request, stream, stats,
          spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return 0;
  }
}

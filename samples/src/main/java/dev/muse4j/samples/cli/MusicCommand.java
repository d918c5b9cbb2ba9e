package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code muse music}: music from a prompt, with any backend that offers music. */
@Command(name = "music", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Generate music from a prompt and write WAV (and MIDI for symbolic models).")
final class MusicCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "What the music should be like.")
  List<String> prompt = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
      description = "Length in seconds. Default: ${DEFAULT-VALUE}.")
  double seconds = 10;

  @Option(names = "--seed", description = "Random seed for a repeatable piece (local backends).")
  @Nullable Long seed;

  @Option(names = "--guidance", description = "Guidance scale (model default if unset).")
  @Nullable Double guidance;

  @Option(names = {"-o", "--out"}, defaultValue = "muse-music.wav", description = "Output .wav, or .mid for the "
      + "score of a symbolic model (a .wav is then written beside it). Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("muse-music.wav");

  @Override
  public Integer call() throws Exception {
    BackendOptions backend = backendMixin.options;
    PrintWriter err = spec.commandLine().getErr();
    MusicRequest request = MusicRequest.builder(String.join(" ", prompt))
        .duration(Duration.ofMillis(Math.round(seconds * 1000))).seed(seed).guidanceScale(guidance)
        .progressListener(new ProgressBar(err)).build();
    try (Backend b = backend.open();
        MusicGenerator generator = b.music(backend.requireModel("music"));
        Cancellation cancellation = new Cancellation(err)) {
      CompletableFuture<MusicResult> future = generator.generateAsync(request);
      cancellation.onInterrupt(() -> future.cancel(true));
      MusicResult result = Futures.await(future);
      PrintWriter stdout = spec.commandLine().getOut();
      Path wav = out;
      if (out.toString().toLowerCase(Locale.ROOT).endsWith(".mid")) {
        if (result.midi().isPresent()) {
          result.midi().get().write(out);
          stdout.println("wrote " + out);
        } else {
          err.println("muse: this model makes audio only; writing WAV instead of MIDI");
        }
        String name = out.getFileName().toString();
        wav = out.resolveSibling(name.substring(0, name.length() - 4) + ".wav");
      }
      result.audio().writeWav(wav);
      stdout.println("wrote " + wav + " (" + result.audio().duration().toMillis() / 1000.0 + " s, "
          + result.audio().sampleRate() + " Hz)");
    }
    return 0;
  }
}

package dev.muse4j.samples.cli;

import dev.muse4j.Abc;
import dev.muse4j.AbcTune;
import dev.muse4j.Audio;
import dev.muse4j.Backend;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Midi;
import dev.muse4j.MidiRenderer;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    description = {"Generate music from a prompt and write WAV (and MIDI for symbolic models),",
        "or render a tune in ABC notation locally: muse music --abc tune.abc -o tune.wav"})
final class MusicCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "What the music should be like.")
  List<String> prompt = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
      description = "Length in seconds. Default: ${DEFAULT-VALUE}.")
  double seconds = 10;

  @Option(names = "--seed", description = "Random seed for a repeatable piece (local backends).")
  @Nullable Long seed;

  @Option(names = "--guidance", description = "Guidance scale (model default if unset).")
  @Nullable Double guidance;

  @Option(names = "--abc", paramLabel = "FILE", description = "Render a tune in ABC notation from this file "
      + "(the first tune, or --tune), with the JDK's synthesizer: no model needed.")
  @Nullable Path abc;

  @Option(names = "--tune", paramLabel = "X", description = "With --abc: the tune whose X: field is this number.")
  @Nullable Integer tune;

  @Option(names = "--soundfont", paramLabel = "SF2", description = "A SoundFont 2 bank to play MIDI with (the "
      + "JDK's default bank if unset).")
  @Nullable Path soundFont;

  @Option(names = {"-o", "--out"}, defaultValue = "muse-music.wav", description = "Output .wav, or .mid for the "
      + "score of a symbolic model (a .wav is then written beside it). Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("muse-music.wav");

  @Override
  public Integer call() throws Exception {
    BackendOptions backend = backendMixin.options;
    PrintWriter err = spec.commandLine().getErr();
    if (abc != null) {
      return renderAbc(abc, err);
    }
    if (prompt.isEmpty()) {
      throw new InvalidRequestException("prompt", "Describe the music (muse music calm piano), or render a tune "
          + "with --abc FILE.");
    }
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
      if (result.midi().isPresent() && !wav.equals(out)) {
        return 0;
      }
      if (result.midi().isPresent()) {
        Path mid = beside(wav, ".mid");
        result.midi().get().write(mid);
        stdout.println("wrote " + mid);
      }
    }
    return 0;
  }

  /** {@code --abc FILE}: parse, write the MIDI beside the WAV, render with a progress bar. */
  private int renderAbc(Path file, PrintWriter err) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      try {
        text = Files.readString(file, StandardCharsets.ISO_8859_1);
      } catch (IOException e2) {
        throw new InvalidRequestException("abc", "Could not read " + file + ": " + e2.getMessage());
      }
    } catch (IOException e) {
      throw new InvalidRequestException("abc", "Could not read " + file + ": " + e.getMessage());
    }
    AbcTune t = tune != null ? Abc.parse(text, tune) : Abc.parse(text);
    for (String warning : t.warnings()) {
      err.println("muse: " + file.getFileName() + ": " + warning);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    Midi midi = t.toMidi();
    Path wav = out;
    if (out.toString().toLowerCase(Locale.ROOT).endsWith(".mid")) {
      wav = beside(out, ".wav");
    }
    Path mid = beside(wav, ".mid");
    midi.write(mid);
    stdout.println("wrote " + mid + " (X:" + t.number() + (t.title().isEmpty() ? "" : " \"" + t.title() + "\"")
        + ", " + t.noteCount() + " notes)");
    MidiRenderer renderer = soundFont != null ? MidiRenderer.withSoundFont(soundFont) : MidiRenderer.defaults();
    long started = System.nanoTime();
    Audio audio = renderer.render(midi, new ProgressBar(err));
    double took = (System.nanoTime() - started) / 1e9;
    audio.writeWav(wav);
    double seconds = audio.duration().toMillis() / 1000.0;
    stdout.println("wrote " + wav + " (" + seconds + " s, " + audio.sampleRate() + " Hz, rendered "
        + String.format(Locale.ROOT, "%.0fx", seconds / Math.max(took, 1e-3)) + " real time)");
    return 0;
  }

  private static Path beside(Path file, String extension) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + extension);
  }
}

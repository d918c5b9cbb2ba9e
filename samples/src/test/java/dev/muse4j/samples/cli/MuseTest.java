package dev.muse4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.Audio;
import dev.muse4j.Image;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MuseTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int muse(String... args) {
    return Muse.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void withoutArgumentsItPrintsHelpAndTheBackends() {
    assertThat(muse()).isZero();

    assertThat(out.toString()).contains("Usage: muse").contains("backends").contains("Backends:")
        .contains("markov").contains("fake-media");
  }

  @Test
  void backendsListsSettingsOnRequest() {
    assertThat(muse("backends", "--settings")).isZero();

    assertThat(out.toString()).contains("order = 2: Words of context per step");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(muse("--no-such-option")).isEqualTo(2);

    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
  }

  @Test
  void textStreamsFromAnyBackendAndRepeatsWithASeed() {
    assertThat(muse("text", "--backend", "markov", "--model", "verse", "--seed", "3", "--stats", "the", "moon"))
        .isZero();
    String first = out.toString();
    out.getBuffer().setLength(0);
    assertThat(muse("text", "-b", "markov", "-m", "verse", "--seed", "3", "--no-stream", "the", "moon")).isZero();

    assertThat(first).isNotBlank().isEqualTo(out.toString());
    assertThat(err.toString()).contains("[STOP, Usage{prompt=2");
  }

  @Test
  void errorsAreOneLineWithAHintAndNoStackTrace() {
    assertThat(muse("image", "--backend", "markov", "--model", "verse", "a", "cat")).isEqualTo(1);

    assertThat(err.toString()).startsWith("muse: Backend 'markov' does not support image generation; it can do text generation.")
        .contains("hint: ").contains("--verbose").doesNotContain("\tat ");
  }

  @Test
  void verboseAddsTheStackTrace() {
    assertThat(muse("--verbose", "text", "--backend", "nosuch", "--model", "m", "x")).isEqualTo(1);

    assertThat(err.toString()).contains("No Muse4j backend named 'nosuch'").contains("\tat ");
  }

  @Test
  void aMissingModelSaysHowToNameOne() {
    assertThat(muse("text", "--backend", "markov", "hello")).isEqualTo(1);

    assertThat(err.toString()).contains("Name the text model with --model");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"poem", "text", "image", "style", "music", "sample",
      "backends"})
  void everySubcommandPrintsItsHelp(String command) {
    assertThat(muse(command, "--help")).as(err.toString()).isZero();

    assertThat(out.toString()).contains("Usage: muse " + command).contains("-h, --help");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aMissingModelHintsAtTheModelNotAtSettings() {
    assertThat(muse("text", "hello")).isEqualTo(1);

    assertThat(err.toString()).contains("Name the text model with --model")
        .contains("hint: for example --model classpath:dev/muse4j/models/poet")
        .doesNotContain("backends --settings");
  }

  @Test
  void imageWritesPngsWithAProgressBar(@TempDir Path dir) {
    Path png = dir.resolve("pic.png");

    assertThat(muse("image", "-b", "fake-media", "-m", "any", "--size", "64x48", "--steps", "4", "--count", "2",
        "-o", png.toString(), "a", "lighthouse")).isZero();

    assertThat(Image.read(dir.resolve("pic-1.png")).width()).isEqualTo(64);
    assertThat(Image.read(dir.resolve("pic-2.png")).height()).isEqualTo(48);
    assertThat(err.toString()).contains("] 4/4 denoising").contains("ETA");
  }

  @Test
  void badSizesAreExplained() {
    assertThat(muse("image", "-b", "fake-media", "-m", "any", "--size", "big", "x")).isEqualTo(1);
    assertThat(err.toString()).contains("--size must look like 512x512 but was 'big'");
  }

  @Test
  void styleAndMusicWriteTheirFiles(@TempDir Path dir) {
    Path content = dir.resolve("in.png");
    Image.ofRgb(16, 16, new byte[16 * 16 * 3]).writePng(content);

    assertThat(muse("style", "-b", "fake-media", "-m", "any", content.toString(), "--strength", "0.5",
        "-o", dir.resolve("out.png").toString())).isZero();
    assertThat(muse("music", "-b", "fake-media", "-m", "any", "--duration", "1.5",
        "-o", dir.resolve("song.mid").toString(), "calm", "piano")).isZero();

    assertThat(Image.read(dir.resolve("out.png")).width()).isEqualTo(16);
    assertThat(Audio.readWav(dir.resolve("song.wav")).duration().toMillis()).isEqualTo(1500);
    assertThat(err.toString()).contains("audio only; writing WAV instead of MIDI");
  }

  @Test
  void musicRendersAnAbcTuneLocallyWithAProgressBarAndWritesTheMidiBeside(@TempDir Path dir) throws Exception {
    Path abc = dir.resolve("tunes.abc");
    java.nio.file.Files.writeString(abc, "X:1\nT:First\nK:C\nCDEF|\n\nX:2\nT:Second\nM:4/4\nL:1/4\nQ:1/4=120\n"
        + "K:G\n\"G\"GABc|d4|]\n");

    assertThat(muse("music", "--abc", abc.toString(), "--tune", "2", "-o", dir.resolve("song.wav").toString()))
        .isZero();

    Audio audio = Audio.readWav(dir.resolve("song.wav"));
    assertThat(audio.duration().toMillis()).isBetween(4900L, 5100L); // two bars at 120 plus a second's tail
    assertThat(dev.muse4j.Midi.of(java.nio.file.Files.readAllBytes(dir.resolve("song.mid"))).toSequence()
        .getTracks()).hasSize(3);
    assertThat(out.toString()).contains("X:2 \"Second\", 5 notes").contains("real time");
    assertThat(err.toString()).contains("] 5/5 render");
  }

  @Test
  void musicRunsASymbolicModelLocallyAndWritesAbcMidiAndAudio(@TempDir Path dir) {
    String model = Path.of("..", "runtime-onnx", "src", "test", "resources", "fixtures", "abc-tiny").toString();

    assertThat(muse("music", "--model", model, "--seed", "5", "--duration", "3", "-o",
        dir.resolve("tune.wav").toString(), "a", "jig")).isZero();

    assertThat(Audio.readWav(dir.resolve("tune.wav")).duration().toMillis()).isBetween(1000L, 3000L);
    assertThat(dir.resolve("tune.mid")).exists();
    assertThat(err.toString()).contains("writing").contains("render");
  }

  @Test
  void musicRunsMusicGenLocallyWithAProgressBarAndSaysTheRealLength(@TempDir Path dir) {
    String model = Path.of("..", "runtime-onnx", "src", "test", "resources", "fixtures", "musicgen-tiny").toString();

    assertThat(muse("music", "--model", model, "--seed", "5", "--duration", "0.51", "-o",
        dir.resolve("piece.wav").toString(), "calm", "piano")).as(err.toString()).isZero();

    // 0.51 s is 25.5 frames of 20 ms, rounded to 26: 0.52 s
    Audio audio = Audio.readWav(dir.resolve("piece.wav"));
    assertThat(audio.sampleRate()).isEqualTo(32000);
    assertThat(audio.duration().toMillis()).isEqualTo(520L);
    assertThat(out.toString()).contains("(0.52 s, 32000 Hz)");
    assertThat(err.toString()).contains("] 29/29 decoding");
    assertThat(dir.resolve("piece.mid")).doesNotExist();
  }

  @Test
  void musicExplainsBadAbcAndBadSoundFonts(@TempDir Path dir) throws Exception {
    Path abc = dir.resolve("bad.abc");
    java.nio.file.Files.writeString(abc, "X:1\nT:Header only\n");
    assertThat(muse("music", "--abc", abc.toString(), "-o", dir.resolve("x.wav").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("has no K: line");

    java.nio.file.Files.writeString(abc, "X:1\nK:C\nCDE$F\n");
    Path fake = dir.resolve("fake.sf2");
    java.nio.file.Files.writeString(fake, "nope");
    assertThat(muse("music", "--abc", abc.toString(), "--soundfont", fake.toString(), "-o",
        dir.resolve("x.wav").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("line 3, column 4: unexpected '$'").contains("is not a SoundFont 2 bank");
  }

  @Test
  void imageRunsStableDiffusionLocallyWithSchedulerSeedsAndImageToImage(@TempDir Path dir) {
    Path sd = Path.of("..", "runtime-onnx", "src", "test", "resources", "fixtures", "diffusion");
    String model = sd.resolve("sd2-optimum").toString();

    assertThat(muse("image", "--model", model, "--scheduler", "dpmpp_2m", "--steps", "3", "--seed", "11", "--count",
        "2", "--negative", "fog", "--guidance", "6", "-o", dir.resolve("harbour.png").toString(), "a", "harbour"))
        .as(err.toString()).isZero();
    assertThat(Image.read(dir.resolve("harbour-1.png")).width()).isEqualTo(64);
    assertThat(out.toString()).contains("harbour-1.png (64x64, seed 11)").contains("harbour-2.png (64x64, seed 12)");
    assertThat(err.toString()).contains("] 6/6 denoising");

    assertThat(muse("image", "--model", model, "--init", sd.resolve("init.png").toString(), "--strength", "0.5",
        "--steps", "4", "--seed", "12", "-o", dir.resolve("again.png").toString(), "a", "harbour"))
        .as(err.toString()).isZero();
    assertThat(err.toString()).contains("] 2/2 denoising");

    assertThat(muse("image", "--model", model, "--scheduler", "heun", "-o", dir.resolve("x.png").toString(), "x"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("heun").contains("dpmpp_2m");
  }

  @Test
  void styleRunsLocallyOnAnOnnxStyleModelWithAProgressBar(@TempDir Path dir) {
    Path content = dir.resolve("in.png");
    Image.ofRgb(333, 251, new byte[333 * 251 * 3]).writePng(content);
    String model = Path.of("..", "runtime-onnx", "src", "test", "resources", "fixtures", "style-zoo-224").toString();

    assertThat(muse("style", "--model", model, content.toString(), "--strength", "0.8", "--keep-colours",
        "-o", dir.resolve("out.png").toString())).isZero();

    assertThat(Image.read(dir.resolve("out.png")).width()).isEqualTo(333);
    assertThat(err.toString()).contains("] 4/4 tiles").contains("ETA");
  }

  @Test
  void executionProviderIsOnlyForOnnx() {
    assertThat(muse("text", "-b", "markov", "-m", "verse", "--execution-provider", "cuda", "x")).isEqualTo(1);
    assertThat(err.toString()).contains("--execution-provider applies to the onnx backend only");
  }
}

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

package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Audio;
import dev.muse4j.Backend;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.Progress;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** MusicGen through the public API, on the tiny fixture from tools/fixtures/make_musicgen.py. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MusicGenTest {
  private static final String MODEL = Fixtures.model("musicgen-tiny");
  private Backend backend;
  private MusicGenerator music;

  @BeforeAll
  void open() {
    backend = Muse4j.backend("onnx");
    music = backend.music(MODEL);
  }

  @AfterAll
  void close() {
    music.close();
    backend.close();
  }

  private static MusicRequest.Builder request(long millis) {
    return MusicRequest.builder("a calm piano melody").duration(Duration.ofMillis(millis)).seed(5);
  }

  @Test
  void aDurationBecomesFramesAt50PerSecondAnd640SamplesAFrame() {
    MusicResult one = music.generate(request(1000).build());
    MusicResult odd = music.generate(request(1010).build());

    assertThat(one.audio().sampleRate()).isEqualTo(32000);
    assertThat(one.audio().channels()).isEqualTo(1);
    assertThat(one.audio().frames()).isEqualTo(50 * 640);
    assertThat(one.audio().duration()).isEqualTo(Duration.ofSeconds(1));
    // 1.01 s is 50.5 frames, rounded to 51: the result says the real length, 1.02 s
    assertThat(odd.audio().frames()).isEqualTo(51 * 640);
    assertThat(odd.audio().duration()).isEqualTo(Duration.ofMillis(1020));
    assertThat(odd.midi()).isEmpty();
    assertThat(odd.abc()).isEmpty();
  }

  @Test
  void theWavReadsBackWithJavaSound() throws Exception {
    Audio audio = music.generate(request(500).build()).audio();

    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(audio.toWav()))) {
      AudioFormat format = in.getFormat();
      assertThat(format.getSampleRate()).isEqualTo(32000f);
      assertThat(format.getChannels()).isEqualTo(1);
      assertThat(in.getFrameLength()).isEqualTo(25 * 640);
    }
  }

  @Test
  void aSeedRepeatsThePieceAndAnotherSeedChangesIt() {
    Audio a = music.generate(request(400).build()).audio();
    Audio b = music.generate(request(400).build()).audio();
    Audio c = music.generate(request(400).seed(6).build()).audio();

    assertThat(a).isEqualTo(b);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void guidanceOneSkipsTheUnconditionalHalfAndChangesThePiece() {
    Audio guided = music.generate(request(400).build()).audio();
    Audio unguided = music.generate(request(400).guidanceScale(1.0).build()).audio();

    assertThat(unguided.frames()).isEqualTo(guided.frames());
    assertThat(unguided).isNotEqualTo(guided);
  }

  @Test
  void progressCountsEveryDecodingStep() {
    List<Progress> steps = new ArrayList<>();
    music.generate(request(200).progressListener(steps::add).build());

    // 10 frames and 3 more steps for the delay pattern, then EnCodec
    List<Progress> decoding = steps.stream().filter(p -> p.stage().equals("decoding")).toList();
    assertThat(decoding).hasSize(13);
    assertThat(decoding.get(12).step()).isEqualTo(13);
    assertThat(decoding.get(12).totalSteps()).isEqualTo(13);
  }

  @Test
  void aDurationBeyondTheModelsLimitSaysTheLimit() {
    assertThatThrownBy(() -> music.generate(request(6000).build())).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("5.0 s");
    assertThatThrownBy(() -> request(0).build()).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> MusicRequest.builder(" ")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("prompt");
  }

  @Test
  void aMissingPartIsNamed(@TempDir Path dir) throws Exception {
    for (String part : new String[] {"encodec_decode", "text_encoder", "decoder_model_merged"}) {
      Path copy = Files.createDirectories(dir.resolve("no-" + part));
      Fixtures.copy("musicgen-tiny", copy, f -> !f.startsWith(part));
      assertThatThrownBy(() -> backend.music(copy.toString())).as(part).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("no " + part + " part");
    }
    Path noTokenizer = Files.createDirectories(dir.resolve("no-tokenizer"));
    Fixtures.copy("musicgen-tiny", noTokenizer, f -> !f.equals("tokenizer.json"));
    assertThatThrownBy(() -> backend.music(noTokenizer.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.json");
  }

  @Test
  void variantsAreChosenBySuffixAndLayoutsWithAnOnnxFolderLoad(@TempDir Path dir) throws Exception {
    Path onnx = Files.createDirectories(dir.resolve("onnx"));
    Fixtures.copy("musicgen-tiny", dir, f -> f.endsWith(".json"));
    for (String part : new String[] {"text_encoder", "decoder_model_merged", "encodec_decode"}) {
      Files.copy(Path.of(MODEL, part + ".onnx"), onnx.resolve(part + "_quantized.onnx"));
    }
    Files.copy(Path.of(MODEL, "text_encoder.onnx"), onnx.resolve("text_encoder_fp16.onnx"));

    try (MusicGenerator quantized = backend.music(dir.toString(), ModelOptions.defaults()
        .withSetting("variant", "quantized"))) {
      assertThat(quantized.generate(request(400).build()).audio())
          .isEqualTo(music.generate(request(400).build()).audio());
    }
    // two text encoders and no choice made: the error lists them
    assertThatThrownBy(() -> backend.music(dir.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("text_encoder_fp16.onnx").hasMessageContaining("variant");
  }

  @Test
  void melodyConditioningAndStereoAreRefusedByName(@TempDir Path dir) throws Exception {
    Path melody = Files.createDirectories(dir.resolve("melody"));
    Fixtures.copy("musicgen-tiny", melody);
    String config = Files.readString(melody.resolve("config.json"));
    Files.writeString(melody.resolve("config.json"), config.replace("\"model_type\": \"musicgen\"",
        "\"model_type\": \"musicgen_melody\""));
    assertThatThrownBy(() -> backend.music(melody.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("melody conditioning is not supported");

    Path stereo = Files.createDirectories(dir.resolve("stereo"));
    Fixtures.copy("musicgen-tiny", stereo);
    Files.writeString(stereo.resolve("config.json"), config.replace("\"audio_channels\": 1,",
        "\"audio_channels\": 2,"));
    assertThatThrownBy(() -> backend.music(stereo.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("stereo");
  }
}

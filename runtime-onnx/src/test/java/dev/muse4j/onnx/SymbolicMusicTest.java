package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Abc;
import dev.muse4j.AbcTune;
import dev.muse4j.Backend;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The symbolic path on a real (tiny, ABC-trained) ONNX text model: description → ABC → MIDI → audio. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SymbolicMusicTest {
  private Backend backend;
  private MusicGenerator music;

  @BeforeAll
  void open() {
    backend = Muse4j.backend("onnx");
    music = backend.music(Fixtures.model("abc-tiny"));
  }

  @AfterAll
  void close() {
    music.close();
    backend.close();
  }

  private static MusicRequest request(String description, long seed) {
    return MusicRequest.builder(description).duration(Duration.ofSeconds(4)).seed(seed).build();
  }

  @Test
  void writesAbcAfterAHeaderFromTheDescriptionAndRendersIt() {
    List<Progress> steps = new ArrayList<>();
    MusicResult result = music.generate(MusicRequest.builder("M:3/4 K:D a small waltz")
        .duration(Duration.ofSeconds(4)).seed(7).progressListener(steps::add).build());

    String abc = result.abc().orElseThrow();
    assertThat(abc).startsWith("X:1\nT:a small waltz\nM:3/4\nL:1/8\nK:D\n");
    AbcTune tune = Abc.parse(abc);
    assertThat(tune.noteCount()).isPositive();
    assertThat(result.midi()).isPresent();
    assertThat(result.midi().get().toSequence().getTracks().length).isGreaterThanOrEqualTo(2);
    assertThat(result.audio().duration()).isLessThanOrEqualTo(Duration.ofSeconds(4));
    assertThat(result.audio().duration()).isGreaterThan(Duration.ofSeconds(1));
    assertThat(steps).extracting(Progress::stage).contains("writing", "render");
  }

  @Test
  void theSameSeedWritesTheSameTune() {
    assertThat(music.generate(request("a jig", 11)).abc()).isEqualTo(music.generate(request("a jig", 11)).abc());
    assertThat(music.generate(request("a jig", 11)).audio()).isEqualTo(music.generate(request("a jig", 11)).audio());
  }

  @Test
  void aDurationBeyondTheModelsLimitSaysTheLimit() {
    // music.json: at most 200 tokens at 6 tokens a second
    assertThatThrownBy(() -> music.generate(MusicRequest.of("a reel", Duration.ofSeconds(60))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("33.333 s");
  }

  @Test
  void cancellationBetweenSteps() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> music.generate(request("a jig", 1))).isInstanceOf(GenerationCancelledException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aMusicGenDirectoryAndAMissingMarkerAreClearErrors(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("musicgen"));
    Files.write(dir.resolve("musicgen").resolve("encodec_decode.onnx"), new byte[] {0});
    try (Backend b = Muse4j.backend("onnx")) {
      assertThatThrownBy(() -> b.music(dir.resolve("musicgen").toString())).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("MusicGen").hasMessageContaining("config.json");
      assertThatThrownBy(() -> b.music(Fixtures.model("gpt2-optimum"))).isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("music.json");
    }
  }
}

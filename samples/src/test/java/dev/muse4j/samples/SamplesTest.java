package dev.muse4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Audio;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Image;
import dev.muse4j.Muse4j;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples run end to end; here on the pure-Java markov backend and a test media backend. */
class SamplesTest {
  private static Properties markov() {
    Properties p = new Properties();
    p.setProperty("muse4j.backend", "markov");
    p.setProperty("muse4j.markov.order", "2");
    p.setProperty("muse4j.text.model", "verse");
    p.setProperty("muse4j.text.prompt", "the moon");
    return p;
  }

  @Test
  void gameBardGivesEachNpcTheSameVerseEveryRun() throws Exception {
    List<String> npcs = List.of("Innkeeper", "Blacksmith", "Wandering Monk");
    Map<String, String> first;
    Map<String, String> second;
    try (TextGenerator poet = Muse4j.backend("markov").text("verse")) {
      first = new GameBard(poet, "the sea", Duration.ofSeconds(30)).play(npcs, Duration.ofMillis(1));
    }
    try (TextGenerator poet = Muse4j.backend("markov").text("verse")) {
      second = new GameBard(poet, "the sea", Duration.ofSeconds(30)).play(npcs, Duration.ofMillis(1));
    }

    assertThat(first).containsOnlyKeys(npcs).isEqualTo(second);
    assertThat(first.values()).allSatisfy(v -> assertThat(v).startsWith("the sea"));
    assertThat(first.get("Innkeeper")).isNotEqualTo(first.get("Blacksmith"));
    assertThat(GameBard.seedOf("Innkeeper")).isEqualTo(GameBard.seedOf("Innkeeper"))
        .isNotEqualTo(GameBard.seedOf("Blacksmith"));
  }

  @Test
  void aVerseThatMissesItsDeadlineBecomesTheFallbackLine() throws Exception {
    TextGenerator silent = org.mockito.Mockito.mock(TextGenerator.class);
    org.mockito.Mockito.when(silent.generateAsync(org.mockito.ArgumentMatchers.any()))
        .thenAnswer(call -> new CompletableFuture<TextResult>());
    GameBard bard = new GameBard(silent, "the sea", Duration.ofMillis(50));

    bard.commission("Ghost");
    assertThat(bard.verseIfReady("Ghost")).as("not ready before the deadline").isNull();
    Map<String, String> spoken = bard.play(List.of("Ghost"), Duration.ofMillis(5));

    assertThat(spoken).containsEntry("Ghost", GameBard.FALLBACK);
    assertThat(bard.verseIfReady("Nobody")).isNull();
  }

  @Test
  void backendSwapTakesEverythingFromProperties() {
    String poem = BackendSwap.poem(markov());

    assertThat(poem).isNotBlank().isEqualTo(BackendSwap.poem(markov()));
    Properties noModel = markov();
    noModel.remove("muse4j.text.model");
    assertThatThrownBy(() -> BackendSwap.poem(noModel)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Set muse4j.text.model");
  }

  @Test
  void backendSwapShipsALocalAndARemoteConfiguration() {
    assertThat(BackendSwap.load("local").getProperty("muse4j.backend")).isEqualTo("onnx");
    assertThat(BackendSwap.load("remote").getProperty("muse4j.backend")).isEqualTo("openai");
  }

  @Test
  void customBackendWritesAQuatrainThroughTheSpi() {
    String text = CustomBackend.quatrain(3);

    assertThat(text).startsWith("markov [TEXT] available").isEqualTo(CustomBackend.quatrain(3));
    assertThat(text.strip().lines().count()).isEqualTo(6);
  }

  @Test
  void illustrateChainsPoemPictureAndMusic(@TempDir Path dir) {
    Properties p = markov();
    p.setProperty("muse4j.image.backend", "fake-media");
    p.setProperty("muse4j.image.model", "any");
    p.setProperty("muse4j.music.backend", "fake-media");
    p.setProperty("muse4j.music.model", "any");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    String poem = Illustrate.run(p, dir, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(poem).isNotBlank();
    assertThat(Image.read(dir.resolve("illustrate.png")).width()).isPositive();
    assertThat(Audio.readWav(dir.resolve("illustrate.wav")).duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("a quiet watercolour illustration");
  }

  @Test
  void illustrateSkipsStepsWithNoModel(@TempDir Path dir) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Illustrate.run(markov(), dir, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(log.toString(StandardCharsets.UTF_8)).contains("skipping the picture: no image model configured")
        .contains("skipping the music: no music model configured");
  }
}

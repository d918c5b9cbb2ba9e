package dev.muse4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.Backend;
import dev.muse4j.FinishReason;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.samples.cli.Muse;
import dev.muse4j.samples.poet.EmbeddedPoet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The embedded poet runs through the real onnx pipeline and keeps the quatrain's form. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPoetTest {
  private Backend onnx;
  private TextGenerator poet;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
    poet = onnx.text(EmbeddedPoet.MODEL);
  }

  @AfterAll
  void close() {
    onnx.close();
  }

  private static boolean isQuatrain(String poem) {
    List<String> lines = poem.strip().lines().toList();
    if (lines.size() != 4) {
      return false;
    }
    int length = lines.get(0).length();
    return (length == 6 || length == 8) && lines.stream().allMatch(l -> l.length() == length
        && "，。！？；".indexOf(l.charAt(l.length() - 1)) >= 0);
  }

  @Test
  void seededPoemsKeepTheQuatrainFormAndRepeat() {
    int quatrains = 0;
    for (long seed = 1; seed <= 10; seed++) {
      TextRequest request = TextRequest.of(EmbeddedPoet.OPENING).withSampling(SamplingConfig.builder().seed(seed)
          .build());
      TextResult result = poet.generate(request);
      String poem = EmbeddedPoet.OPENING + result.text();
      if (isQuatrain(poem)) {
        quatrains++;
      }
      assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(poet.generate(request).text()).isEqualTo(result.text());
    }
    assertThat(quatrains).as("poems out of 10 that are regular quatrains").isGreaterThanOrEqualTo(8);
  }

  @Test
  void theModelIsItsOwnArtifactInTheRealOptimumLayout() throws Exception {
    assertThat(EmbeddedPoet.isPresent()).isTrue();
    String dir = "/dev/muse4j/models/poet/";
    try (var config = EmbeddedPoet.class.getResourceAsStream(dir + "config.json")) {
      assertThat(new String(config.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"n_layer\"");
    }
    assertThat(EmbeddedPoet.class.getResource(dir + "model.onnx")).isNotNull();
    assertThat(EmbeddedPoet.class.getResource("/dev/muse4j/samples/poet/model.onnx")).as("moved out of samples")
        .isNull();
  }

  @Test
  void gameBardVersesAreTheSameInEveryRun() throws Exception {
    List<String> npcs = List.of("Innkeeper", "Blacksmith");
    Map<String, String> first = new GameBard(poet, EmbeddedPoet.OPENING, Duration.ofSeconds(60))
        .play(npcs, Duration.ofMillis(1));
    Map<String, String> second = new GameBard(poet, EmbeddedPoet.OPENING, Duration.ofSeconds(60))
        .play(npcs, Duration.ofMillis(1));

    assertThat(first).isEqualTo(second);
    assertThat(first.get("Innkeeper")).startsWith(EmbeddedPoet.OPENING).isNotEqualTo(first.get("Blacksmith"));
  }

  @Test
  void gameBardGivesEachNpcTheSamePortraitEveryRunDrawnFromItsSeed() throws Exception {
    List<String> npcs = List.of("Innkeeper", "Blacksmith");
    try (dev.muse4j.ImageGenerator artist = onnx.image(dev.muse4j.samples.sprites.EmbeddedSprites.MODEL)) {
      GameBard first = new GameBard(poet, artist, EmbeddedPoet.OPENING, Duration.ofSeconds(60));
      first.play(npcs, Duration.ofMillis(1));
      GameBard second = new GameBard(poet, artist, EmbeddedPoet.OPENING, Duration.ofSeconds(60));
      second.play(npcs, Duration.ofMillis(1));
      for (String npc : npcs) {
        dev.muse4j.Image portrait = first.portraitIfReady(npc).orElseThrow();
        assertThat(second.portraitIfReady(npc)).contains(portrait);
        assertThat(portrait).isEqualTo(artist.generate(dev.muse4j.ImageRequest.builder().seed(GameBard.seedOf(npc))
            .build()).image());
      }
      assertThat(first.portraitIfReady("Innkeeper")).isNotEqualTo(first.portraitIfReady("Blacksmith"));
      assertThat(first.portraitIfReady("Nobody")).isEmpty();
    }
    assertThat(new GameBard(poet, EmbeddedPoet.OPENING, Duration.ofSeconds(60)).portraitIfReady("Innkeeper"))
        .isEmpty();
  }

  @Test
  void museWritesAPoemWithNoConfiguration() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Muse.run(new String[] {"poem", "--seed", "3"}, new PrintWriter(out, true), new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isZero();
    assertThat(isQuatrain(out.toString())).as(out.toString()).isTrue();
    assertThat(out.toString()).startsWith(EmbeddedPoet.OPENING);
  }

  @Test
  void backendSwapRunsTheLocalConfiguration() {
    String poem = BackendSwap.poem(BackendSwap.load("local"));

    assertThat(poem).isNotBlank().isEqualTo(BackendSwap.poem(BackendSwap.load("local")));
  }
}

package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.samples.poet.EmbeddedPoet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Procedural verse in a game loop: every NPC has a seed derived from its name, so it speaks the same verse in every
 * run. Verses are generated off the render thread; a verse that misses its deadline is replaced by a fallback line,
 * and the render loop never waits. Run: {@code ./muse sample GameBard}.
 *
 * <p>Not thread-safe: one bard per game loop.
 *
 * @since 0.1.0
 */
public final class GameBard {
  /** What an NPC says when its verse is not ready in time. */
  public static final String FALLBACK = "(the bard hums a tune you almost remember)";

  private final TextGenerator poet;
  private final String opening;
  private final Duration deadline;
  private final Map<String, CompletableFuture<String>> verses = new LinkedHashMap<>();

  /**
   * Creates a bard.
   *
   * @param poet the generator to use; the caller closes it
   * @param opening the prompt every verse starts from
   * @param deadline how long a verse may take before the fallback line is used
   */
  public GameBard(TextGenerator poet, String opening, Duration deadline) {
    this.poet = poet;
    this.opening = opening;
    this.deadline = deadline;
  }

  /**
   * The seed of an NPC: a stable function of its name, the same on every machine and run.
   *
   * @param npc the NPC's name
   * @return the seed
   */
  public static long seedOf(String npc) {
    long h = 1125899906842597L;
    for (int i = 0; i < npc.length(); i++) {
      h = 31 * h + npc.charAt(i);
    }
    return h;
  }

  /**
   * Starts composing an NPC's verse in the background; returns at once.
   *
   * @param npc the NPC's name
   */
  public void commission(String npc) {
    TextRequest request = TextRequest.of(opening).withSampling(SamplingConfig.builder().seed(seedOf(npc))
        .build());
    CompletableFuture<String> verse = poet.generateAsync(request)
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(result -> opening + result.text())
        .exceptionally(failure -> FALLBACK);
    verses.put(npc, verse);
  }

  /**
   * The NPC's verse if it is ready: never blocks, so it is safe to call every frame.
   *
   * @param npc the NPC's name
   * @return the verse (or the fallback line), or {@code null} while it is being composed
   */
  public String verseIfReady(String npc) {
    CompletableFuture<String> verse = verses.get(npc);
    return verse != null && verse.isDone() ? verse.join() : null;
  }

  /**
   * Runs a small game loop: commissions every NPC's verse, then renders frames until all have spoken.
   *
   * @param npcs the NPCs
   * @param frame the time between frames
   * @return each NPC's verse, in order
   * @throws InterruptedException if the loop is interrupted
   */
  public Map<String, String> play(List<String> npcs, Duration frame) throws InterruptedException {
    npcs.forEach(this::commission);
    Map<String, String> spoken = new LinkedHashMap<>();
    while (spoken.size() < npcs.size()) {
      for (String npc : npcs) {
        String verse = spoken.containsKey(npc) ? null : verseIfReady(npc);
        if (verse != null) {
          spoken.put(npc, verse);
        }
      }
      Thread.sleep(frame.toMillis());
    }
    return spoken;
  }

  /**
   * Runs the sample with the embedded poet.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    try (Backend onnx = Muse4j.backend("onnx");
        TextGenerator poet = onnx.text(EmbeddedPoet.MODEL)) {
      GameBard bard = new GameBard(poet, EmbeddedPoet.OPENING, Duration.ofSeconds(5));
      bard.play(List.of("Innkeeper", "Blacksmith", "Wandering Monk"), Duration.ofMillis(16))
          .forEach((npc, verse) -> System.out.println(npc + ":\n" + verse + "\n"));
    }
  }
}

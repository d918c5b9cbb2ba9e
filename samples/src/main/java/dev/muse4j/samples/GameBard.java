package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.samples.poet.EmbeddedPoet;
import dev.muse4j.samples.sprites.EmbeddedSprites;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Procedural verse in a game loop: every NPC has a seed derived from its name, so it speaks the same verse in every
 * run, and, given a picture generator (the embedded sprite artist in {@link #main}), wears the same portrait drawn from
 * that seed. Verses and portraits are made off the render thread; a verse that misses its deadline is replaced by a
 * fallback line, and the render loop never waits. Run: {@code ./muse sample GameBard}.
 *
 * <p>Not thread-safe: one bard per game loop.
 *
 * @since 0.1.0
 */
public final class GameBard {
  /** What an NPC says when its verse is not ready in time. */
  public static final String FALLBACK = "(the bard hums a tune you almost remember)";

  private final TextGenerator poet;
  private final @Nullable ImageGenerator artist;
  private final String opening;
  private final Duration deadline;
  private final Map<String, CompletableFuture<String>> verses = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<@Nullable Image>> portraits = new LinkedHashMap<>();

  /**
   * Creates a bard.
   *
   * @param poet the generator to use; the caller closes it
   * @param opening the prompt every verse starts from
   * @param deadline how long a verse may take before the fallback line is used
   */
  public GameBard(TextGenerator poet, String opening, Duration deadline) {
    this(poet, null, opening, deadline);
  }

  /**
   * Creates a bard whose NPCs also get a portrait: one picture from {@code artist} with the NPC's seed.
   *
   * @param poet the generator of verses; the caller closes it
   * @param artist the generator of portraits (a GAN such as the embedded sprite artist needs no prompt), or
   *     {@code null} for none; the caller closes it
   * @param opening the prompt every verse starts from
   * @param deadline how long a verse or a portrait may take before it is given up
   */
  public GameBard(TextGenerator poet, @Nullable ImageGenerator artist, String opening, Duration deadline) {
    this.poet = poet;
    this.artist = artist;
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
    if (artist != null) {
      CompletableFuture<@Nullable Image> portrait = artist.generateAsync(ImageRequest.builder().seed(seedOf(npc))
              .build())
          .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .<@Nullable Image>thenApply(ImageResult::image)
          .exceptionally(failure -> null);
      portraits.put(npc, portrait);
    }
  }

  /**
   * The NPC's portrait if it is ready: never blocks, so it is safe to call every frame.
   *
   * @param npc the NPC's name
   * @return the picture drawn from the NPC's seed; empty while it is being drawn, when it failed or missed its
   *     deadline, or when the bard has no artist
   */
  public Optional<Image> portraitIfReady(String npc) {
    CompletableFuture<@Nullable Image> portrait = portraits.get(npc);
    return portrait != null && portrait.isDone() ? Optional.ofNullable(portrait.join()) : Optional.empty();
  }

  /**
   * The NPC's verse if it is ready: never blocks, so it is safe to call every frame.
   *
   * @param npc the NPC's name
   * @return the verse (or the fallback line), or {@code null} while it is being composed
   */
  public @Nullable String verseIfReady(String npc) {
    CompletableFuture<String> verse = verses.get(npc);
    return verse != null && verse.isDone() ? verse.join() : null;
  }

  /**
   * Runs a small game loop: commissions every NPC's verse (and portrait), then renders frames until all have spoken
   * (an NPC speaks once its verse is ready and its portrait drawn or given up).
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
        CompletableFuture<@Nullable Image> portrait = portraits.get(npc);
        if (verse != null && (portrait == null || portrait.isDone())) {
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
        TextGenerator poet = onnx.text(EmbeddedPoet.MODEL);
        ImageGenerator artist = onnx.image(EmbeddedSprites.MODEL)) {
      GameBard bard = new GameBard(poet, artist, EmbeddedPoet.OPENING, Duration.ofSeconds(5));
      bard.play(List.of("Innkeeper", "Blacksmith", "Wandering Monk"), Duration.ofMillis(16))
          .forEach((npc, verse) -> System.out.println(npc + " " + bard.portraitIfReady(npc)
              .map(p -> "(portrait: a " + p.width() + "x" + p.height() + " sprite, seed " + seedOf(npc) + ")")
              .orElse("(no portrait)") + ":\n" + verse + "\n"));
    }
  }
}

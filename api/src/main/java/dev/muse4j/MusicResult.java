package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The music a generation made: audio always, and MIDI when the model is symbolic. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class MusicResult {
  private final Audio audio;
  private final @Nullable Midi midi;
  private final Duration elapsed;
  private final @Nullable String abc;

  private MusicResult(Audio audio, @Nullable Midi midi, Duration elapsed, @Nullable String abc) {
    this.audio = audio;
    this.midi = midi;
    this.elapsed = elapsed;
    this.abc = abc;
  }

  /**
   * Creates a result.
   *
   * @param audio the rendered sound
   * @param midi the symbolic score, or {@code null} for audio-only models
   * @param elapsed how long it took
   * @return the result
   */
  public static MusicResult of(Audio audio, @Nullable Midi midi, Duration elapsed) {
    return new MusicResult(Checks.notNull(audio, "audio"), midi, Checks.notNull(elapsed, "elapsed"), null);
  }

  /**
   * Creates a result for a symbolic model that wrote ABC notation.
   *
   * @param audio the rendered sound
   * @param midi the score as MIDI
   * @param abc the ABC text the model wrote
   * @param elapsed how long it took
   * @return the result
   * @since 0.2.0
   */
  public static MusicResult ofAbc(Audio audio, Midi midi, String abc, Duration elapsed) {
    return new MusicResult(Checks.notNull(audio, "audio"), Checks.notNull(midi, "midi"),
        Checks.notNull(elapsed, "elapsed"), Checks.notNull(abc, "abc"));
  }

  /**
   * The ABC notation a symbolic model wrote.
   *
   * @return the ABC text, or empty for other models
   * @since 0.2.0
   */
  public Optional<String> abc() {
    return Optional.ofNullable(abc);
  }

  /**
   * The rendered sound.
   *
   * @return the audio
   */
  public Audio audio() {
    return audio;
  }

  /**
   * The symbolic score, for symbolic models.
   *
   * @return the MIDI, or empty
   */
  public Optional<Midi> midi() {
    return Optional.ofNullable(midi);
  }

  /**
   * How long the generation took.
   *
   * @return the duration
   */
  public Duration elapsed() {
    return elapsed;
  }

  @Override
  public String toString() {
    return "MusicResult{" + audio + (midi != null ? ", " + midi : "") + ", " + elapsed.toMillis() + " ms}";
  }
}

package dev.muse4j;

import dev.muse4j.internal.AbcParser;
import dev.muse4j.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads ABC music notation, so an application (a game, a language model's output) can turn a tune it has as text into
 * MIDI and audio: {@code Abc.parse(text).toMidi().toAudio()}.
 *
 * <p>The subset read: header fields {@code X T M L Q K} (keys with modes such as {@code Dmix} and extra accidentals),
 * notes with octave marks and lengths, rests, accidentals carried through the bar, ties, slurs (ignored), repeats with
 * first and second endings, chords in brackets, guitar chords in quotes (an optional accompaniment), tuplets, broken
 * rhythm ({@code >}, {@code <}) and several voices ({@code V:}). Text that stops making sense — a model's output cut
 * short, a stray character — keeps the longest valid prefix and adds a warning naming the line and column to
 * {@link AbcTune#warnings()}; parsing never throws from inside.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.2.0
 */
public final class Abc {
  private Abc() {}

  /**
   * Reads the first tune in the text.
   *
   * @param abc ABC text: one tune, or several each starting with an {@code X:} line
   * @return the tune
   * @throws InvalidRequestException if the text has no tune body (no note after a {@code K:} line)
   */
  public static AbcTune parse(String abc) {
    Checks.notNull(abc, "abc");
    List<AbcTune> tunes = parseAll(abc);
    return tunes.get(0);
  }

  /**
   * Reads the tune with reference number {@code X:number}.
   *
   * @param abc ABC text
   * @param number the tune's {@code X:} number
   * @return the tune
   * @throws InvalidRequestException if there is no such tune, or it has no body
   */
  public static AbcTune parse(String abc, int number) {
    Checks.notNull(abc, "abc");
    List<String> numbers = new ArrayList<>();
    for (String tune : split(abc)) {
      AbcParser.Result r = AbcParser.parse(tune);
      if (r.number() == number) {
        return AbcTune.of(tune, r);
      }
      numbers.add(String.valueOf(r.number()));
    }
    throw new InvalidRequestException("number", "There is no tune X:" + number + " in the text; it has "
        + (numbers.isEmpty() ? "none" : "X:" + String.join(", X:", numbers)) + ".");
  }

  /**
   * Reads every tune in the text that has a body; tunes without one are skipped.
   *
   * @param abc ABC text
   * @return the tunes in order, at least one
   * @throws InvalidRequestException if no tune has a body
   */
  public static List<AbcTune> parseAll(String abc) {
    Checks.notNull(abc, "abc");
    List<AbcTune> tunes = new ArrayList<>();
    String firstProblem = null;
    for (String tune : split(abc)) {
      AbcParser.Result r = AbcParser.parse(tune);
      if (r.notes().isEmpty() || !r.hasBody()) {
        if (firstProblem == null) {
          firstProblem = noBody(r);
        }
        continue;
      }
      tunes.add(AbcTune.of(tune, r));
    }
    if (tunes.isEmpty()) {
      throw new InvalidRequestException("abc", firstProblem != null ? firstProblem
          : "The ABC text is empty: give a tune such as \"X:1\\nK:C\\nCDEF|\".");
    }
    return List.copyOf(tunes);
  }

  static String noBody(AbcParser.Result r) {
    String why = !r.hasBody() ? "no K: line, so no tune body" : "no notes after its K: line";
    return "The ABC tune" + (r.number() > 0 ? " X:" + r.number() : "") + " has " + why
        + (r.warnings().isEmpty() ? "" : " (" + r.warnings().get(0) + ")")
        + "; a tune needs a header ending in K: and then notes, for example \"X:1\\nK:C\\nCDEF|\".";
  }

  /**
   * The text of each tune: from each {@code X:} line to the next, the whole text when there is none. Each is preceded
   * by as many empty lines as came before it, so warnings name lines of the whole text.
   */
  private static List<String> split(String abc) {
    String[] lines = abc.split("\r\n|\n|\r", -1);
    List<String> tunes = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= lines.length; i++) {
      if (i == lines.length || lines[i].startsWith("X:")) {
        if (start >= 0) {
          tunes.add("\n".repeat(start) + String.join("\n", java.util.Arrays.asList(lines).subList(start, i)));
        }
        start = i;
      }
    }
    if (tunes.isEmpty() || !abc.contains("X:")) {
      return List.of(abc);
    }
    return tunes;
  }
}

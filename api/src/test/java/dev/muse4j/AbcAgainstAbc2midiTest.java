package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads the example tunes Debian's {@code abcmidi} package ships and compares the first voice's notes (pitch, onset,
 * duration, at 480 ticks per quarter) with what {@code abc2midi} makes of them. Skips where abcmidi is not installed
 * ({@code apt-get install abcmidi}).
 */
class AbcAgainstAbc2midiTest {
  private static final Path EXAMPLES = Path.of("/usr/share/doc/abcmidi/examples");
  /** abc2midi starts each note a tick late and ends it a tick early: allow that. */
  private static final long SLACK = 2;

  /** Tunes where abc2midi plays something outside the subset, or by its own convention. */
  private static final Map<String, String> NOT_COMPARED = Map.of(
      "baym_rebin.abc#63", "K: with explicit accidentals: abc2midi applies ^f to that octave only; ABC 2.1 to all",
      "daramud.abc#1", "microtones (_/e): read up to the first one, with a warning",
      "demo.abc#9", "microtones (_/e): read up to the first one, with a warning",
      "demo.abc#5", "P: parts played in order (AB)3",
      "dergasn.abc#145", "trills (T) played as ornaments by abc2midi",
      "detune.abc#2", "%%MIDI detuning shifts onsets",
      "temperament.abc#1", "temperament directives only",
      "temperament.abc#2", "voice overlay (&)",
      "drums.abc#1", "drum patterns from %%MIDI drum");

  static Stream<Arguments> tunes() throws IOException {
    if (!Files.isDirectory(EXAMPLES)) {
      return Stream.of(Arguments.of("(abcmidi not installed)", 0));
    }
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".abc")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
          if (line.startsWith("X:")) {
            out.add(Arguments.of(f.getFileName().toString(), Integer.parseInt(line.substring(2).trim())));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} X:{1}")
  @MethodSource("tunes")
  void firstVoiceMatchesAbc2midi(String file, int number, @TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(number > 0 && onPath("abc2midi"), "abc2midi is not installed");
    Assumptions.assumeFalse(NOT_COMPARED.containsKey(file + "#" + number),
        () -> "not compared: " + NOT_COMPARED.get(file + "#" + number));
    String text = Files.readString(EXAMPLES.resolve(file), StandardCharsets.ISO_8859_1);
    // abc2midi swings hornpipes (R:hornpipe) by its own convention; the comparison leaves that out
    Path plain = tmp.resolve("tune.abc");
    Files.writeString(plain, text.replaceAll("(?m)^R:.*$", "R:"), StandardCharsets.ISO_8859_1);
    Path mid = tmp.resolve("tune.mid");
    Process p = new ProcessBuilder("abc2midi", plain.toString(), String.valueOf(number), "-o", mid.toString(),
        "-NGRA", "-NGUI", "-NFER", "-silent").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("log").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(mid).exists();

    AbcTune tune = Abc.parse(text, number);
    assertThat(tune.warnings()).isEmpty();
    boolean trimmed = text.contains("%%MIDI trim"); // abc2midi shortens notes there: compare onsets only
    List<long[]> ref = firstVoice(MidiSystem.getSequence(mid.toFile()));
    List<long[]> ours = firstVoice(tune.toSequence(false));
    assertThat(ours).hasSameSizeAs(ref);
    for (int i = 0; i < ref.size(); i++) {
      long[] r = ref.get(i);
      long[] o = ours.get(i);
      String where = "note " + i + ": abc2midi " + java.util.Arrays.toString(r) + ", ours " + java.util.Arrays
          .toString(o);
      assertThat(o[0]).as(where).isEqualTo(r[0]);
      assertThat(Math.abs(o[1] - r[1])).as(where).isLessThanOrEqualTo(SLACK);
      if (!trimmed) {
        assertThat(Math.abs(o[2] - r[2])).as(where).isLessThanOrEqualTo(SLACK);
      }
    }
  }

  /** {pitch, onset, duration} of the notes in the first track that has any, channel 10 left out, at 480 PPQ. */
  static List<long[]> firstVoice(Sequence s) {
    double scale = 480.0 / s.getResolution();
    for (Track t : s.getTracks()) {
      List<long[]> out = new ArrayList<>();
      Map<Integer, Long> on = new HashMap<>();
      for (int i = 0; i < t.size(); i++) {
        MidiEvent e = t.get(i);
        if (!(e.getMessage() instanceof ShortMessage m) || m.getChannel() == 9) {
          continue;
        }
        int key = m.getChannel() * 128 + m.getData1();
        if (m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) {
          on.put(key, e.getTick());
        } else if (m.getCommand() == ShortMessage.NOTE_OFF || m.getCommand() == ShortMessage.NOTE_ON) {
          Long start = on.remove(key);
          if (start != null) {
            out.add(new long[] {m.getData1(), Math.round(start * scale), Math.round((e.getTick() - start) * scale)});
          }
        }
      }
      if (!out.isEmpty()) {
        out.sort(Comparator.<long[]>comparingLong(a -> a[1]).thenComparingLong(a -> a[0]));
        return out;
      }
    }
    return List.of();
  }

  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}

package dev.muse4j;

import dev.muse4j.internal.AbcParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * One tune read from ABC notation by {@link Abc}: its header, the notes it plays (repeats unfolded) and the warnings
 * from reading it. Turns into a {@link Sequence} or a {@link Midi} file, which {@link MidiRenderer} turns into audio.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class AbcTune {
  private static final int MELODY_VELOCITY = 100;
  private static final int ACCOMPANIMENT_VELOCITY = 60;

  private final String text;
  private final AbcParser.Result result;

  private AbcTune(String text, AbcParser.Result result) {
    this.text = text;
    this.result = result;
  }

  static AbcTune of(String text, AbcParser.Result result) {
    return new AbcTune(text.strip(), result);
  }

  /**
   * The ABC text of this tune, as given.
   *
   * @return the text
   */
  public String text() {
    return text;
  }

  /**
   * The reference number from {@code X:}.
   *
   * @return the number, 0 when the tune has none
   */
  public int number() {
    return result.number();
  }

  /**
   * The first title from {@code T:}.
   *
   * @return the title, empty when none
   */
  public String title() {
    return result.title();
  }

  /**
   * The metre from {@code M:} as written, such as {@code 6/8} or {@code C}.
   *
   * @return the metre, {@code 4/4} when none
   */
  public String meter() {
    return result.meter();
  }

  /**
   * The key from {@code K:} as written, such as {@code Ador}.
   *
   * @return the key
   */
  public String key() {
    return result.key();
  }

  /**
   * The tempo, from {@code Q:} or 120 by default.
   *
   * @return quarter notes per minute
   */
  public double quarterNotesPerMinute() {
    return result.quarterNotesPerMinute();
  }

  /**
   * The voices' names, in order of appearance ({@code "1"} for a single-voice tune without {@code V:}).
   *
   * @return the voice ids
   */
  public List<String> voices() {
    return result.voices();
  }

  /**
   * The number of melody notes played, repeats unfolded and tied notes counted once; accompaniment not included.
   *
   * @return the note count
   */
  public int noteCount() {
    return (int) result.notes().stream().filter(n -> !n.accompaniment()).count();
  }

  /**
   * How long the tune plays, repeats unfolded.
   *
   * @return the duration
   */
  public Duration duration() {
    double seconds = result.lengthTicks() / (double) AbcParser.PPQ * 60 / result.quarterNotesPerMinute();
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /**
   * What reading the tune noticed, each naming the line and column in the given text, such as {@code "line 7, column
   * 12: unexpected '$'; the tune is kept up to there"}. Empty for a tune read completely.
   *
   * @return the warnings
   */
  public List<String> warnings() {
    return result.warnings();
  }

  /**
   * The tune as a MIDI sequence at 480 ticks per quarter note: a tempo track, then a track per voice on its own
   * channel (piano), with guitar chords as sustained accompaniment on a further channel.
   *
   * @return a new sequence
   */
  public Sequence toSequence() {
    return toSequence(true);
  }

  /**
   * The tune as a MIDI sequence, with or without the guitar-chord accompaniment.
   *
   * @param accompaniment whether to play guitar chords ({@code "Am"}) on an accompaniment channel
   * @return a new sequence
   */
  public Sequence toSequence(boolean accompaniment) {
    try {
      Sequence seq = new Sequence(Sequence.PPQ, AbcParser.PPQ);
      Track tempo = seq.createTrack();
      int micros = (int) Math.round(60_000_000 / result.quarterNotesPerMinute());
      tempo.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (micros >> 16), (byte) (micros >> 8),
          (byte) micros}, 3), 0));
      int unitPower = Integer.numberOfTrailingZeros(Integer.highestOneBit(Math.max(1, result.beatUnit())));
      tempo.add(new MidiEvent(new MetaMessage(0x58, new byte[] {(byte) result.beatsPerBar(), (byte) unitPower, 24, 8},
          4), 0));
      if (!result.title().isEmpty()) {
        byte[] name = result.title().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tempo.add(new MidiEvent(new MetaMessage(0x03, name, name.length), 0));
      }
      int voices = result.voices().size();
      Track[] tracks = new Track[voices];
      for (int v = 0; v < voices; v++) {
        tracks[v] = seq.createTrack();
        tracks[v].add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel(v), 0, 0), 0));
      }
      Track chords = null;
      int chordChannel = channel(voices);
      for (AbcParser.Note n : result.notes()) {
        if (n.duration() <= 0) {
          continue;
        }
        Track t;
        int ch;
        int velocity;
        if (n.accompaniment()) {
          if (!accompaniment) {
            continue;
          }
          if (chords == null) {
            chords = seq.createTrack();
            chords.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, chordChannel, 0, 0), 0));
          }
          t = chords;
          ch = chordChannel;
          velocity = ACCOMPANIMENT_VELOCITY;
        } else {
          t = tracks[n.voice()];
          ch = channel(n.voice());
          velocity = MELODY_VELOCITY;
        }
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, ch, n.pitch(), velocity), n.onset()));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, ch, n.pitch(), 0), n.onset() + n.duration()));
      }
      return seq;
    } catch (InvalidMidiDataException e) {
      throw new IllegalStateException("Could not build the MIDI sequence: " + e.getMessage(), e);
    }
  }

  /** Channels 0–15 in order, skipping 9 (percussion). */
  private static int channel(int index) {
    int c = index % 15;
    return c >= 9 ? c + 1 : c;
  }

  /**
   * The tune as a Standard MIDI File (type 1), with the guitar-chord accompaniment.
   *
   * @return the MIDI
   */
  public Midi toMidi() {
    return toMidi(true);
  }

  /**
   * The tune as a Standard MIDI File (type 1).
   *
   * @param accompaniment whether to play guitar chords on an accompaniment channel
   * @return the MIDI
   */
  public Midi toMidi(boolean accompaniment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      MidiSystem.write(toSequence(accompaniment), 1, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Midi.of(out.toByteArray());
  }

  @Override
  public String toString() {
    return "AbcTune[X:" + number() + " \"" + title() + "\", " + meter() + ", K:" + key() + ", " + noteCount()
        + " notes, " + warnings().size() + " warnings]";
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import org.jspecify.annotations.Nullable;

/**
 * A Standard MIDI File, as symbolic music models produce. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Midi {
  private final byte[] bytes;

  private Midi(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps the bytes of a Standard MIDI File.
   *
   * @param bytes the file's bytes, starting with {@code MThd}; copied
   * @return the MIDI
   * @throws IllegalArgumentException if the bytes are not a Standard MIDI File
   */
  public static Midi of(byte[] bytes) {
    Checks.notNull(bytes, "bytes");
    if (bytes.length < 14 || bytes[0] != 'M' || bytes[1] != 'T' || bytes[2] != 'h' || bytes[3] != 'd') {
      throw new IllegalArgumentException("Not a Standard MIDI File: expected it to start with 'MThd' ("
          + bytes.length + " bytes given).");
    }
    return new Midi(bytes.clone());
  }

  /**
   * A copy of the file's bytes.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Parses the file into a {@link Sequence} for the JDK's sequencer or synthesizer.
   *
   * @return a new sequence
   * @throws IllegalArgumentException if the file is malformed
   */
  public Sequence toSequence() {
    try {
      return MidiSystem.getSequence(new ByteArrayInputStream(bytes));
    } catch (InvalidMidiDataException e) {
      throw new IllegalArgumentException("Malformed MIDI file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the {@code .mid} file, replacing any existing file.
   *
   * @param file the file
   * @throws UncheckedIOException if it cannot be written
   */
  public void write(Path file) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Renders the MIDI to audio with the JDK's software synthesizer and its default bank; see {@link MidiRenderer} for a
   * SoundFont or progress.
   *
   * @return stereo audio at 44.1 kHz
   * @since 0.2.0
   */
  public Audio toAudio() {
    return MidiRenderer.defaults().render(this);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Midi && Arrays.equals(((Midi) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Midi[" + bytes.length + " bytes]";
  }
}

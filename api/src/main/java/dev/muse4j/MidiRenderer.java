package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.jspecify.annotations.Nullable;

/**
 * Renders MIDI to audio offline, faster than real time, with the JDK's own software synthesizer (Gervill) — no sound
 * device is opened. Uses a SoundFont 2 bank the caller supplies, or the JDK's default bank.
 *
 * <p>With a SoundFont, or a sample rate other than 44.1 kHz, the synthesizer's offline stream is used, which the JDK
 * keeps in {@code com.sun.media.sound}: run with {@code --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED}
 * (or {@code =dev.muse4j.api} on the module path); {@link #offlineStreamAvailable()} says whether it is reachable.
 * Without those, the default bank at 44.1 kHz is rendered through the JDK's public MIDI-file audio reader.
 *
 * <p>Immutable and thread-safe: each render uses its own synthesizer.
 *
 * @since 0.2.0
 */
public final class MidiRenderer {
  private static final int DEFAULT_RATE = 44_100;
  private static final Duration TAIL = Duration.ofSeconds(1);

  private final @Nullable Path soundFont;
  private final @Nullable Soundbank bank;
  private final int sampleRate;

  private MidiRenderer(@Nullable Path soundFont, @Nullable Soundbank bank, int sampleRate) {
    this.soundFont = soundFont;
    this.bank = bank;
    this.sampleRate = sampleRate;
  }

  /**
   * A renderer with the JDK's default bank at 44.1 kHz stereo.
   *
   * @return the renderer
   */
  public static MidiRenderer defaults() {
    return new MidiRenderer(null, null, DEFAULT_RATE);
  }

  /**
   * A renderer that plays with the instruments of a SoundFont 2 bank.
   *
   * @param soundFont the {@code .sf2} file
   * @return the renderer
   * @throws InvalidRequestException if the file is missing or is not a SoundFont the JDK reads
   */
  public static MidiRenderer withSoundFont(Path soundFont) {
    Checks.notNull(soundFont, "soundFont");
    if (!Files.isRegularFile(soundFont)) {
      throw new InvalidRequestException("soundFont", "The SoundFont " + soundFont + " does not exist.");
    }
    try {
      Soundbank bank = MidiSystem.getSoundbank(soundFont.toFile());
      return new MidiRenderer(soundFont, bank, DEFAULT_RATE);
    } catch (InvalidMidiDataException | IOException | RuntimeException e) {
      throw new InvalidRequestException("soundFont", soundFont + " is not a SoundFont 2 bank (" + e.getMessage()
          + "); give an .sf2 file, such as Debian's /usr/share/sounds/sf2/TimGM6mb.sf2.");
    }
  }

  /**
   * This renderer at another sample rate.
   *
   * @param hertz frames per second, 8000 to 192000
   * @return a renderer differing only in the rate
   * @throws InvalidRequestException if the rate is out of range
   */
  public MidiRenderer sampleRate(int hertz) {
    if (hertz < 8000 || hertz > 192_000) {
      throw new InvalidRequestException("sampleRate", "sampleRate must be between 8000 and 192000 Hz but was "
          + hertz + ".");
    }
    return new MidiRenderer(soundFont, bank, hertz);
  }

  /**
   * The SoundFont this renderer plays with.
   *
   * @return the file, or empty for the JDK's default bank
   */
  public java.util.Optional<Path> soundFont() {
    return java.util.Optional.ofNullable(soundFont);
  }

  /**
   * Whether the synthesizer's offline stream (needed for a SoundFont or a rate other than 44.1 kHz) is reachable.
   *
   * @return true when {@code java.desktop} exports {@code com.sun.media.sound} to this module
   */
  public static boolean offlineStreamAvailable() {
    return java.lang.ModuleLayer.boot().findModule("java.desktop")
        .map(m -> m.isExported("com.sun.media.sound", MidiRenderer.class.getModule())).orElse(false);
  }

  /**
   * Renders MIDI to stereo audio: the whole sequence plus a second for the last notes to fade.
   *
   * @param midi the MIDI
   * @return the audio
   * @throws IllegalArgumentException if the MIDI is malformed
   * @throws ConfigurationException if a SoundFont or a non-default rate is asked for and the offline stream is not
   *     reachable (see the class description)
   */
  public Audio render(Midi midi) {
    return render(midi, (p) -> { });
  }

  /**
   * Renders MIDI to stereo audio, reporting progress per rendered second.
   *
   * @param midi the MIDI
   * @param listener told after each second of audio, stage {@code "render"}
   * @return the audio
   * @throws IllegalArgumentException if the MIDI is malformed
   * @throws ConfigurationException as {@link #render(Midi)}
   */
  public Audio render(Midi midi, ProgressListener listener) {
    Checks.notNull(midi, "midi");
    Checks.notNull(listener, "listener");
    Sequence seq = midi.toSequence();
    long micros = seq.getMicrosecondLength() + TAIL.toNanos() / 1000;
    long frames = micros * sampleRate / 1_000_000;
    if (frames > Integer.MAX_VALUE / 2) {
      throw new InvalidRequestException("midi", "The MIDI plays for " + micros / 1_000_000 + " s, too long to render "
          + "into memory.");
    }
    if (offlineStreamAvailable()) {
      return renderOffline(seq, (int) frames, listener);
    }
    if (bank != null || sampleRate != DEFAULT_RATE) {
      throw new ConfigurationException("synthesizer", "Rendering with a SoundFont or at " + sampleRate + " Hz needs the JDK "
          + "synthesizer's offline stream: run with --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED "
          + "(or =dev.muse4j.api on the module path), or render with MidiRenderer.defaults().");
    }
    return renderThroughFileReader(midi, (int) frames, listener);
  }

  private Audio renderOffline(Sequence seq, int frames, ProgressListener listener) {
    long started = System.nanoTime();
    Synthesizer synth = null;
    try {
      synth = MidiSystem.getSynthesizer();
      Method open = Class.forName("com.sun.media.sound.AudioSynthesizer")
          .getMethod("openStream", AudioFormat.class, Map.class);
      AudioFormat format = new AudioFormat(sampleRate, 16, 2, true, false);
      AudioInputStream stream = (AudioInputStream) open.invoke(synth, format, null);
      if (bank != null) {
        synth.unloadAllInstruments(synth.getDefaultSoundbank());
        synth.loadAllInstruments(bank);
      }
      Receiver receiver = synth.getReceiver();
      schedule(seq, receiver);
      return readAll(stream, frames, listener, started);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new ConfigurationException("synthesizer", "The JDK synthesizer's offline stream did not open: " + cause, cause);
    } catch (MidiUnavailableException e) {
      throw new ConfigurationException("synthesizer", "The JDK software synthesizer is unavailable: " + e.getMessage(), e);
    } finally {
      if (synth != null) {
        synth.close();
      }
    }
  }

  /** Sends every event of the sequence to the synthesizer with its time stamp in microseconds, tempo changes included. */
  private static void schedule(Sequence seq, Receiver receiver) {
    java.util.List<MidiEvent> events = new java.util.ArrayList<>();
    for (Track t : seq.getTracks()) {
      for (int i = 0; i < t.size(); i++) {
        events.add(t.get(i));
      }
    }
    events.sort(java.util.Comparator.comparingLong(MidiEvent::getTick));
    double resolution = seq.getResolution();
    long lastTick = 0;
    double micros = 0;
    double microsPerTick = 500_000 / resolution;
    for (MidiEvent e : events) {
      micros += (e.getTick() - lastTick) * microsPerTick;
      lastTick = e.getTick();
      MidiMessage m = e.getMessage();
      if (m instanceof javax.sound.midi.MetaMessage meta) {
        if (meta.getType() == 0x51 && meta.getData().length == 3) {
          byte[] d = meta.getData();
          int tempo = ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
          if (seq.getDivisionType() == Sequence.PPQ) {
            microsPerTick = tempo / resolution;
          }
        }
      } else if (m instanceof ShortMessage || m instanceof javax.sound.midi.SysexMessage) {
        receiver.send(m, Math.round(micros));
      }
    }
  }

  /** The public route alone, whatever the module exports; for tests. */
  Audio renderThroughFileReader(Midi midi) {
    Sequence seq = midi.toSequence();
    long micros = seq.getMicrosecondLength() + TAIL.toNanos() / 1000;
    return renderThroughFileReader(midi, (int) (micros * DEFAULT_RATE / 1_000_000), p -> { });
  }

  private Audio renderThroughFileReader(Midi midi, int frames, ProgressListener listener) {
    long started = System.nanoTime();
    try {
      AudioInputStream stream = AudioSystem.getAudioInputStream(new ByteArrayInputStream(midi.bytes()));
      AudioFormat target = new AudioFormat(DEFAULT_RATE, 16, 2, true, false);
      if (!stream.getFormat().matches(target)) {
        stream = AudioSystem.getAudioInputStream(target, stream);
      }
      return readAll(stream, frames, listener, started);
    } catch (UnsupportedAudioFileException e) {
      throw new ConfigurationException("synthesizer", "This JDK does not render MIDI to audio (no MIDI audio file reader): "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Audio readAll(AudioInputStream stream, int frames, ProgressListener listener, long started) {
    int channels = stream.getFormat().getChannels();
    int rate = Math.round(stream.getFormat().getSampleRate());
    int frameBytes = 2 * channels;
    byte[] buf = new byte[rate * frameBytes];
    float[] samples = new float[frames * channels];
    int seconds = (frames + rate - 1) / rate;
    int done = 0;
    try (stream) {
      for (int s = 0; s < seconds; s++) {
        int want = Math.min(rate, frames - done) * frameBytes;
        int got = 0;
        while (got < want) {
          int n = stream.read(buf, got, want - got);
          if (n < 0) {
            break;
          }
          got += n;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, got).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < got / 2; i++) {
          samples[done * channels + i] = b.getShort() / 32768f;
        }
        done += got / frameBytes;
        listener.onProgress(Progress.of("render", s + 1, seconds, Duration.ofNanos(System.nanoTime() - started)));
        if (got < want) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    float[] exact = done * channels == samples.length ? samples : java.util.Arrays.copyOf(samples, done * channels);
    return Audio.of(exact, rate, channels);
  }

  @Override
  public String toString() {
    return "MidiRenderer[" + (soundFont != null ? soundFont : "default bank") + ", " + sampleRate + " Hz]";
  }
}

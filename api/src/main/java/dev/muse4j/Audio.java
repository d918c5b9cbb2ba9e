package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.jspecify.annotations.Nullable;

/**
 * Sound as floating-point PCM: samples in [-1, 1], interleaved by channel, with a sample rate. Reads WAV (8/16/24/32-bit
 * integer or 32-bit float) and writes 16-bit PCM WAV.
 *
 * <p>Immutable and thread-safe: every array in or out is copied.
 *
 * @since 0.1.0
 */
public final class Audio {
  private final float[] samples;
  private final int sampleRate;
  private final int channels;

  private Audio(float[] samples, int sampleRate, int channels) {
    this.samples = samples;
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  /**
   * Creates audio from interleaved samples.
   *
   * @param samples frames one after another, each holding one sample per channel; copied
   * @param sampleRate frames per second, 1 to 384000
   * @param channels 1 (mono) to 8
   * @return the audio
   * @throws IllegalArgumentException if the sample count is not a whole number of frames, or a sample is not finite
   */
  public static Audio of(float[] samples, int sampleRate, int channels) {
    Checks.notNull(samples, "samples");
    if (sampleRate < 1 || sampleRate > 384_000) {
      throw new IllegalArgumentException("sampleRate must be between 1 and 384000 Hz but was " + sampleRate);
    }
    if (channels < 1 || channels > 8) {
      throw new IllegalArgumentException("channels must be between 1 and 8 but was " + channels);
    }
    if (samples.length % channels != 0) {
      throw new IllegalArgumentException(samples.length + " samples are not a whole number of " + channels
          + "-channel frames");
    }
    for (int i = 0; i < samples.length; i++) {
      if (!Float.isFinite(samples[i])) {
        throw new IllegalArgumentException("sample " + i + " is not finite: " + samples[i]);
      }
    }
    return new Audio(samples.clone(), sampleRate, channels);
  }

  /**
   * Decodes WAV bytes.
   *
   * @param wav the WAV file's bytes
   * @return the audio
   * @throws IllegalArgumentException if the bytes are not a WAV the JDK reads
   */
  public static Audio decodeWav(byte[] wav) {
    Checks.notNull(wav, "wav");
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
      AudioFormat source = in.getFormat();
      int channels = source.getChannels();
      int rate = Math.round(source.getSampleRate());
      AudioFormat target;
      if (source.getEncoding() == AudioFormat.Encoding.PCM_FLOAT) {
        target = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, source.getSampleRate(), 32, channels,
            4 * channels, source.getSampleRate(), false);
      } else {
        target = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, source.getSampleRate(), 16, channels,
            2 * channels, source.getSampleRate(), false);
      }
      byte[] bytes;
      try (AudioInputStream converted = source.matches(target) ? in : AudioSystem.getAudioInputStream(target, in)) {
        bytes = converted.readAllBytes();
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[] samples;
      if (target.getEncoding() == AudioFormat.Encoding.PCM_FLOAT) {
        samples = new float[bytes.length / 4];
        buf.asFloatBuffer().get(samples);
      } else {
        samples = new float[bytes.length / 2];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = buf.getShort(2 * i) / 32768f;
        }
      }
      return of(samples, rate, channels);
    } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a readable WAV (" + wav.length + " bytes): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a WAV file.
   *
   * @param file the file
   * @return the audio
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Audio readWav(Path file) {
    Checks.notNull(file, "file");
    try {
      return decodeWav(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A copy of the interleaved samples.
   *
   * @return the samples
   */
  public float[] samples() {
    return samples.clone();
  }

  /**
   * Frames per second.
   *
   * @return the sample rate in Hz
   */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * The number of channels.
   *
   * @return 1 for mono, 2 for stereo
   */
  public int channels() {
    return channels;
  }

  /**
   * The number of frames (samples per channel).
   *
   * @return the frame count
   */
  public int frames() {
    return samples.length / channels;
  }

  /**
   * How long the sound lasts.
   *
   * @return the duration
   */
  public Duration duration() {
    return Duration.ofNanos(Math.round(frames() * 1e9 / sampleRate));
  }

  /**
   * Encodes as a 16-bit PCM WAV file; samples outside [-1, 1] are clipped.
   *
   * @return the WAV bytes
   */
  public byte[] toWav() {
    ByteBuffer pcm = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float s : samples) {
      float clipped = Math.max(-1f, Math.min(1f, s));
      pcm.putShort((short) Math.round(clipped * 32767f));
    }
    AudioFormat format = new AudioFormat(sampleRate, 16, channels, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames())) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Writes a 16-bit PCM WAV file, replacing any existing file.
   *
   * @param file the file
   * @throws UncheckedIOException if it cannot be written
   */
  public void writeWav(Path file) {
    try {
      Files.write(file, toWav());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Audio && ((Audio) o).sampleRate == sampleRate && ((Audio) o).channels == channels
        && Arrays.equals(((Audio) o).samples, samples);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * sampleRate + channels) + Arrays.hashCode(samples);
  }

  @Override
  public String toString() {
    return "Audio[" + channels + "ch, " + sampleRate + " Hz, " + duration().toMillis() + " ms]";
  }
}

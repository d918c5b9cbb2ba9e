package dev.muse4j.testkit;

import dev.muse4j.Audio;
import dev.muse4j.Image;

/**
 * Builders for small, deterministic test media, so tests never carry opaque bytes. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Fixtures {
  private Fixtures() {}

  /**
   * A picture with a horizontal red ramp, a vertical green ramp and a constant blue: every pixel differs from its
   * neighbours, so resizing or channel mix-ups show.
   *
   * @param width the width in pixels
   * @param height the height in pixels
   * @return the image
   */
  public static Image gradient(int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (width == 1 ? 0 : x * 255 / (width - 1));
        rgb[i + 1] = (byte) (height == 1 ? 0 : y * 255 / (height - 1));
        rgb[i + 2] = (byte) 96;
      }
    }
    return Image.ofRgb(width, height, rgb);
  }

  /**
   * A picture of one colour.
   *
   * @param width the width in pixels
   * @param height the height in pixels
   * @param rgb the colour as {@code 0xRRGGBB}
   * @return the image
   */
  public static Image solid(int width, int height, int rgb) {
    byte[] bytes = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      bytes[3 * i] = (byte) (rgb >> 16);
      bytes[3 * i + 1] = (byte) (rgb >> 8);
      bytes[3 * i + 2] = (byte) rgb;
    }
    return Image.ofRgb(width, height, bytes);
  }

  /**
   * A mono sine tone.
   *
   * @param frequency the pitch in Hz
   * @param seconds the length
   * @param sampleRate frames per second
   * @return the audio, at amplitude 0.5
   */
  public static Audio sine(double frequency, double seconds, int sampleRate) {
    float[] samples = new float[(int) Math.round(seconds * sampleRate)];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * frequency * i / sampleRate));
    }
    return Audio.of(samples, sampleRate, 1);
  }
}

package dev.muse4j.onnx.internal.music;

import java.time.Duration;

/**
 * The arithmetic of MusicGen decoding that needs no model: the codebook delay pattern built and undone, classifier-free
 * guidance on a [conditional; unconditional] batch, and the frame and sample counts for a duration. Stateless.
 *
 * <p>{@link MusicGenEngine} (T5 encoder, merged decoder with its KV cache, EnCodec) is built on these.
 */
public final class MusicGenMath {
  private MusicGenMath() {}

  /**
   * Lays codes out with the delay pattern: codebook {@code k} is shifted right by {@code k} steps, the cells before
   * it and after its end held at {@code pad}.
   *
   * @param codes {@code [codebooks][frames]}
   * @param pad the pad/start token (the vocabulary size, 2048, for MusicGen)
   * @return {@code [codebooks][frames + codebooks - 1]}
   */
  public static int[][] delay(int[][] codes, int pad) {
    int k = codes.length;
    int frames = k == 0 ? 0 : codes[0].length;
    int[][] out = new int[k][frames + k - 1];
    for (int c = 0; c < k; c++) {
      java.util.Arrays.fill(out[c], pad);
      System.arraycopy(codes[c], 0, out[c], c, frames);
    }
    return out;
  }

  /**
   * Undoes {@link #delay}: codebook {@code k} read from step {@code k} on.
   *
   * @param delayed {@code [codebooks][steps]}
   * @return {@code [codebooks][steps - codebooks + 1]}
   * @throws IllegalArgumentException if there are fewer steps than codebooks
   */
  public static int[][] undelay(int[][] delayed) {
    int k = delayed.length;
    int steps = k == 0 ? 0 : delayed[0].length;
    if (steps < k) {
      throw new IllegalArgumentException(steps + " steps are fewer than the " + k + " codebooks");
    }
    int frames = steps - k + 1;
    int[][] out = new int[k][frames];
    for (int c = 0; c < k; c++) {
      System.arraycopy(delayed[c], c, out[c], 0, frames);
    }
    return out;
  }

  /**
   * Whether codebook {@code k} is still held at the pad token at decoding step {@code step} (it starts at step k).
   *
   * @param codebook the codebook
   * @param step the decoding step, from 0
   * @return true while the codebook has not started
   */
  public static boolean heldAtPad(int codebook, int step) {
    return step < codebook;
  }

  /**
   * Classifier-free guidance in place: {@code uncond + scale × (cond − uncond)}, written over {@code cond}.
   *
   * @param cond the conditional logits; overwritten with the guided ones
   * @param uncond the unconditional logits, as long
   * @param scale the guidance scale (3 by default for MusicGen); 1 leaves cond as it is
   */
  public static void guide(float[] cond, float[] uncond, double scale) {
    if (cond.length != uncond.length) {
      throw new IllegalArgumentException("cond has " + cond.length + " logits but uncond " + uncond.length);
    }
    for (int i = 0; i < cond.length; i++) {
      cond[i] = (float) (uncond[i] + scale * (cond[i] - uncond[i]));
    }
  }

  /**
   * The number of frames for a duration at the model's frame rate, rounded to the nearest, at least one.
   *
   * @param duration the duration asked for
   * @param frameRate frames per second (50 for MusicGen)
   * @return the frame count
   */
  public static int frames(Duration duration, int frameRate) {
    return (int) Math.max(1, Math.round(duration.toNanos() * frameRate / 1e9));
  }

  /**
   * The decoder steps for a number of frames: the delay pattern adds one per codebook after the first.
   *
   * @param frames the frames wanted
   * @param codebooks the codebooks (4)
   * @return the steps
   */
  public static int steps(int frames, int codebooks) {
    return frames + codebooks - 1;
  }

  /**
   * The audio samples EnCodec makes of a number of frames.
   *
   * @param frames the frames
   * @param sampleRate the audio rate (32000)
   * @param frameRate the frame rate (50)
   * @return the sample count (640 a frame at 32 kHz and 50 Hz)
   */
  public static long samples(int frames, int sampleRate, int frameRate) {
    return (long) frames * (sampleRate / frameRate);
  }

  /**
   * The real duration of a number of frames.
   *
   * @param frames the frames
   * @param frameRate the frame rate
   * @return the duration
   */
  public static Duration duration(int frames, int frameRate) {
    return Duration.ofNanos(Math.round(frames * 1e9 / frameRate));
  }
}

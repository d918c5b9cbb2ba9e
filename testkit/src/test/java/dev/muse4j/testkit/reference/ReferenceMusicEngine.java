package dev.muse4j.testkit.reference;

import dev.muse4j.Audio;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.MusicEngine;
import java.time.Duration;
import java.util.SplittableRandom;

/** A seeded pentatonic melody of sine notes, a quarter second each, at 16 kHz. */
final class ReferenceMusicEngine implements MusicEngine {
  private static final int RATE = 16_000;
  private static final double[] PENTATONIC = {261.63, 293.66, 329.63, 392.00, 440.00, 523.25};

  @Override
  public MusicResult generate(Job<MusicRequest> job) {
    MusicRequest request = job.request();
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(request.seed().orElseGet(System::nanoTime)
        ^ request.prompt().hashCode());
    int frames = (int) Math.round(request.duration().toNanos() * RATE / 1e9);
    int noteFrames = RATE / 4;
    int notes = (frames + noteFrames - 1) / noteFrames;
    float[] samples = new float[frames];
    for (int n = 0; n < notes; n++) {
      job.cancellation().throwIfCancelled();
      double f = PENTATONIC[random.nextInt(PENTATONIC.length)];
      for (int i = n * noteFrames; i < Math.min(frames, (n + 1) * noteFrames); i++) {
        double envelope = 1.0 - (i - n * noteFrames) / (double) noteFrames;
        samples[i] = (float) (0.4 * envelope * Math.sin(2 * Math.PI * f * i / RATE));
      }
      job.step(n + 1, notes);
    }
    return MusicResult.of(Audio.of(samples, RATE, 1), null, Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public void close() {}
}

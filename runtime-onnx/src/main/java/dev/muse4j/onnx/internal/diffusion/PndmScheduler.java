package dev.muse4j.onnx.internal.diffusion;

import dev.muse4j.spi.TorchGenerator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * diffusers' {@code PNDMScheduler} ({@code pndm}, what SD 1.x configs name): pseudo linear multistep updates from up
 * to four earlier model outputs.
 *
 * <ul>
 *   <li>With {@code skip_prk_steps} (SD configs): the second timestep is repeated, and its step redoes the first from
 *       the same latents with the two outputs averaged.</li>
 *   <li>Without (diffusers' default): a Runge–Kutta warm-up of 12 model calls over the first three intervals, with
 *       half-interval timesteps, then the multistep updates; it needs at least 4 steps, and makes
 *       {@code steps + 9} model calls.</li>
 * </ul>
 *
 * <p>Not thread-safe, and stateful (it keeps earlier outputs): one per generation.
 */
final class PndmScheduler implements Scheduler {
  private final boolean vPrediction;
  private final long[] timesteps;
  private final float[] timestepsAsFloats;
  private final float[] alphasCumprod;
  private final float finalAlphaCumprod;
  private final int stride;
  /** The Runge–Kutta timesteps (the first 12 of {@link #timesteps}), or none with skip_prk_steps. */
  private final long[] prkTimesteps;
  /** The Runge–Kutta weighted sum of the outputs of the current group of four (diffusers' cur_model_output). */
  private float @Nullable [] rkSum;
  /** Earlier model outputs, newest last (diffusers' {@code ets}), at most four. */
  private final Deque<float[]> outputs = new ArrayDeque<>();
  private float @Nullable [] firstSample;
  private int counter;

  PndmScheduler(SchedulerConfig config, int steps) {
    String prediction = config.predictionType();
    if (prediction.equals("sample")) {
      throw new IllegalArgumentException("prediction_type: \"sample\" is not supported by the pndm scheduler");
    }
    this.vPrediction = prediction.equals("v_prediction");
    int trainSteps = config.numTrainTimesteps();
    this.alphasCumprod = NoiseSchedule.alphasCumprod(trainSteps, config.betaStartOr(0.0001),
        config.betaEndOr(0.02), config.betaScheduleOr("linear"));
    this.finalAlphaCumprod = config.setAlphaToOneOr(false) ? 1f : alphasCumprod[0];
    this.stride = trainSteps / steps;
    long[] base = NoiseSchedule.reversed(NoiseSchedule.integerTimesteps(config.timestepSpacingOr("leading"),
        trainSteps, steps, config.stepsOffset()));
    if (config.skipPrkSteps()) {
      this.prkTimesteps = new long[0];
      this.timesteps = plmsOnly(base);
    } else {
      if (base.length < 4) {
        throw new IllegalArgumentException("the pndm scheduler without skip_prk_steps needs at least 4 steps, not "
            + steps + " (its Runge-Kutta warm-up spans the first three intervals)");
      }
      this.prkTimesteps = prk(base, trainSteps / steps / 2);
      this.timesteps = new long[12 + base.length - 3];
      System.arraycopy(prkTimesteps, 0, timesteps, 0, 12);
      for (int i = 0; i < base.length - 3; i++) {
        timesteps[12 + i] = base[base.length - 4 - i];
      }
    }
    this.timestepsAsFloats = NoiseSchedule.asFloats(timesteps);
  }

  /** Ascending base schedule, then [..., t(n-2), t(n-2), t(n-1)] reversed: the second timestep comes twice. */
  private static long[] plmsOnly(long[] base) {
    int n = base.length;
    long[] plms = new long[n >= 2 ? n + 1 : n];
    for (int i = 0; i < n - 1; i++) {
      plms[i] = base[i];
    }
    if (n >= 2) {
      plms[n - 1] = base[n - 2];
    }
    plms[plms.length - 1] = base[n - 1];
    return NoiseSchedule.reversed(plms);
  }

  /**
   * The Runge–Kutta timesteps over the top four base timesteps a0 < a1 < a2 < a3 with half-interval h, highest
   * first: a3, a2+h, a2+h, a2, a2, a1+h, a1+h, a1, a1, a0+h, a0+h, a0.
   */
  private static long[] prk(long[] base, int half) {
    int n = base.length;
    long[] out = new long[12];
    out[0] = base[n - 1];
    for (int g = 0; g < 3; g++) {
      long low = base[n - 2 - g];
      out[1 + 4 * g] = low + half;
      out[2 + 4 * g] = low + half;
      out[3 + 4 * g] = low;
      if (g < 2) {
        out[4 + 4 * g] = low;
      }
    }
    return out;
  }

  @Override
  public String name() {
    return "pndm";
  }

  @Override
  public float[] timesteps() {
    return timestepsAsFloats;
  }

  @Override
  public void step(int index, float[] modelOutput, float[] sample, TorchGenerator noise) {
    Schedulers.checkLengths(modelOutput, sample);
    if (counter < prkTimesteps.length) {
      rungeKuttaStep(index, modelOutput, sample);
    } else {
      multistep(index, modelOutput, sample);
    }
    counter++;
  }

  /** diffusers' {@code step_prk}: four calls per interval, each from the latents the interval started at. */
  private void rungeKuttaStep(int index, float[] modelOutput, float[] sample) {
    int n = sample.length;
    long prev = timesteps[index] - (counter % 2 != 0 ? 0 : stride / 2);
    long t = prkTimesteps[counter / 4 * 4];
    float[] output = modelOutput;
    switch (counter % 4) {
      case 0 -> {
        float sixth = (float) (1.0 / 6);
        float[] started = new float[n];
        for (int i = 0; i < n; i++) {
          started[i] = sixth * modelOutput[i];
        }
        rkSum = started;
        outputs.addLast(modelOutput.clone());
        firstSample = sample.clone();
      }
      case 1, 2 -> {
        float third = (float) (1.0 / 3);
        float[] sum = Objects.requireNonNull(rkSum, "a Runge-Kutta group starts at a multiple of 4");
        for (int i = 0; i < n; i++) {
          sum[i] = sum[i] + third * modelOutput[i];
        }
      }
      default -> {
        float sixth = (float) (1.0 / 6);
        float[] sum = Objects.requireNonNull(rkSum, "a Runge-Kutta group starts at a multiple of 4");
        output = new float[n];
        for (int i = 0; i < n; i++) {
          output[i] = sum[i] + sixth * modelOutput[i];
        }
        rkSum = null;
      }
    }
    float[] from = firstSample;
    previousSample(from != null ? from : sample, t, prev, output, sample);
  }

  /** diffusers' {@code step_plms}. */
  private void multistep(int index, float[] modelOutput, float[] sample) {
    long t = timesteps[index];
    long prev = t - stride;
    if (counter != 1) {
      while (outputs.size() > 3) {
        outputs.removeFirst();
      }
      outputs.addLast(modelOutput.clone());
    } else {
      prev = t;
      t = t + stride;
    }
    int n = sample.length;
    float[] combined = new float[n];
    float[] from = sample;
    Iterator<float[]> newest = outputs.descendingIterator();
    float[] e1 = newest.next();
    if (outputs.size() == 1 && counter == 0) {
      System.arraycopy(modelOutput, 0, combined, 0, n);
      firstSample = sample.clone();
    } else if (outputs.size() == 1 && counter == 1) {
      for (int i = 0; i < n; i++) {
        combined[i] = (modelOutput[i] + e1[i]) / 2f;
      }
      float[] first = firstSample;
      from = first != null ? first : sample;
      firstSample = null;
    } else if (outputs.size() == 2) {
      float[] e2 = newest.next();
      for (int i = 0; i < n; i++) {
        combined[i] = (3f * e1[i] - e2[i]) / 2f;
      }
    } else if (outputs.size() == 3) {
      float[] e2 = newest.next();
      float[] e3 = newest.next();
      for (int i = 0; i < n; i++) {
        combined[i] = (23f * e1[i] - 16f * e2[i] + 5f * e3[i]) / 12f;
      }
    } else {
      float[] e2 = newest.next();
      float[] e3 = newest.next();
      float[] e4 = newest.next();
      float scale = (float) (1.0 / 24);
      for (int i = 0; i < n; i++) {
        combined[i] = scale * (55f * e1[i] - 59f * e2[i] + 37f * e3[i] - 9f * e4[i]);
      }
    }
    previousSample(from, t, prev, combined, sample);
  }

  /** diffusers' {@code _get_prev_sample}: formula (9) of the PNDM paper, into {@code out}. */
  private void previousSample(float[] sample, long t, long prev, float[] output, float[] out) {
    float alpha = NoiseSchedule.at(alphasCumprod, t);
    float alphaPrev = prev >= 0 ? NoiseSchedule.at(alphasCumprod, prev) : finalAlphaCumprod;
    float beta = 1f - alpha;
    float betaPrev = 1f - alphaPrev;
    float sqrtAlpha = (float) Math.sqrt(alpha);
    float sqrtBeta = (float) Math.sqrt(beta);
    float sampleCoefficient = (float) Math.sqrt(alphaPrev / alpha);
    float denominator = alpha * (float) Math.sqrt(betaPrev) + (float) Math.sqrt(alpha * beta * alphaPrev);
    float difference = alphaPrev - alpha;
    for (int i = 0; i < out.length; i++) {
      float x = sample[i];
      float m = vPrediction ? sqrtAlpha * output[i] + sqrtBeta * x : output[i];
      out[i] = sampleCoefficient * x - difference * m / denominator;
    }
  }

  @Override
  public float[] finalLatents(float[] sample) {
    return sample;
  }

  @Override
  public void addNoise(float[] original, float[] noise, int index) {
    Schedulers.addNoiseAt(alphasCumprod, timesteps[index], original, noise);
  }

  @Override
  public void beginAt(int index) {
    Schedulers.checkIndex(index, timesteps.length);
    outputs.clear();
    firstSample = null;
    rkSum = null;
    counter = 0;
  }
}

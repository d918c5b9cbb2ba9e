package dev.muse4j.onnx.internal.diffusion;

import dev.muse4j.spi.TorchGenerator;

/**
 * diffusers' {@code DDIMScheduler} with eta 0 ({@code ddim}): deterministic, integer timesteps, optional clipping of
 * the predicted clean latents. Not thread-safe; one per generation.
 */
final class DdimScheduler implements Scheduler {
  private final String prediction;
  private final long[] timesteps;
  private final float[] timestepsAsFloats;
  private final float[] alphasCumprod;
  private final float finalAlphaCumprod;
  private final boolean clip;
  private final float clipRange;
  private final int stride;

  DdimScheduler(SchedulerConfig config, int steps) {
    int trainSteps = config.numTrainTimesteps();
    this.prediction = config.predictionType();
    this.alphasCumprod = NoiseSchedule.alphasCumprod(trainSteps, config.betaStartOr(0.0001),
        config.betaEndOr(0.02), config.betaScheduleOr("linear"));
    this.finalAlphaCumprod = config.setAlphaToOneOr(true) ? 1f : alphasCumprod[0];
    this.clip = config.clipSampleOr(true);
    this.clipRange = (float) config.clipSampleRange();
    this.timesteps = NoiseSchedule.integerTimesteps(config.timestepSpacingOr("leading"), trainSteps, steps,
        config.stepsOffset());
    this.timestepsAsFloats = NoiseSchedule.asFloats(timesteps);
    this.stride = trainSteps / steps;
  }

  @Override
  public String name() {
    return "ddim";
  }

  @Override
  public float[] timesteps() {
    return timestepsAsFloats;
  }

  @Override
  public void step(int index, float[] modelOutput, float[] sample, TorchGenerator noise) {
    Schedulers.checkLengths(modelOutput, sample);
    long t = timesteps[index];
    long prev = t - stride;
    float alpha = NoiseSchedule.at(alphasCumprod, t);
    float alphaPrev = prev >= 0 ? NoiseSchedule.at(alphasCumprod, prev) : finalAlphaCumprod;
    float beta = 1f - alpha;
    float sqrtAlpha = (float) Math.sqrt(alpha);
    float sqrtBeta = (float) Math.sqrt(beta);
    float sqrtAlphaPrev = (float) Math.sqrt(alphaPrev);
    // eta 0: the variance term vanishes, std_dev_t = 0
    float direction = (float) Math.sqrt(1f - alphaPrev - 0f);
    for (int i = 0; i < sample.length; i++) {
      float x = sample[i];
      float m = modelOutput[i];
      float original;
      float epsilon;
      switch (prediction) {
        case "epsilon" -> {
          original = (x - sqrtBeta * m) / sqrtAlpha;
          epsilon = m;
        }
        case "v_prediction" -> {
          original = sqrtAlpha * x - sqrtBeta * m;
          epsilon = sqrtAlpha * m + sqrtBeta * x;
        }
        default -> {
          original = m;
          epsilon = (x - sqrtAlpha * original) / sqrtBeta;
        }
      }
      if (clip) {
        original = Math.min(Math.max(original, -clipRange), clipRange);
      }
      sample[i] = sqrtAlphaPrev * original + direction * epsilon;
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
  }
}

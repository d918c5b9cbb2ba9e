package dev.muse4j.onnx.internal.diffusion;

import dev.muse4j.spi.TorchGenerator;

/**
 * diffusers' {@code EulerDiscreteScheduler} ({@code euler}, without churn) and {@code EulerAncestralDiscreteScheduler}
 * ({@code euler_a}, which draws fresh noise at every step): sigmas interpolated linearly at float timesteps, a final
 * sigma of 0, and the latents scaled by 1/√(σ²+1) before the UNet. Not thread-safe; one per generation.
 */
final class EulerScheduler implements Scheduler {
  private final boolean ancestral;
  private final String prediction;
  private final float[] timesteps;
  private final float[] sigmas;
  private final float initNoiseSigma;

  EulerScheduler(SchedulerConfig config, int steps, boolean ancestral) {
    this.ancestral = ancestral;
    String name = ancestral ? "euler_a" : "euler";
    this.prediction = config.predictionType();
    if (ancestral && prediction.equals("sample")) {
      throw new IllegalArgumentException("prediction_type: \"sample\" is not supported by the euler_a scheduler");
    }
    if (!ancestral) {
      config.require(name, "interpolation_type", "linear");
      config.require(name, "use_karras_sigmas", false);
      config.require(name, "use_exponential_sigmas", false);
      config.require(name, "use_beta_sigmas", false);
      config.require(name, "timestep_type", "discrete");
      config.require(name, "final_sigmas_type", "zero");
    }
    int trainSteps = config.numTrainTimesteps();
    float[] alphasCumprod = NoiseSchedule.alphasCumprod(trainSteps, config.betaStartOr(0.0001),
        config.betaEndOr(0.02), config.betaScheduleOr("linear"));
    String spacing = config.timestepSpacingOr("linspace");
    this.timesteps = timesteps(spacing, trainSteps, steps, config.stepsOffset());
    float[] trainSigmas = NoiseSchedule.trainSigmas(alphasCumprod);
    this.sigmas = new float[timesteps.length + 1];
    float max = 0;
    for (int i = 0; i < timesteps.length; i++) {
      sigmas[i] = (float) NoiseSchedule.interp(timesteps[i], trainSigmas);
      max = Math.max(max, sigmas[i]);
    }
    this.initNoiseSigma = spacing.equals("leading") ? (float) Math.sqrt(max * max + 1f) : max;
  }

  private static float[] timesteps(String spacing, int trainSteps, int steps, int offset) {
    float[] t;
    switch (spacing) {
      case "linspace" -> {
        double[] x = NoiseSchedule.linspace(0, trainSteps - 1, steps, true);
        t = new float[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (float) x[steps - 1 - i];
        }
      }
      case "leading" -> {
        int ratio = trainSteps / steps;
        t = new float[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (float) ((long) (steps - 1 - i) * ratio) + (float) offset;
        }
      }
      case "trailing" -> {
        double[] x = NoiseSchedule.arange(trainSteps, 0, -((double) trainSteps / steps));
        t = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          t[i] = (float) Math.rint(x[i]) - 1f;
        }
      }
      default -> throw new IllegalArgumentException("timestep_spacing: unsupported " + spacing);
    }
    return t;
  }

  @Override
  public String name() {
    return ancestral ? "euler_a" : "euler";
  }

  @Override
  public float[] timesteps() {
    return timesteps;
  }

  /**
   * The sigmas, one per timestep and a final 0 (diffusers' {@code sigmas}).
   *
   * @return the sigmas; the caller must not change the array
   */
  float[] sigmas() {
    return sigmas;
  }

  @Override
  public float initNoiseSigma() {
    return initNoiseSigma;
  }

  @Override
  public float inputScale(int index) {
    float sigma = sigmas[index];
    return 1f / (float) Math.sqrt(sigma * sigma + 1f);
  }

  @Override
  public void step(int index, float[] modelOutput, float[] sample, TorchGenerator noise) {
    Schedulers.checkLengths(modelOutput, sample);
    float sigma = sigmas[index];
    float next = sigmas[index + 1];
    float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
    float vDivisor = sigma * sigma + 1f;
    float sigmaUp = 0;
    float dt;
    if (ancestral) {
      float from2 = sigma * sigma;
      float to2 = next * next;
      sigmaUp = (float) Math.sqrt(to2 * (from2 - to2) / from2);
      float sigmaDown = (float) Math.sqrt(to2 - sigmaUp * sigmaUp);
      dt = sigmaDown - sigma;
    } else {
      dt = next - sigma; // sigma_hat is sigma without churn
    }
    for (int i = 0; i < sample.length; i++) {
      float x = sample[i];
      float m = modelOutput[i];
      float denoised = switch (prediction) {
        case "epsilon" -> x - sigma * m;
        case "v_prediction" -> m * vScale + x / vDivisor;
        default -> m;
      };
      float derivative = (x - denoised) / sigma;
      sample[i] = x + derivative * dt;
    }
    if (ancestral) {
      float[] fresh = noise.randn(sample.length);
      for (int i = 0; i < sample.length; i++) {
        sample[i] = sample[i] + fresh[i] * sigmaUp;
      }
    }
  }

  @Override
  public float[] finalLatents(float[] sample) {
    return sample;
  }

  @Override
  public void addNoise(float[] original, float[] noise, int index) {
    Schedulers.checkLengths(noise, original);
    float sigma = sigmas[index];
    for (int i = 0; i < original.length; i++) {
      original[i] = original[i] + noise[i] * sigma;
    }
  }

  @Override
  public void beginAt(int index) {
    Schedulers.checkIndex(index, timesteps.length);
  }
}

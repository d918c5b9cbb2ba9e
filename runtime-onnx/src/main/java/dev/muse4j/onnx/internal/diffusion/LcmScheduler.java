package dev.muse4j.onnx.internal.diffusion;

import dev.muse4j.spi.TorchGenerator;
import org.jspecify.annotations.Nullable;

/**
 * diffusers' {@code LCMScheduler} ({@code lcm}): timesteps picked from the {@code original_inference_steps} the model
 * was distilled with, the consistency model's boundary conditions (c_skip, c_out), fresh noise between steps (not
 * after the last), and the last step's denoised prediction as the result. Not thread-safe, and stateful (it keeps the
 * denoised prediction): one per generation.
 */
final class LcmScheduler implements Scheduler {
  private static final float SIGMA_DATA_SQUARED = 0.25f;

  private final String prediction;
  private final long[] timesteps;
  private final float[] timestepsAsFloats;
  private final float[] alphasCumprod;
  private final float finalAlphaCumprod;
  private final boolean clip;
  private final float clipRange;
  private final float timestepScaling;
  private final int steps;
  private float @Nullable [] denoised;

  /**
   * An LCM schedule.
   *
   * @param config the model's scheduler configuration
   * @param steps the number of steps
   * @param strength 1 for text-to-image; for img2img the strength, which keeps the lowest
   *     {@code int(original_inference_steps × strength)} timesteps of the distillation schedule to pick from, as
   *     diffusers' {@code set_timesteps(strength=...)} does
   */
  LcmScheduler(SchedulerConfig config, int steps, double strength) {
    int trainSteps = config.numTrainTimesteps();
    int originalSteps = config.originalInferenceSteps();
    if (originalSteps > trainSteps) {
      throw new IllegalArgumentException("original_inference_steps (" + originalSteps
          + ") cannot be more than num_train_timesteps (" + trainSteps + ")");
    }
    if (steps > originalSteps) {
      throw new IllegalArgumentException("the lcm scheduler takes at most original_inference_steps ("
          + originalSteps + ") steps, not " + steps);
    }
    int kept = (int) (originalSteps * strength);
    if (steps > kept) {
      throw new IllegalArgumentException("the lcm scheduler at strength " + strength + " keeps " + kept + " of its "
          + originalSteps + " original_inference_steps, fewer than the " + steps + " steps asked for");
    }
    this.steps = steps;
    this.prediction = config.predictionType();
    this.alphasCumprod = NoiseSchedule.alphasCumprod(trainSteps, config.betaStartOr(0.00085),
        config.betaEndOr(0.012), config.betaScheduleOr("scaled_linear"));
    this.finalAlphaCumprod = config.setAlphaToOneOr(true) ? 1f : alphasCumprod[0];
    this.clip = config.clipSampleOr(false);
    this.clipRange = (float) config.clipSampleRange();
    this.timestepScaling = (float) config.timestepScaling();
    // the distillation schedule k-1, 2k-1, ... (the lowest `kept` of them), highest first; then steps of them, evenly
    // by index
    int k = trainSteps / originalSteps;
    long[] origin = new long[kept];
    for (int i = 0; i < kept; i++) {
      origin[i] = (long) (kept - i) * k - 1;
    }
    double[] picks = NoiseSchedule.linspace(0, kept, steps, false);
    this.timesteps = new long[steps];
    for (int i = 0; i < steps; i++) {
      timesteps[i] = origin[(int) Math.floor(picks[i])];
    }
    this.timestepsAsFloats = NoiseSchedule.asFloats(timesteps);
  }

  @Override
  public String name() {
    return "lcm";
  }

  @Override
  public float[] timesteps() {
    return timestepsAsFloats;
  }

  @Override
  public void step(int index, float[] modelOutput, float[] sample, TorchGenerator noise) {
    Schedulers.checkLengths(modelOutput, sample);
    long t = timesteps[index];
    long prev = index + 1 < timesteps.length ? timesteps[index + 1] : t;
    float alpha = NoiseSchedule.at(alphasCumprod, t);
    float alphaPrev = prev >= 0 ? NoiseSchedule.at(alphasCumprod, prev) : finalAlphaCumprod;
    float sqrtAlpha = (float) Math.sqrt(alpha);
    float sqrtBeta = (float) Math.sqrt(1f - alpha);
    float scaled = (float) t * timestepScaling;
    float cSkip = SIGMA_DATA_SQUARED / (scaled * scaled + SIGMA_DATA_SQUARED);
    float cOut = scaled / (float) Math.sqrt(scaled * scaled + SIGMA_DATA_SQUARED);
    float[] result = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      float x = sample[i];
      float m = modelOutput[i];
      float original = switch (prediction) {
        case "epsilon" -> (x - sqrtBeta * m) / sqrtAlpha;
        case "v_prediction" -> sqrtAlpha * x - sqrtBeta * m;
        default -> m;
      };
      if (clip) {
        original = Math.min(Math.max(original, -clipRange), clipRange);
      }
      result[i] = cOut * original + cSkip * x;
    }
    denoised = result;
    if (index != steps - 1) {
      float[] fresh = noise.randn(sample.length);
      float sqrtAlphaPrev = (float) Math.sqrt(alphaPrev);
      float sqrtBetaPrev = (float) Math.sqrt(1f - alphaPrev);
      for (int i = 0; i < sample.length; i++) {
        sample[i] = sqrtAlphaPrev * result[i] + sqrtBetaPrev * fresh[i];
      }
    } else {
      System.arraycopy(result, 0, sample, 0, sample.length);
    }
  }

  /**
   * The last step's denoised prediction, which LCM pipelines decode; {@code sample} itself before any step.
   *
   * @param sample the latents after the last step
   * @return the latents to decode
   */
  @Override
  public float[] finalLatents(float[] sample) {
    float[] last = denoised;
    return last != null ? last : sample;
  }

  @Override
  public void addNoise(float[] original, float[] noise, int index) {
    Schedulers.addNoiseAt(alphasCumprod, timesteps[index], original, noise);
  }

  @Override
  public void beginAt(int index) {
    Schedulers.checkIndex(index, timesteps.length);
    denoised = null;
  }
}

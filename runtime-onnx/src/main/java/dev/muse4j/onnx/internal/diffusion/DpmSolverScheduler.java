package dev.muse4j.onnx.internal.diffusion;

import dev.muse4j.spi.TorchGenerator;
import org.jspecify.annotations.Nullable;

/**
 * diffusers' {@code DPMSolverMultistepScheduler} as DPM-Solver++ 2M ({@code dpmpp_2m}): algorithm
 * {@code dpmsolver++}, solver order 2, a first-order step to start and at the end, integer timesteps and
 * interpolated sigmas. The config may choose {@code solver_type} (midpoint or heun); {@code lower_order_final} and
 * {@code euler_at_final} change nothing at order 2 with a final sigma of 0; the algorithm and order are what the name
 * says, whatever the config names. Not
 * thread-safe, and stateful (it keeps the previous step's prediction): one per generation.
 */
final class DpmSolverScheduler implements Scheduler {
  private final String prediction;
  private final boolean heun;
  private final long[] timesteps;
  private final float[] timestepsAsFloats;
  private final float[] sigmas;
  private float @Nullable [] previousPrediction;
  private int lowerOrderNums;

  DpmSolverScheduler(SchedulerConfig config, int steps) {
    String name = "dpmpp_2m";
    for (String field : new String[] {"use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas",
        "use_lu_lambdas", "use_flow_sigmas", "use_dynamic_shifting"}) {
      config.require(name, field, false);
    }
    config.require(name, "final_sigmas_type", "zero");
    if (config.declares("variance_type")) {
      throw new IllegalArgumentException("variance_type is not supported by the dpmpp_2m scheduler");
    }
    if (config.declares("lambda_min_clipped")) {
      throw new IllegalArgumentException("lambda_min_clipped is not supported by the dpmpp_2m scheduler");
    }
    String solverType = config.declares("solver_type") ? config.raw().get("solver_type").asText() : "midpoint";
    if (!solverType.equals("midpoint") && !solverType.equals("heun")) {
      throw new IllegalArgumentException("solver_type: \"" + solverType
          + "\" is not supported by the dpmpp_2m scheduler (midpoint or heun)");
    }
    this.heun = solverType.equals("heun");
    config.flag("lower_order_final", true); // type-checked only: see the class comment
    config.flag("euler_at_final", false);
    this.prediction = config.predictionType();
    int trainSteps = config.numTrainTimesteps();
    float[] alphasCumprod = NoiseSchedule.alphasCumprod(trainSteps, config.betaStartOr(0.0001),
        config.betaEndOr(0.02), config.betaScheduleOr("linear"));
    this.timesteps = timesteps(config.timestepSpacingOr("linspace"), trainSteps, steps, config.stepsOffset());
    this.timestepsAsFloats = NoiseSchedule.asFloats(timesteps);
    float[] trainSigmas = NoiseSchedule.trainSigmas(alphasCumprod);
    this.sigmas = new float[timesteps.length + 1];
    for (int i = 0; i < timesteps.length; i++) {
      sigmas[i] = (float) NoiseSchedule.interp(timesteps[i], trainSigmas);
    }
  }

  /** DPM-Solver's own spacing: it counts {@code steps + 1} points and drops the last (lambda_min_clipped unset). */
  private static long[] timesteps(String spacing, int trainSteps, int steps, int offset) {
    int last = trainSteps;
    return switch (spacing) {
      case "linspace" -> {
        double[] x = NoiseSchedule.linspace(0, last - 1, steps + 1, true);
        long[] t = new long[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = NoiseSchedule.round(x[steps - i]);
        }
        yield t;
      }
      case "leading" -> {
        int ratio = last / (steps + 1);
        long[] t = new long[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (long) (steps - i) * ratio + offset;
        }
        yield t;
      }
      case "trailing" -> {
        double[] x = NoiseSchedule.arange(last, 0, -((double) trainSteps / steps));
        long[] t = new long[x.length];
        for (int i = 0; i < x.length; i++) {
          t[i] = NoiseSchedule.round(x[i]) - 1;
        }
        yield t;
      }
      default -> throw new IllegalArgumentException("timestep_spacing: unsupported " + spacing);
    };
  }

  @Override
  public String name() {
    return "dpmpp_2m";
  }

  @Override
  public float[] timesteps() {
    return timestepsAsFloats;
  }

  /**
   * The sigmas, one per timestep and a final 0 (diffusers' {@code sigmas}).
   *
   * @return the sigmas; the caller must not change the array
   */
  float[] sigmas() {
    return sigmas;
  }

  /** diffusers' {@code _sigma_to_alpha_sigma_t}: alpha = 1/√(σ²+1) and sigma × alpha. */
  private static float alphaOf(float sigma) {
    return 1f / (float) Math.sqrt(sigma * sigma + 1f);
  }

  private static float lambda(float alpha, float sigma) {
    return (float) StrictMath.log(alpha) - (float) StrictMath.log(sigma);
  }

  @Override
  public void step(int index, float[] modelOutput, float[] sample, TorchGenerator noise) {
    Schedulers.checkLengths(modelOutput, sample);
    // final_sigmas_type "zero" always ends with a first-order step; at order 2 nothing else lowers the order
    boolean lastStep = index == timesteps.length - 1;

    // convert_model_output: the predicted clean latents
    float sigma = sigmas[index];
    float alphaS0 = alphaOf(sigma);
    float sigmaS0 = sigma * alphaS0;
    float[] prediction = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      prediction[i] = switch (this.prediction) {
        case "epsilon" -> (sample[i] - sigmaS0 * modelOutput[i]) / alphaS0;
        case "v_prediction" -> alphaS0 * sample[i] - sigmaS0 * modelOutput[i];
        default -> modelOutput[i];
      };
    }
    float[] previous = previousPrediction;
    previousPrediction = prediction;

    float sigmaNext = sigmas[index + 1];
    float alphaT = alphaOf(sigmaNext);
    float sigmaT = sigmaNext * alphaT;
    float h = lambda(alphaT, sigmaT) - lambda(alphaS0, sigmaS0);
    float sampleCoefficient = sigmaT / sigmaS0;
    float expMinusH = (float) StrictMath.exp(-h);
    float d0Coefficient = alphaT * (expMinusH - 1f);
    if (lowerOrderNums < 1 || lastStep || previous == null) {
      for (int i = 0; i < sample.length; i++) {
        sample[i] = sampleCoefficient * sample[i] - d0Coefficient * prediction[i];
      }
    } else {
      float sigmaPrev = sigmas[index - 1];
      float alphaS1 = alphaOf(sigmaPrev);
      float sigmaS1 = sigmaPrev * alphaS1;
      float lambdaS0 = lambda(alphaS0, sigmaS0);
      float h0 = lambdaS0 - lambda(alphaS1, sigmaS1);
      float r0 = h0 / h;
      float d1Scale = 1f / r0;
      float d1Coefficient = heun ? alphaT * ((expMinusH - 1f) / h + 1f) : 0.5f * d0Coefficient;
      for (int i = 0; i < sample.length; i++) {
        float d1 = d1Scale * (prediction[i] - previous[i]);
        float x = sampleCoefficient * sample[i] - d0Coefficient * prediction[i];
        sample[i] = heun ? x + d1Coefficient * d1 : x - d1Coefficient * d1;
      }
    }
    if (lowerOrderNums < 2) {
      lowerOrderNums++;
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
    float alpha = alphaOf(sigma);
    float sigmaT = sigma * alpha;
    for (int i = 0; i < original.length; i++) {
      original[i] = alpha * original[i] + sigmaT * noise[i];
    }
  }

  @Override
  public void beginAt(int index) {
    Schedulers.checkIndex(index, timesteps.length);
    previousPrediction = null;
    lowerOrderNums = 0;
  }
}

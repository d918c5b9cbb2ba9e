package dev.muse4j.onnx.internal.diffusion;

/**
 * The arithmetic the schedulers share: the training noise schedule in float32 as PyTorch computes it, and the few
 * numpy routines diffusers builds timesteps with, in float64 as numpy computes them. Stateless.
 */
final class NoiseSchedule {
  private NoiseSchedule() {}

  /**
   * The cumulative products of {@code 1 - beta} (diffusers' {@code alphas_cumprod}), float32.
   *
   * @param trainSteps num_train_timesteps
   * @param betaStart beta_start
   * @param betaEnd beta_end
   * @param schedule linear, scaled_linear or squaredcos_cap_v2
   * @return one value per training timestep
   */
  static float[] alphasCumprod(int trainSteps, double betaStart, double betaEnd, String schedule) {
    float[] betas = switch (schedule) {
      case "linear" -> torchLinspace(betaStart, betaEnd, trainSteps);
      case "scaled_linear" -> {
        float[] roots = torchLinspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), trainSteps);
        for (int i = 0; i < roots.length; i++) {
          roots[i] = roots[i] * roots[i];
        }
        yield roots;
      }
      case "squaredcos_cap_v2" -> cosineBetas(trainSteps);
      default -> throw new IllegalArgumentException("beta_schedule: unsupported " + schedule);
    };
    // torch.cumprod on CPU multiplies in double and rounds each partial product to float
    float[] cumprod = new float[trainSteps];
    double product = 1;
    for (int i = 0; i < trainSteps; i++) {
      product *= 1f - betas[i];
      cumprod[i] = (float) product;
    }
    return cumprod;
  }

  /**
   * {@code torch.linspace(start, end, n, dtype=float32)} as PyTorch 1.13's CPU kernel computes it with AVX2: the
   * step in float, blocks of 8 from a fused multiply-add base plus {@code k × step}, the first half counted from
   * {@code start}, the second from {@code end}, and a scalar tail.
   */
  static float[] torchLinspace(double startValue, double endValue, int n) {
    float start = (float) startValue;
    float end = (float) endValue;
    float[] out = new float[n];
    if (n == 1) {
      out[0] = start;
      return out;
    }
    float step = (end - start) / (float) (n - 1);
    int halfway = n / 2;
    int vectorised = n - n % 8;
    for (int idx = 0; idx < vectorised; idx += 8) {
      float base = linspaceAt(start, end, step, halfway, n, idx);
      for (int k = 0; k < 8; k++) {
        out[idx + k] = base + k * step;
      }
    }
    for (int idx = vectorised; idx < n; idx++) {
      out[idx] = linspaceAt(start, end, step, halfway, n, idx);
    }
    return out;
  }

  private static float linspaceAt(float start, float end, float step, int halfway, int n, int idx) {
    return idx < halfway ? Math.fma(step, (float) idx, start) : Math.fma(-step, (float) (n - idx - 1), end);
  }

  /** diffusers' {@code betas_for_alpha_bar} with the cosine transform, in double, rounded to float. */
  private static float[] cosineBetas(int trainSteps) {
    float[] betas = new float[trainSteps];
    for (int i = 0; i < trainSteps; i++) {
      double t1 = (double) i / trainSteps;
      double t2 = (double) (i + 1) / trainSteps;
      betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
    }
    return betas;
  }

  private static double cosineAlphaBar(double t) {
    double c = StrictMath.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }

  /**
   * {@code alphas_cumprod[t]} with Python's indexing: a negative {@code t} counts from the end (diffusers can reach
   * {@code -1} in a trailing schedule whose numpy range came out one longer than asked).
   */
  static float at(float[] values, long t) {
    return values[(int) (t < 0 ? values.length + t : t)];
  }

  /** {@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5} in float32: the Karras sigma of each train step. */
  static float[] trainSigmas(float[] alphasCumprod) {
    float[] sigmas = new float[alphasCumprod.length];
    for (int i = 0; i < sigmas.length; i++) {
      float a = alphasCumprod[i];
      sigmas[i] = (float) Math.sqrt((1f - a) / a);
    }
    return sigmas;
  }

  /** {@code numpy.arange(start, stop, step)} in float64: numpy's length, and {@code start + i × delta}. */
  static double[] arange(double start, double stop, double step) {
    double length = Math.ceil((stop - start) / step);
    int n = length > 0 ? (int) length : 0;
    double[] out = new double[n];
    if (n > 0) {
      out[0] = start;
    }
    if (n > 1) {
      out[1] = start + step;
      double delta = out[1] - start;
      for (int i = 2; i < n; i++) {
        out[i] = start + i * delta;
      }
    }
    return out;
  }

  /** {@code numpy.linspace(start, stop, num, endpoint)} in float64. */
  static double[] linspace(double start, double stop, int num, boolean endpoint) {
    double[] out = new double[num];
    int div = endpoint ? num - 1 : num;
    double delta = stop - start;
    double step = delta / div;
    for (int i = 0; i < num; i++) {
      out[i] = (div > 0 ? (step == 0 ? i / (double) div * delta : i * step) : i * delta) + start;
    }
    if (endpoint && num > 1) {
      out[num - 1] = stop;
    }
    return out;
  }

  /** {@code numpy.interp(x, arange(len(fp)), fp)} in float64. */
  static double interp(double x, float[] fp) {
    int last = fp.length - 1;
    if (Double.isNaN(x)) {
      return x;
    }
    if (x < 0) {
      return fp[0];
    }
    if (x >= last) {
      return fp[last];
    }
    int j = (int) Math.floor(x);
    if (j == x) {
      return fp[j];
    }
    double slope = (double) fp[j + 1] - fp[j]; // over xp[j + 1] - xp[j] = 1
    return slope * (x - j) + fp[j];
  }

  /** numpy's {@code round}: to the nearest integer, halves to even. */
  static long round(double x) {
    return (long) Math.rint(x);
  }

  /** Reverses an array in place and returns it. */
  static long[] reversed(long[] values) {
    for (int i = 0, j = values.length - 1; i < j; i++, j--) {
      long t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }

  /** The timesteps as floats, for {@link Scheduler#timesteps()}. */
  static float[] asFloats(long[] timesteps) {
    float[] out = new float[timesteps.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = timesteps[i];
    }
    return out;
  }

  /**
   * The integer schedule DDIM, PNDM's base and LCM's relatives share ({@code set_timesteps} of DDIM), descending.
   *
   * @param spacing leading, trailing or linspace
   * @param trainSteps num_train_timesteps
   * @param steps the inference steps
   * @param offset steps_offset (leading only)
   * @return the timesteps, highest first
   */
  static long[] integerTimesteps(String spacing, int trainSteps, int steps, int offset) {
    return switch (spacing) {
      case "linspace" -> {
        double[] x = linspace(0, trainSteps - 1, steps, true);
        long[] t = new long[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = round(x[steps - 1 - i]);
        }
        yield t;
      }
      case "leading" -> {
        int ratio = trainSteps / steps;
        long[] t = new long[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (long) (steps - 1 - i) * ratio + offset;
        }
        yield t;
      }
      case "trailing" -> {
        double[] x = arange(trainSteps, 0, -((double) trainSteps / steps));
        long[] t = new long[x.length];
        for (int i = 0; i < x.length; i++) {
          t[i] = round(x[i]) - 1;
        }
        yield t;
      }
      default -> throw new IllegalArgumentException("timestep_spacing: unsupported " + spacing);
    };
  }
}

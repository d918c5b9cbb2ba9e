package dev.muse4j;

import dev.muse4j.internal.Checks;
import dev.muse4j.spi.TorchGenerator;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point in a picture model's latent space: the numbers a GAN generator turns into a picture. Store it (as
 * {@link #values()}) and give it back with {@link ImageRequest.Builder#latents(List)} to make the same picture
 * again, exactly; breed new ones with {@link #slerp}, {@link #mix} and {@link #mutate}.
 *
 * <pre>{@code
 * Latent cat = Latent.random(7, 100);
 * Latent dog = Latent.random(8, 100);
 * Latent kitten = Latent.slerp(cat, dog, 0.25).mutate(99, 0.1);
 * Image picture = generator.generate(ImageRequest.builder().latents(List.of(kitten)).build()).image();
 * }</pre>
 *
 * <p>Immutable and thread-safe: every array in or out is copied. Values are always finite.
 *
 * @since 0.2.0
 */
public final class Latent {
  /** The largest dimension accepted. */
  public static final int MAX_DIMENSION = 1 << 20;
  /** Below this, {@code sin θ} counts as zero and {@link #slerp} interpolates linearly. */
  private static final double PARALLEL = 1e-6;

  private final float[] values;

  private Latent(float[] values) {
    this.values = values;
  }

  /**
   * A latent with the given values.
   *
   * @param values 1 to {@value #MAX_DIMENSION} finite numbers; copied
   * @return the latent
   * @throws InvalidRequestException if a value is NaN or infinite, or there are none or too many
   */
  public static Latent of(float... values) {
    Checks.notNull(values, "values");
    checkDimension(values.length);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new InvalidRequestException("latent", "Latent value " + i + " is " + values[i]
            + "; every value must be a finite number.");
      }
    }
    return new Latent(values.clone());
  }

  /**
   * The latent a local GAN engine uses for a seed: the same numbers, bit for bit, as
   * {@code torch.randn([1, dimension], generator=torch.Generator("cpu").manual_seed(seed))} in PyTorch on x86 with
   * AVX2 (its default CPU kernel there). How they are drawn:
   *
   * <ul>
   *   <li>mt19937 seeded with the low 32 bits of {@code seed}; a uniform float is the low 24 bits of one 32-bit draw
   *       times 2<sup>-24</sup>.</li>
   *   <li>16 values or more: {@code dimension} uniforms, then Box–Muller in float32 on each whole block {@code d} of
   *       16 ({@code u1 = 1 - d[j]}, {@code u2 = d[j + 8]}, {@code r = sqrt(-2 log u1)}, {@code θ = 6.2831855f · u2},
   *       {@code d[j] = r cos θ}, {@code d[j + 8] = r sin θ} for {@code j} 0 to 7), where log, cos and sin are the
   *       single-precision Cephes polynomials of PyTorch's {@code avx_mathfun.h} ({@code log256_ps},
   *       {@code sincos256_ps}) evaluated with the fused multiply-adds of PyTorch's compiled kernel, not libm; when
   *       {@code dimension} is not a multiple of 16, the last 16 values are then redrawn from 16 fresh uniforms and
   *       transformed as one block.</li>
   *   <li>Fewer than 16: one at a time, Box–Muller in double precision from 53-bit uniforms (two 32-bit draws each),
   *       the sine of each pair kept for the next value, rounded to float.</li>
   * </ul>
   *
   * <p>PyTorch on a CPU without AVX2 (or with {@code ATEN_CPU_CAPABILITY=default}) transforms with libm's float
   * {@code logf}, {@code cosf} and {@code sinf} instead; its values then differ from these by up to about 2.3e-6. The
   * fused multiply-adds are those GCC makes of PyTorch's kernel (checked against Debian's PyTorch 1.13.1); a build
   * whose compiler fuses none differs in the last bit or two of about 1 % of the values.
   *
   * @param seed the seed
   * @param dimension the model's latent size, 1 to {@value #MAX_DIMENSION}
   * @return standard normal values
   */
  public static Latent random(long seed, int dimension) {
    checkDimension(dimension);
    return new Latent(new TorchGenerator(seed).randn(dimension));
  }

  /**
   * The latent a local GAN engine uses for a seed when the model was trained on uniform noise: {@code 2 u - 1} for
   * {@code u = torch.rand([1, dimension], generator=torch.Generator("cpu").manual_seed(seed))}.
   *
   * @param seed the seed
   * @param dimension the model's latent size, 1 to {@value #MAX_DIMENSION}
   * @return values in [-1, 1)
   */
  public static Latent randomUniform(long seed, int dimension) {
    checkDimension(dimension);
    float[] u = new TorchGenerator(seed).rand(dimension);
    for (int i = 0; i < u.length; i++) {
      u[i] = 2 * u[i] - 1;
    }
    return new Latent(u);
  }

  /**
   * Spherical interpolation: with {@code θ = arccos(â·b̂)},
   * {@code slerp(a, b, t) = sin((1−t)θ)/sin θ · a + sin(tθ)/sin θ · b}, falling back to linear interpolation when
   * {@code sin θ} is about zero. Along the way the length stays close to the parents', so the pictures stay as
   * crisp as the parents (a straight line between two normal latents passes through blander, shorter ones).
   *
   * @param a the picture at {@code t = 0}
   * @param b the picture at {@code t = 1}
   * @param t where to stop, usually 0 to 1 (values outside extrapolate)
   * @return exactly {@code a} at {@code t = 0} and exactly {@code b} at {@code t = 1}
   * @throws InvalidRequestException if the dimensions differ or {@code t} is not finite
   */
  public static Latent slerp(Latent a, Latent b, double t) {
    Latent end = endpoint(a, b, t);
    if (end != null) {
      return end;
    }
    double na = a.norm();
    double nb = b.norm();
    double wa = 1 - t;
    double wb = t;
    if (na > 0 && nb > 0) {
      double dot = 0;
      for (int i = 0; i < a.values.length; i++) {
        dot += (double) a.values[i] * b.values[i];
      }
      double theta = Math.acos(Math.max(-1, Math.min(1, dot / (na * nb))));
      double sin = Math.sin(theta);
      if (sin > PARALLEL) {
        wa = Math.sin((1 - t) * theta) / sin;
        wb = Math.sin(t * theta) / sin;
      }
    }
    float[] out = new float[a.values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (wa * a.values[i] + wb * b.values[i]);
    }
    return checked(out);
  }

  /**
   * The frames of a morph: {@code frames} latents stepping evenly from {@code a} to {@code b} by {@link #slerp},
   * both ends included.
   *
   * @param a the first frame
   * @param b the last frame
   * @param frames at least 2
   * @return the latents, in order
   * @throws InvalidRequestException if the dimensions differ or there are fewer than 2 frames
   */
  public static List<Latent> morph(Latent a, Latent b, int frames) {
    sameDimension(a, b);
    if (frames < 2) {
      throw new InvalidRequestException("frames", "A morph has both ends, so at least 2 frames, but " + frames
          + " were asked for.");
    }
    List<Latent> out = new java.util.ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      out.add(slerp(a, b, i == frames - 1 ? 1.0 : (double) i / (frames - 1)));
    }
    return List.copyOf(out);
  }

  /**
   * Linear interpolation {@code (1 − t) a + t b}.
   *
   * @param a the picture at {@code t = 0}
   * @param b the picture at {@code t = 1}
   * @param t where to stop
   * @return the latent; exactly {@code a} at 0 and {@code b} at 1
   * @throws InvalidRequestException if the dimensions differ or {@code t} is not finite
   */
  public static Latent lerp(Latent a, Latent b, double t) {
    Latent end = endpoint(a, b, t);
    if (end != null) {
      return end;
    }
    float[] out = new float[a.values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((1 - t) * a.values[i] + t * b.values[i]);
    }
    return checked(out);
  }

  /**
   * Checks an interpolation's arguments; returns the parent itself at {@code t = 0} or {@code t = 1}, so that the ends
   * are exact, and null in between.
   */
  private static @Nullable Latent endpoint(Latent a, Latent b, double t) {
    sameDimension(a, b);
    if (!Double.isFinite(t)) {
      throw new InvalidRequestException("t", "The interpolation point t must be finite but was " + t + ".");
    }
    return t == 0 ? a : t == 1 ? b : null;
  }

  /**
   * A weighted mix of several parents. The weights are proportions (they are divided by their sum, so
   * {@code 3, 1} means three quarters of the first parent), and the mixed point is scaled back to the weighted mean
   * of the parents' lengths: an average of independent normal latents is shorter than any of them and draws a
   * blander picture, which the rescaling avoids. One parent with any positive weight gives that parent back.
   *
   * @param parents one or more latents of the same dimension
   * @param weights one finite, non-negative weight per parent, not all zero
   * @return the mix
   * @throws InvalidRequestException if the counts or dimensions differ, or a weight is negative, NaN or infinite, or
   *     all are zero
   */
  public static Latent mix(List<Latent> parents, double... weights) {
    Checks.notNull(parents, "parents");
    Checks.notNull(weights, "weights");
    if (parents.isEmpty()) {
      throw new InvalidRequestException("parents", "A mix needs at least one parent.");
    }
    if (parents.size() != weights.length) {
      throw new InvalidRequestException("weights", "A mix needs one weight per parent but got " + weights.length
          + " weights for " + parents.size() + " parents.");
    }
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!Double.isFinite(weights[i]) || weights[i] < 0) {
        throw new InvalidRequestException("weights", "Weight " + i + " is " + weights[i]
            + "; weights must be finite and not negative.");
      }
      sum += weights[i];
    }
    if (sum == 0) {
      throw new InvalidRequestException("weights", "All weights are zero; give at least one parent a positive "
          + "weight.");
    }
    Latent first = Checks.notNull(parents.get(0), "parent 0");
    int n = first.values.length;
    double[] mixed = new double[n];
    double length = 0;
    for (int p = 0; p < parents.size(); p++) {
      Latent parent = Checks.notNull(parents.get(p), "parent " + p);
      sameDimension(first, parent);
      double w = weights[p] / sum;
      if (w == 1) {
        return parent;
      }
      for (int i = 0; i < n; i++) {
        mixed[i] += w * parent.values[i];
      }
      length += w * parent.norm();
    }
    double norm = 0;
    for (double v : mixed) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double scale = norm > 1e-12 ? length / norm : 1;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (mixed[i] * scale);
    }
    return checked(out);
  }

  /**
   * A mutation: this latent plus {@code amount} times the standard normal noise of another seed
   * ({@link #random(long, int)}). Small amounts (0.1 to 0.3) keep the picture recognisable; 1 or more changes it
   * a lot.
   *
   * @param seed the noise's seed
   * @param amount how much noise, finite
   * @return the mutated latent; this one when {@code amount} is 0
   * @throws InvalidRequestException if {@code amount} is not finite
   */
  public Latent mutate(long seed, double amount) {
    if (!Double.isFinite(amount)) {
      throw new InvalidRequestException("amount", "The mutation amount must be finite but was " + amount + ".");
    }
    if (amount == 0) {
      return this;
    }
    float[] noise = new TorchGenerator(seed).randn(values.length);
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (values[i] + amount * noise[i]);
    }
    return checked(out);
  }

  /**
   * The size of the vector.
   *
   * @return the dimension
   */
  public int dimension() {
    return values.length;
  }

  /**
   * A copy of the values, to store or to send.
   *
   * @return the values
   */
  public float[] values() {
    return values.clone();
  }

  /**
   * One value.
   *
   * @param index from 0
   * @return the value
   */
  public float get(int index) {
    return values[Objects.checkIndex(index, values.length)];
  }

  /**
   * The Euclidean length.
   *
   * @return the length
   */
  public double norm() {
    double s = 0;
    for (float v : values) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  /** Equal when every value is equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Latent && Arrays.equals(((Latent) o).values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Latent[").append(values.length).append(": ");
    for (int i = 0; i < Math.min(4, values.length); i++) {
      s.append(i > 0 ? ", " : "").append(values[i]);
    }
    return s.append(values.length > 4 ? ", ...]" : "]").toString();
  }

  private static Latent checked(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new InvalidRequestException("latent", "The result has a value of " + v
            + "; the inputs are too large.");
      }
    }
    return new Latent(values);
  }

  private static void checkDimension(int dimension) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new InvalidRequestException("latent", "A latent needs 1 to " + MAX_DIMENSION + " values but has "
          + dimension + ".");
    }
  }

  private static void sameDimension(Latent a, Latent b) {
    Checks.notNull(a, "a");
    Checks.notNull(b, "b");
    if (a.values.length != b.values.length) {
      throw new InvalidRequestException("latent", "The latents have different dimensions, " + a.values.length
          + " and " + b.values.length + "; they must come from the same model.");
    }
  }
}

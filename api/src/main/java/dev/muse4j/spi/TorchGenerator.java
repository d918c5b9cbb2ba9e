package dev.muse4j.spi;

import dev.muse4j.internal.Checks;

/**
 * PyTorch's CPU random generator: a 32-bit Mersenne Twister (mt19937) seeded as {@code manual_seed(seed)} seeds it,
 * with {@code torch.randn} and {@code torch.rand} for float32 tensors drawn exactly as PyTorch draws them, so the same
 * seed gives the same numbers in Java and in Python, bit for bit.
 *
 * <ul>
 *   <li>A uniform float is the low 24 bits of one 32-bit draw times 2<sup>-24</sup> ({@link #rand(int)}).</li>
 *   <li>{@link #randn(int)} for 16 values or more is PyTorch's vectorised float32 kernel ({@code normal_fill_AVX2} in
 *       {@code aten/src/ATen/native/cpu/DistributionTemplates.h}, which x86 CPUs with AVX2 run): it fills the tensor
 *       with {@code n} uniforms, then turns each whole block of 16 into normals with Box–Muller, lane {@code j} (0 to
 *       7) of a block {@code d} taking {@code u1 = 1 - d[j]}, {@code u2 = d[j + 8]}, {@code r = sqrt(-2 log u1)},
 *       {@code θ = 2πu2} and writing {@code d[j] = r cos θ}, {@code d[j + 8] = r sin θ}. When {@code n} is not a
 *       multiple of 16, 16 fresh uniforms then overwrite the last 16 values (so these overlap the last whole block)
 *       and are transformed as one more block. Everything is float32, and log, sin and cos are not libm's but the
 *       Cephes polynomials of PyTorch's {@code avx_mathfun.h} ({@code log256_ps}, {@code sincos256_ps}), evaluated
 *       with the fused multiply-adds the compiled kernel uses (the source's {@code cephesLog} and
 *       {@code cephesSinCosBits} spell out the exact operations). {@code 2π} is the float 6.2831855; {@code r} is the
 *       correctly rounded float square root; each remaining product is rounded to float; a zero result is +0.</li>
 *   <li>Fewer than 16 values are drawn one at a time from double-precision Box–Muller pairs, the second of each pair
 *       kept for the next draw, as PyTorch's scalar path does ({@code at::normal_distribution<double>}), then rounded
 *       to float.</li>
 * </ul>
 *
 * <p>Checked against Debian's PyTorch 1.13.1 (x86-64, AVX2 kernel, built by GCC 12): every value equal, bit for bit,
 * over more than ten million draws. Caveats: PyTorch on a CPU without AVX2, or run with
 * {@code ATEN_CPU_CAPABILITY=default}, transforms the blocks with libm's float {@code logf}, {@code cosf} and
 * {@code sinf} instead, and about 38 % of its values then differ from these by up to 2.3e-6. And which multiply-adds
 * are fused is the compiler's choice, not the C source's: GCC fuses them as above; a PyTorch built by a compiler that
 * fuses none (the C source read literally) differs from these in the last bit or two of about 1 % of the values (up
 * to 4.8e-7).
 *
 * <p>Engines draw all their seeded noise from it (starting latents, a scheduler's step noise, a posterior sample), so
 * that a seed gives the numbers PyTorch gives and users can compare with Python tools; {@link
 * dev.muse4j.Latent#random(long, int)} is the same draw for application code.
 *
 * <p>Not thread-safe: one generator per generation, as in PyTorch.
 *
 * @since 0.2.0
 */
public final class TorchGenerator {
  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7fffffff;
  private static final double TWO_PI = 2.0 * Math.PI;

  // The vectorised kernel's constants (Cephes' single-precision logf, sinf and cosf coefficients), each the float
  // nearest to the double nearest to the decimal, as C converts a float initialiser.
  /** 2π rounded to float, as the kernel broadcasts {@code 2.0f * pi<double>}: 6.2831855f. */
  private static final float TWO_PI_F = (float) (2.0 * Math.PI);
  private static final float SQRT_HALF = (float) 0.707106781186547524;
  private static final int SQRT_HALF_BITS = Float.floatToRawIntBits(SQRT_HALF);
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);
  private static final float LOG_P0 = (float) 7.0376836292E-2;
  private static final float LOG_P1 = (float) -1.1514610310E-1;
  private static final float LOG_P2 = (float) 1.1676998740E-1;
  private static final float LOG_P3 = (float) -1.2420140846E-1;
  private static final float LOG_P4 = (float) 1.4249322787E-1;
  private static final float LOG_P5 = (float) -1.6668057665E-1;
  private static final float LOG_P6 = (float) 2.0000714765E-1;
  private static final float LOG_P7 = (float) -2.4999993993E-1;
  private static final float LOG_P8 = (float) 3.3333331174E-1;
  /** ln 2 split in two: {@code Q2 + Q1} (Q2 = 0.693359375 is exact in few bits). */
  private static final float LOG_Q1 = (float) -2.12194440e-4;
  private static final float LOG_Q2 = (float) 0.693359375;
  private static final float FOUR_OVER_PI = (float) 1.27323954473516;
  /** −π/4 split in three, for an extended-precision range reduction. */
  private static final float MINUS_DP1 = (float) -0.78515625;
  private static final float MINUS_DP2 = (float) -2.4187564849853515625e-4;
  private static final float MINUS_DP3 = (float) -3.77489497744594108e-8;
  private static final float SIN_S0 = (float) -1.9515295891E-4;
  private static final float SIN_S1 = (float) 8.3321608736E-3;
  private static final float SIN_S2 = (float) -1.6666654611E-1;
  private static final float COS_C0 = (float) 2.443315711809948E-005;
  private static final float COS_C1 = (float) -1.388731625493765E-003;
  private static final float COS_C2 = (float) 4.166664568298827E-002;

  private final int[] state = new int[N];
  /** How many leading state words are seeded: the rest are seeded when a draw first needs them. */
  private int seeded;
  private int next;
  private boolean hasCachedNormal;
  private double cachedNormal;

  /**
   * A generator as {@code torch.Generator("cpu").manual_seed(seed)} makes it.
   *
   * @param seed the seed; like PyTorch, only its low 64 bits matter, and mt19937 takes the low 32
   */
  public TorchGenerator(long seed) {
    state[0] = (int) seed;
    seeded = 1;
    next = N;
  }

  /**
   * The next 32-bit draw, as PyTorch's {@code random()}.
   *
   * @return 32 random bits
   */
  public int nextInt32() {
    if (next >= N) {
      next = 0;
    }
    int i = next++;
    twist(i);
    int y = state[i];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /**
   * Regenerates state word {@code i}, as the textbook whole-state twist does at index {@code i}. Done one word at a
   * time, just before it is read, in index order: word {@code i} reads the old words {@code i} and {@code i + 1}
   * (word 0 already new, for {@code i = N - 1}) and word {@code (i + M) mod N} (new once it wrapped, as in the
   * textbook loop), so the values are the textbook's, and a short draw (a latent of 100) skips most of the twist.
   */
  private void twist(int i) {
    // the first pass reads state[i + M] (and state[i + 1] below it) unseeded-until-now; a latent of 100 values
    // needs 513 of the 624 words, so seeding lazily skips the serial recurrence for the rest
    int need = Math.min(i + M, N - 1);
    if (need >= seeded) {
      seed(need);
    }
    int y = (state[i] & UPPER_MASK) | (state[i + 1 < N ? i + 1 : 0] & LOWER_MASK);
    state[i] = state[i + M < N ? i + M : i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }

  /**
   * A 64-bit draw, as PyTorch's {@code random64()}: two 32-bit draws, the first in the high half.
   *
   * @return 64 random bits
   */
  private void seed(int last) {
    int[] s = state;
    for (int j = seeded; j <= last; j++) {
      int prev = s[j - 1];
      s[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
    }
    seeded = last + 1;
  }

  public long nextLong64() {
    long hi = nextInt32() & 0xffffffffL;
    long lo = nextInt32() & 0xffffffffL;
    return (hi << 32) | lo;
  }

  /**
   * A uniform float in [0, 1), as PyTorch draws one for a float32 tensor.
   *
   * @return the value
   */
  public float nextUniformFloat() {
    return (float) ((nextInt32() & 0xffffff) * 0x1.0p-24);
  }

  /**
   * A uniform double in [0, 1), from 53 bits of a 64-bit draw, as PyTorch's scalar paths draw one.
   *
   * @return the value
   */
  public double nextUniformDouble() {
    return (nextLong64() & ((1L << 53) - 1)) * 0x1.0p-53;
  }

  /**
   * {@code torch.rand(n)} in float32.
   *
   * @param n the count
   * @return the values
   */
  public float[] rand(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = nextUniformFloat();
    }
    return out;
  }

  /**
   * {@code torch.randn(n)} in float32: a tensor of {@code n} values (any shape with that many elements, in row-major
   * order).
   *
   * @param n the count
   * @return the values
   */
  public float[] randn(int n) {
    float[] out = new float[n];
    randn(out, 0, n);
    return out;
  }

  /**
   * Fills {@code out[offset .. offset + n)} as {@code torch.randn(n)} would.
   *
   * @param out the array
   * @param offset where to start
   * @param n the count
   */
  public void randn(float[] out, int offset, int n) {
    java.util.Objects.checkFromIndexSize(offset, n, Checks.notNull(out, "out").length);
    if (n < 16) {
      for (int i = 0; i < n; i++) {
        out[offset + i] = (float) nextNormalDouble();
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      out[offset + i] = nextUniformFloat();
    }
    for (int i = 0; i + 16 <= n; i += 16) {
      boxMuller16(out, offset + i);
    }
    if (n % 16 != 0) {
      int start = offset + n - 16;
      for (int i = 0; i < 16; i++) {
        out[start + i] = nextUniformFloat();
      }
      boxMuller16(out, start);
    }
  }

  /**
   * Turns the 16 uniforms at {@code d[at .. at + 16)} into 16 normals in place, with the float32 arithmetic of
   * PyTorch's AVX2 kernel: lane {@code j} (0 to 7) takes {@code u1 = 1 - d[at + j]} and {@code u2 = d[at + j + 8]},
   * and writes {@code r cos θ} to {@code d[at + j]} and {@code r sin θ} to {@code d[at + j + 8]}, where
   * {@code r = sqrt(-2 · log(u1))}, {@code θ = TWO_PI · u2}, {@code log} is {@link #cephesLog} and cos/sin come from
   * {@link #cephesSinCosBits}. Each product is rounded to float; the final {@code + 0f} is the kernel's
   * {@code fma(n, std = 1, mean = 0)}, which changes nothing but turns a −0 into +0.
   */
  private static void boxMuller16(float[] d, int at) {
    for (int j = 0; j < 8; j++) {
      float u1 = 1f - d[at + j];
      float theta = TWO_PI_F * d[at + j + 8];
      float radius = (float) Math.sqrt(-2f * cephesLog(u1));
      long sinCos = cephesSinCosBits(theta);
      d[at + j] = radius * Float.intBitsToFloat((int) sinCos) + 0f;
      d[at + j + 8] = radius * Float.intBitsToFloat((int) (sinCos >>> 32)) + 0f;
    }
  }

  /**
   * The natural logarithm as PyTorch's AVX2 kernel computes it for {@code x} in (0, 1] (Cephes' {@code logf}
   * polynomial, in the FMA-contracted form the compiled kernel evaluates; the kernel's guards for {@code x <= 0} and
   * subnormals never apply to {@code 1 - u}, which is at least 2<sup>-24</sup>):
   *
   * <ol>
   *   <li>Split {@code x = m · 2^(k + 1)} with {@code m} in [0.5, 1) by its bits; {@code e = float(k) + 1}.</li>
   *   <li>If {@code m < 0.70710677f} ({@code √½} in float): {@code e = e - 1}, {@code t = (m - 1) + m};
   *       else {@code t = m - 1}.</li>
   *   <li>{@code z = t · t}; {@code p = P0}, then {@code p = fma(p, t, Pi)} for {@code i = 1 .. 8}.</li>
   *   <li>{@code y = fma(p · t, z, e · Q1)}; {@code y = fma(-z, 0.5, y)}; {@code result = fma(e, Q2, t + y)}.</li>
   * </ol>
   */
  static float cephesLog(float x) {
    int bits = Float.floatToRawIntBits(x);
    float e = (float) ((bits >>> 23) - 127) + 1f;
    int mBits = (bits & 0x007fffff) | 0x3f000000;
    float m = Float.intBitsToFloat(mBits);
    // branch-free, as the kernel's masks are (m is positive, so comparing bits compares values): all ones if m < √½
    int low = (mBits - SQRT_HALF_BITS) >> 31;
    e = e - Float.intBitsToFloat(ONE_BITS & low);
    float t = (m - 1f) + Float.intBitsToFloat(mBits & low);
    float z = t * t;
    float p = Math.fma(LOG_P0, t, LOG_P1);
    p = Math.fma(p, t, LOG_P2);
    p = Math.fma(p, t, LOG_P3);
    p = Math.fma(p, t, LOG_P4);
    p = Math.fma(p, t, LOG_P5);
    p = Math.fma(p, t, LOG_P6);
    p = Math.fma(p, t, LOG_P7);
    p = Math.fma(p, t, LOG_P8);
    float y = Math.fma(p * t, z, e * LOG_Q1);
    y = Math.fma(-z, 0.5f, y);
    return Math.fma(e, LOG_Q2, t + y);
  }

  /**
   * Sine and cosine of {@code θ ≥ 0} as PyTorch's AVX2 kernel computes them (Cephes' {@code sinf}/{@code cosf}, both
   * from one range reduction, in the FMA-contracted form the compiled kernel evaluates), packed as float bits: the
   * cosine in the low 32 bits, the sine in the high 32.
   *
   * <ol>
   *   <li>{@code k = (int) (θ · FOUR_OVER_PI)} (truncated), rounded up to even: {@code k = (k + 1) & ~1}.</li>
   *   <li>{@code x = fma(float(k), -DP3, fma(float(k), -DP2, fma(float(k), -DP1, θ)))} (π/4 in three parts);
   *       {@code z = x · x}.</li>
   *   <li>{@code c = fma(fma(C0, z, C1), z, C2) · z}; {@code c = fma(c, z, -(z · 0.5)) + 1}.</li>
   *   <li>{@code s = fma(fma(S0, z, S1), z, S2) · z}; {@code s = fma(s, x, x)}.</li>
   *   <li>If {@code k & 2} is 0, sin = s and cos = c, else sin = c and cos = s; the sine's sign is flipped when
   *       {@code k & 4} is set, the cosine's when {@code (k - 2) & 4} is clear.</li>
   * </ol>
   */
  static long cephesSinCosBits(float theta) {
    int k = (int) (theta * FOUR_OVER_PI);
    k = (k + 1) & ~1;
    float kf = k;
    float x = Math.fma(kf, MINUS_DP1, theta);
    x = Math.fma(kf, MINUS_DP2, x);
    x = Math.fma(kf, MINUS_DP3, x);
    float z = x * x;
    float c = Math.fma(Math.fma(COS_C0, z, COS_C1), z, COS_C2) * z;
    c = Math.fma(c, z, -(z * 0.5f)) + 1f;
    float s = Math.fma(Math.fma(SIN_S0, z, SIN_S1), z, SIN_S2) * z;
    s = Math.fma(s, x, x);
    int sBits = Float.floatToRawIntBits(s);
    int cBits = Float.floatToRawIntBits(c);
    int swap = -((k >> 1) & 1); // all ones if k & 2: the polynomials trade places
    int sinBits = ((sBits & ~swap) | (cBits & swap)) ^ ((k & 4) << 29);
    int cosBits = ((cBits & ~swap) | (sBits & swap)) ^ ((~(k - 2) & 4) << 29);
    return ((long) sinBits << 32) | (cosBits & 0xffffffffL);
  }

  /** One standard normal from PyTorch's scalar path: Box–Muller in doubles, the sine kept for the next call. */
  private double nextNormalDouble() {
    if (hasCachedNormal) {
      hasCachedNormal = false;
      return cachedNormal;
    }
    double u1 = nextUniformDouble();
    double u2 = nextUniformDouble();
    double r = Math.sqrt(-2.0 * Math.log1p(-u2));
    double theta = TWO_PI * u1;
    cachedNormal = r * Math.sin(theta);
    hasCachedNormal = true;
    return r * Math.cos(theta);
  }
}

package dev.muse4j.internal;

/**
 * PyTorch's CPU random generator: a 32-bit Mersenne Twister (mt19937) seeded as {@code manual_seed(seed)} seeds it,
 * with {@code torch.randn} and {@code torch.rand} for float32 tensors drawn exactly as PyTorch draws them, so the same
 * seed gives the same numbers in Java and in Python.
 *
 * <ul>
 *   <li>A uniform float is the low 24 bits of one 32-bit draw times 2<sup>-24</sup>.</li>
 *   <li>{@link #randn(int)} for 16 values or more fills the tensor with uniforms, then turns each block of 16 into
 *       normals with Box–Muller ({@code u1 = 1 - d[j]}, {@code u2 = d[j + 8]}, {@code r = sqrt(-2 ln u1)},
 *       {@code θ = 2πu2}, {@code d[j] = r cos θ}, {@code d[j + 8] = r sin θ}); when the count is not a multiple of 16,
 *       the last 16 values are recomputed from 16 fresh uniforms.</li>
 *   <li>Fewer than 16 values are drawn one at a time from double-precision Box–Muller pairs, the second of each pair
 *       kept for the next draw, as PyTorch's scalar path does.</li>
 * </ul>
 *
 * <p>Not thread-safe: one generator per generation, as in PyTorch. Public callers reach it through
 * {@link dev.muse4j.Latent#random(long, int)}; engines through the same public method.
 */
public final class TorchGenerator {
  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7fffffff;
  private static final double TWO_PI = 2.0 * Math.PI;

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

  private static void boxMuller16(float[] d, int at) {
    for (int j = 0; j < 8; j++) {
      float u1 = 1 - d[at + j];
      float u2 = d[at + j + 8];
      float radius = (float) Math.sqrt(-2 * (float) Math.log(u1));
      float theta = (float) (TWO_PI * u2);
      // sin from cos saves one of the three transcendental calls: in double, sqrt(1 - cos²) is within 1e-8 of
      // sin θ (its sign is that of π − θ, θ being in [0, 2π)), far below float32 resolution where it matters
      double cos = Math.cos(theta);
      double sin = Math.sqrt(Math.max(0, 1 - cos * cos));
      d[at + j] = radius * (float) cos;
      d[at + j + 8] = radius * (float) (theta > Math.PI ? -sin : sin);
    }
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

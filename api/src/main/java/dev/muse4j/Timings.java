package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;

/**
 * How long a text generation took. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Timings {
  private static final Timings UNKNOWN = new Timings(Duration.ZERO, Duration.ZERO, 0);

  private final Duration timeToFirstToken;
  private final Duration total;
  private final int generatedTokens;

  private Timings(Duration timeToFirstToken, Duration total, int generatedTokens) {
    this.timeToFirstToken = timeToFirstToken;
    this.total = total;
    this.generatedTokens = generatedTokens;
  }

  /**
   * Creates a timings record.
   *
   * @param timeToFirstToken from the call until the first generated token (for a local model: the prefill)
   * @param total from the call until the end
   * @param generatedTokens how many tokens were generated
   * @return the timings
   */
  public static Timings of(Duration timeToFirstToken, Duration total, int generatedTokens) {
    Checks.notNull(timeToFirstToken, "timeToFirstToken");
    Checks.notNull(total, "total");
    if (timeToFirstToken.isNegative() || total.isNegative() || generatedTokens < 0) {
      throw new IllegalArgumentException("timings must not be negative");
    }
    return new Timings(timeToFirstToken, total, generatedTokens);
  }

  /**
   * Timings that were not measured.
   *
   * @return all-zero timings
   */
  public static Timings unknown() {
    return UNKNOWN;
  }

  /**
   * From the call until the first generated token.
   *
   * @return the duration
   */
  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  /**
   * From the call until the end.
   *
   * @return the duration
   */
  public Duration total() {
    return total;
  }

  /**
   * How many tokens were generated.
   *
   * @return the count
   */
  public int generatedTokens() {
    return generatedTokens;
  }

  /**
   * Decode speed: tokens after the first, divided by the time after the first token. 0 when it cannot be told.
   *
   * @return tokens per second
   */
  public double tokensPerSecond() {
    long nanos = total.minus(timeToFirstToken).toNanos();
    if (generatedTokens < 2 || nanos <= 0) {
      return 0.0;
    }
    return (generatedTokens - 1) * 1e9 / nanos;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "Timings{ttft=%dms, total=%dms, tokens=%d, %.1f tok/s}",
        timeToFirstToken.toMillis(), total.toMillis(), generatedTokens, tokensPerSecond());
  }
}

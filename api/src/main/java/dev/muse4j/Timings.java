package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a text generation took. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Timings {
  private static final Timings UNKNOWN = new Timings(Duration.ZERO, Duration.ZERO, 0, true);

  private final Duration timeToFirstToken;
  private final Duration total;
  private final int generatedTokens;
  private final boolean firstTokenKnown;

  private Timings(Duration timeToFirstToken, Duration total, int generatedTokens, boolean firstTokenKnown) {
    this.timeToFirstToken = timeToFirstToken;
    this.total = total;
    this.generatedTokens = generatedTokens;
    this.firstTokenKnown = firstTokenKnown;
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
    return new Timings(timeToFirstToken, total, generatedTokens, true);
  }

  /**
   * Creates a timings record whose time to first token is not known: a server that sent the whole answer at once
   * does not say when its first token was ready. {@link #timeToFirstTokenIfKnown()} is then empty and
   * {@link #tokensPerSecond()} is 0.
   *
   * @param total from the call until the end
   * @param generatedTokens how many tokens were generated, or 0 if not known
   * @return the timings
   * @since 0.2.0
   */
  public static Timings ofTotal(Duration total, int generatedTokens) {
    Checks.notNull(total, "total");
    if (total.isNegative() || generatedTokens < 0) {
      throw new IllegalArgumentException("timings must not be negative");
    }
    return new Timings(Duration.ZERO, total, generatedTokens, false);
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
   * @return the duration; zero when it is not known (see {@link #timeToFirstTokenIfKnown()})
   */
  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  /**
   * From the call until the first generated token, if it was measured or reported.
   *
   * @return the duration, or empty for timings made with {@link #ofTotal(Duration, int)}
   * @since 0.2.0
   */
  public Optional<Duration> timeToFirstTokenIfKnown() {
    return firstTokenKnown ? Optional.of(timeToFirstToken) : Optional.empty();
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
   * Decode speed: tokens after the first, divided by the time after the first token. 0 when it cannot be told
   * (fewer than two tokens, or no known time to first token).
   *
   * @return tokens per second
   */
  public double tokensPerSecond() {
    if (!firstTokenKnown) {
      return 0.0;
    }
    long nanos = total.minus(timeToFirstToken).toNanos();
    if (generatedTokens < 2 || nanos <= 0) {
      return 0.0;
    }
    return (generatedTokens - 1) * 1e9 / nanos;
  }

  @Override
  public String toString() {
    if (!firstTokenKnown) {
      return String.format(java.util.Locale.ROOT, "Timings{ttft=unknown, total=%dms, tokens=%d}", total.toMillis(),
          generatedTokens);
    }
    return String.format(java.util.Locale.ROOT, "Timings{ttft=%dms, total=%dms, tokens=%d, %.1f tok/s}",
        timeToFirstToken.toMillis(), total.toMillis(), generatedTokens, tokensPerSecond());
  }
}

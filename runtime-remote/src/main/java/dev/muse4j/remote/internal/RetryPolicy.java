package dev.muse4j.remote.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to retry and how long to wait: connection errors, timeouts, 408, 409, 429 and 5xx are retried, other 4xx
 * never. The server's {@code x-should-retry} decides first; its wait comes from {@code retry-after-ms}, then
 * {@code Retry-After} (seconds or an HTTP date), capped at {@code maxRetryWait}; otherwise the wait backs off as
 * {@code min(0.5 * 2^n, 8)} seconds times a jitter in [0.75, 1]. Immutable; the clock and jitter are injected.
 */
final class RetryPolicy {
  private final int maxRetries;
  private final Duration maxWait;
  private final Clock clock;
  private final DoubleSupplier jitter;

  RetryPolicy(int maxRetries, Duration maxWait, Clock clock, DoubleSupplier jitter) {
    this.maxRetries = maxRetries;
    this.maxWait = maxWait;
    this.clock = clock;
    this.jitter = jitter;
  }

  int maxRetries() {
    return maxRetries;
  }

  static boolean retryableStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** Whether a response with this status and headers is worth retrying at all. */
  static boolean retryable(int status, HttpHeaders headers) {
    Optional<String> should = headers.firstValue("x-should-retry");
    if (should.isPresent()) {
      return should.get().trim().equalsIgnoreCase("true");
    }
    return retryableStatus(status);
  }

  /** The wait before retry number {@code retry} (0 for the first retry) after a response. */
  Duration delay(int retry, HttpHeaders headers) {
    Optional<Duration> asked = serverDelay(headers);
    if (asked.isPresent() && !asked.get().isNegative()) {
      return asked.get().compareTo(maxWait) > 0 ? maxWait : asked.get();
    }
    return backoff(retry);
  }

  /** The wait before retry number {@code retry} after a connection error or timeout. */
  Duration backoff(int retry) {
    double seconds = Math.min(0.5 * Math.pow(2, retry), 8.0) * (0.75 + 0.25 * jitter.getAsDouble());
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  private Optional<Duration> serverDelay(HttpHeaders headers) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      try {
        return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(ms.get().trim()) * 1e6)));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    Optional<String> after = headers.firstValue("retry-after");
    if (after.isEmpty()) {
      return Optional.empty();
    }
    String v = after.get().trim();
    try {
      return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Optional.of(Duration.between(clock.instant(), at.toInstant()));
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}

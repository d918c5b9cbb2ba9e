package dev.muse4j.internal;

import dev.muse4j.InvalidRequestException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Argument checks that raise {@link InvalidRequestException} with a message naming the field. */
public final class Checks {
  /** The longest per-request timeout, in days. */
  public static final int MAX_TIMEOUT_DAYS = 7;

  private Checks() {}

  /** Checks a per-request timeout: positive and at most {@link #MAX_TIMEOUT_DAYS} days. */
  public static Duration timeout(@Nullable Duration timeout) {
    if (timeout == null) {
      throw new InvalidRequestException("timeout", "timeout must not be null; leave it out for no deadline.");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidRequestException("timeout", "timeout must be positive but was " + timeout + "; leave it out "
          + "for no deadline, or give for example Duration.ofSeconds(30).");
    }
    if (timeout.compareTo(Duration.ofDays(MAX_TIMEOUT_DAYS)) > 0) {
      throw new InvalidRequestException("timeout", "timeout must be at most " + MAX_TIMEOUT_DAYS + " days but was "
          + timeout + "; leave it out for no deadline.");
    }
    return timeout;
  }

  /**
   * The API's convention for null arguments: a null where a signature does not say {@code @Nullable} is an
   * {@link InvalidRequestException} naming the argument, raised before any work is done.
   *
   * @param value the argument
   * @param field its name, for the message
   * @param <T> its type
   * @return the value
   */
  public static <T> T notNull(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field, field + " must not be null.");
    }
    return value;
  }

  public static String notBlank(@Nullable String value, String field) {
    return notBlank(value, field, "give it some text, for example \"An ode to the sea\"");
  }

  /**
   * Checks that a string is neither null nor blank.
   *
   * @param value the argument
   * @param field its name, for the message
   * @param hint what to give instead, for the message: "give a backend name, for example ..."
   * @return the value
   */
  public static String notBlank(@Nullable String value, String field, String hint) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field, field + " must not be " + (value == null ? "null" : "empty or blank")
          + "; " + hint + ".");
    }
    return value;
  }

  /** Checks {@code min <= value <= max}; NaN is rejected. */
  public static double inRange(double value, double min, double max, String field, String hint) {
    if (Double.isNaN(value) || value < min || value > max) {
      throw new InvalidRequestException(field, field + " must be between " + fmt(min) + " and " + fmt(max)
          + " but was " + fmt(value) + "." + hint(hint));
    }
    return value;
  }

  /** Checks {@code min < value <= max}; NaN is rejected. */
  public static double inHalfOpenRange(double value, double min, double max, String field, String hint) {
    if (Double.isNaN(value) || value <= min || value > max) {
      throw new InvalidRequestException(field, field + " must be greater than " + fmt(min) + " and at most "
          + fmt(max) + " but was " + fmt(value) + "." + hint(hint));
    }
    return value;
  }

  public static int inRange(int value, int min, int max, String field, String hint) {
    if (value < min || value > max) {
      throw new InvalidRequestException(field, field + " must be between " + min + " and " + max + " but was "
          + value + "." + hint(hint));
    }
    return value;
  }

  private static String hint(String hint) {
    return hint.isEmpty() ? "" : " " + hint;
  }

  public static String fmt(double v) {
    if (v == Double.MAX_VALUE || v == Double.POSITIVE_INFINITY) {
      return "infinity";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

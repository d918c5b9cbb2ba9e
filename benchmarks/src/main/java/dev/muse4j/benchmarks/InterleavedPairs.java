package dev.muse4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Raw/SDK pairs timed back to back in one invocation, their order alternating, so that both sides of a pair see the
 * same background load on a shared machine; the median of the per-pair ratios is the figure to trust. Only pairs
 * from measurement iterations count. One per benchmark state; JMH calls it from one thread.
 */
final class InterleavedPairs {
  private final List<double[]> pairs = new ArrayList<>();
  private boolean warm;
  private int invocation;

  /** Call from a {@code @Setup(Level.Iteration)} method: warm-up pairs are not kept. */
  void iteration(IterationParams iteration) {
    warm = iteration.getType() == IterationType.MEASUREMENT;
  }

  /** Whether this invocation runs the raw side first; alternates. */
  boolean rawFirst() {
    return invocation++ % 2 == 0;
  }

  /** Records one pair: the first and second measurement of an invocation that started as {@link #rawFirst()} said. */
  void add(boolean rawFirst, double first, double second) {
    if (warm) {
      pairs.add(rawFirst ? new double[] {first, second} : new double[] {second, first});
    }
  }

  /** One side of a pair: the work, once; its result goes to JMH so the work is not optimised away. */
  @FunctionalInterface
  interface Side {
    double run() throws Exception;
  }

  /**
   * Times one pair back to back in the order this invocation calls for, and records it.
   *
   * @param raw the raw side
   * @param sdk the SDK side
   * @return the two sides' results, summed, for JMH to consume
   * @throws Exception what a side throws
   */
  double timePair(Side raw, Side sdk) throws Exception {
    boolean rawFirst = rawFirst();
    long a = System.nanoTime();
    double check = (rawFirst ? raw : sdk).run();
    long b = System.nanoTime();
    check += (rawFirst ? sdk : raw).run();
    long c = System.nanoTime();
    add(rawFirst, (b - a) / 1e6, (c - b) / 1e6);
    return check;
  }

  boolean isEmpty() {
    return pairs.isEmpty();
  }

  /**
   * One line: the medians of each side (with the work per second each gives), the median of the per-pair ratios,
   * the ratio of the medians and the range of the pair ratios.
   *
   * @param name the benchmark's name
   * @param work how much work one run does, in {@code unit}s, for the rate; 0 to leave rates out
   * @param unit what the work is counted in, for example {@code "tokens"}
   */
  String summary(String name, double work, String unit) {
    double raw = median(p -> p[0]);
    double sdk = median(p -> p[1]);
    double[] ratios = sorted(p -> p[1] / p[0]);
    String rates = work > 0
        ? String.format(Locale.ROOT, " (%.2f %s/s raw, %.2f %s/s SDK)", work * 1000 / raw, unit, work * 1000 / sdk,
            unit)
        : "";
    return String.format(Locale.ROOT, "%s: %d pairs; raw median %.2f ms, SDK median %.2f ms%s; SDK/raw: median of "
        + "pairs %.3f, ratio of medians %.3f, pairs from %.3f to %.3f", name, pairs.size(), raw, sdk, rates,
        median(ratios), sdk / raw, ratios[0], ratios[ratios.length - 1]);
  }

  /** The median raw time of the pairs kept, in milliseconds. */
  double rawMedian() {
    return median(p -> p[0]);
  }

  /** The median SDK time of the pairs kept, in milliseconds. */
  double sdkMedian() {
    return median(p -> p[1]);
  }

  private double median(ToDoubleFunction<double[]> f) {
    return median(sorted(f));
  }

  private double[] sorted(ToDoubleFunction<double[]> f) {
    return pairs.stream().mapToDouble(f).sorted().toArray();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}

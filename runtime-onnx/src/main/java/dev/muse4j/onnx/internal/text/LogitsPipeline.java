package dev.muse4j.onnx.internal.text;

import dev.muse4j.SamplingConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns logits into the next token, in a fixed order: repetition penalty (tokens seen, prompt included), presence
 * and frequency penalties (generated tokens only, OpenAI semantics), temperature, top-k, top-p, min-p, then a draw
 * from a seeded generator. Temperature 0 means argmax, and so does a temperature so small that its inverse overflows
 * a float (below about 3e-39), which would otherwise turn every weight into NaN. Each stage is a static method tested
 * on its own.
 *
 * <p>Shared by the text engine and the MusicGen engine (one pipeline per generation, drawing each codebook's token in
 * turn).
 *
 * <p>Not thread-safe: one per generation, holding that generation's token counts and random generator.
 */
public final class LogitsPipeline {
  private final int limit;
  private final double temperature;
  private final int topK;
  private final double topP;
  private final double minP;
  private final double repetitionPenalty;
  private final double presencePenalty;
  private final double frequencyPenalty;
  private final SplittableRandom random;
  private final boolean[] seen;
  private final int[] seenIds;
  private int seenCount;
  private final int[] generatedCounts;
  private final int[] generatedIds;
  private int generatedDistinct;
  /** The draw's weights, reused at every step. */
  private final double[] weights;

  /**
   * @param vocabulary the logits width
   * @param limit only ids below this may be drawn (the tokenizer's size when it is smaller than the logits)
   * @param sampling the resolved config
   * @param prompt the prompt's token ids, for the repetition penalty
   * @param seed the random seed
   */
  public LogitsPipeline(int vocabulary, int limit, SamplingConfig sampling, long[] prompt, long seed) {
    this.limit = Math.min(limit, vocabulary);
    this.temperature = sampling.temperature().orElse(1.0);
    this.topK = sampling.topK().orElse(0);
    this.topP = sampling.topP().orElse(1.0);
    this.minP = sampling.minP().orElse(0.0);
    this.repetitionPenalty = sampling.repetitionPenalty().orElse(1.0);
    this.presencePenalty = sampling.presencePenalty().orElse(0.0);
    this.frequencyPenalty = sampling.frequencyPenalty().orElse(0.0);
    this.random = new SplittableRandom(seed);
    this.weights = new double[greedy(temperature) || topK == 1 ? 0 : this.limit];
    boolean repetition = repetitionPenalty != 1.0;
    this.seen = new boolean[repetition ? vocabulary : 0];
    this.seenIds = new int[repetition ? vocabulary : 0];
    boolean additive = presencePenalty != 0.0 || frequencyPenalty != 0.0;
    this.generatedCounts = new int[additive ? vocabulary : 0];
    this.generatedIds = new int[additive ? vocabulary : 0];
    if (repetition) {
      for (long id : prompt) {
        markSeen((int) id);
      }
    }
  }

  private void markSeen(int id) {
    if (id >= 0 && id < seen.length && !seen[id]) {
      seen[id] = true;
      seenIds[seenCount++] = id;
    }
  }

  /**
   * Records a generated token for the penalties.
   *
   * @param id the token
   */
  public void accept(int id) {
    markSeen(id);
    if (generatedCounts.length > 0 && id >= 0 && id < generatedCounts.length) {
      if (generatedCounts[id]++ == 0) {
        generatedIds[generatedDistinct++] = id;
      }
    }
  }

  /**
   * Chooses the next token. {@code logits} is modified.
   *
   * @param logits the logits, at least {@code vocabulary} wide
   * @return the token id
   */
  public int next(float[] logits) {
    if (seen.length > 0) {
      repetitionPenalty(logits, seenIds, seenCount, repetitionPenalty);
    }
    if (generatedCounts.length > 0) {
      presenceFrequencyPenalty(logits, generatedIds, generatedDistinct, generatedCounts, presencePenalty,
          frequencyPenalty);
    }
    if (greedy(temperature) || topK == 1) {
      return argmax(logits, limit);
    }
    temperature(logits, limit, temperature);
    return draw(logits, limit, topK, topP, minP, random, weights);
  }

  /** Divides positive logits of seen tokens by the penalty and multiplies negative ones (CTRL, HF semantics). */
  static void repetitionPenalty(float[] logits, int[] ids, int count, double penalty) {
    for (int i = 0; i < count; i++) {
      int id = ids[i];
      float l = logits[id];
      logits[id] = (float) (l > 0 ? l / penalty : l * penalty);
    }
  }

  /** Subtracts {@code presence} once and {@code frequency} per occurrence for each generated token. */
  static void presenceFrequencyPenalty(float[] logits, int[] ids, int distinct, int[] counts, double presence,
      double frequency) {
    for (int i = 0; i < distinct; i++) {
      int id = ids[i];
      logits[id] -= (float) (presence + frequency * counts[id]);
    }
  }

  /**
   * Whether a temperature means greedy decoding: 0, or so close to 0 that dividing the logits by it overflows a float
   * (its limit is greedy decoding anyway).
   */
  static boolean greedy(double temperature) {
    return temperature == 0.0 || Float.isInfinite((float) (1.0 / temperature));
  }

  static void temperature(float[] logits, int limit, double temperature) {
    float inverse = (float) (1.0 / temperature);
    for (int i = 0; i < limit; i++) {
      logits[i] *= inverse;
    }
  }

  static int argmax(float[] logits, int limit) {
    int best = 0;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < limit; i++) {
      if (logits[i] > max) {
        max = logits[i];
        best = i;
      }
    }
    return best;
  }

  /**
   * Draws from the softmax of {@code logits[0, limit)} after top-k, top-p and min-p truncation. Always keeps at
   * least the most likely token.
   */
  static int draw(float[] logits, int limit, int topK, double topP, double minP, SplittableRandom random) {
    return draw(logits, limit, topK, topP, minP, random, new double[limit]);
  }

  /** {@link #draw(float[], int, int, double, double, SplittableRandom)} with the weights in {@code scratch}. */
  static int draw(float[] logits, int limit, int topK, double topP, double minP, SplittableRandom random,
      double[] scratch) {
    float max = logits[argmax(logits, limit)];
    int[] candidates;
    double[] weights;
    int n;
    if (topK > 0 && topK < limit) {
      candidates = top(logits, limit, topK);
      n = candidates.length;
      weights = weights(logits, candidates, n, max, scratch);
      if (topP < 1.0) {
        n = nucleus(weights, n, sum(weights, n), topP);
      }
    } else if (topP < 1.0) {
      double total = 0;
      for (int i = 0; i < limit; i++) {
        total += Math.exp(logits[i] - max);
      }
      int k = Math.min(limit, 64);
      while (true) {
        candidates = top(logits, limit, k);
        weights = weights(logits, candidates, candidates.length, max, scratch);
        if (sum(weights, candidates.length) >= topP * total || k == limit) {
          break;
        }
        k = Math.min(limit, k * 4);
      }
      n = nucleus(weights, candidates.length, total, topP);
    } else {
      candidates = null;
      n = limit;
      weights = scratch.length >= limit ? scratch : new double[limit];
      for (int i = 0; i < limit; i++) {
        weights[i] = Math.exp(logits[i] - max);
      }
    }
    if (minP > 0.0) {
      double threshold = minP;
      double best = 0;
      for (int i = 0; i < n; i++) {
        best = Math.max(best, weights[i]);
      }
      threshold *= best;
      for (int i = 0; i < n; i++) {
        if (weights[i] < threshold) {
          weights[i] = 0;
        }
      }
    }
    double total = sum(weights, n);
    double r = random.nextDouble() * total;
    int last = 0;
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        last = i;
        r -= weights[i];
        if (r < 0) {
          return candidates == null ? i : candidates[i];
        }
      }
    }
    return candidates == null ? last : candidates[last];
  }

  /** How many of the (descending) weights make up the nucleus: the fewest whose sum reaches {@code p * total}. */
  static int nucleus(double[] weights, int n, double total, double p) {
    double cumulative = 0;
    for (int i = 0; i < n; i++) {
      cumulative += weights[i];
      if (cumulative >= p * total) {
        return i + 1;
      }
    }
    return Math.max(1, n);
  }

  private static double[] weights(float[] logits, int[] ids, int n, float max, double[] scratch) {
    double[] w = scratch.length >= n ? scratch : new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = Math.exp(logits[ids[i]] - max);
    }
    return w;
  }

  private static double sum(double[] w, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += w[i];
    }
    return s;
  }

  /** The ids of the {@code k} largest logits below {@code limit}, largest first (ties: lower id first). */
  static int[] top(float[] logits, int limit, int k) {
    k = Math.min(k, limit);
    int[] heap = new int[k];
    int size = 0;
    for (int i = 0; i < limit; i++) {
      if (size < k) {
        heap[size] = i;
        siftUp(heap, size++, logits);
      } else if (less(heap[0], i, logits)) {
        heap[0] = i;
        siftDown(heap, size, logits);
      }
    }
    // Popping the min-heap yields the ids from the lowest rank up: fill the result from its end.
    int[] out = new int[size];
    for (int j = size - 1; j >= 0; j--) {
      out[j] = heap[0];
      heap[0] = heap[j];
      siftDown(heap, j, logits);
    }
    return out;
  }

  /** Whether id {@code a} ranks below id {@code b}: a smaller logit, or an equal one with a larger id. */
  private static boolean less(int a, int b, float[] logits) {
    return logits[a] < logits[b] || (logits[a] == logits[b] && a > b);
  }

  private static void siftUp(int[] heap, int i, float[] logits) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!less(heap[i], heap[parent], logits)) {
        return;
      }
      int t = heap[i];
      heap[i] = heap[parent];
      heap[parent] = t;
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] logits) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int smallest = i;
      if (l < size && less(heap[l], heap[smallest], logits)) {
        smallest = l;
      }
      if (r < size && less(heap[r], heap[smallest], logits)) {
        smallest = r;
      }
      if (smallest == i) {
        return;
      }
      int t = heap[i];
      heap[i] = heap[smallest];
      heap[smallest] = t;
      i = smallest;
    }
  }
}

package dev.muse4j.samples.custom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Which word follows each run of {@code order} words, with counts. Immutable after training; thread-safe. */
final class MarkovChain {
  static final String END = "\u0000";

  private final int order;
  private final Map<List<String>, Map<String, Integer>> next;

  private MarkovChain(int order, Map<List<String>, Map<String, Integer>> next) {
    this.order = order;
    this.next = next;
  }

  static MarkovChain train(String corpus, int order) {
    Map<List<String>, Map<String, Integer>> next = new HashMap<>();
    for (String line : corpus.split("\n")) {
      List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
      if (line.isBlank()) {
        continue;
      }
      words.add(END);
      for (int i = 0; i < words.size(); i++) {
        for (int k = 0; k <= Math.min(order, i); k++) {
          List<String> context = List.copyOf(words.subList(i - k, i));
          next.computeIfAbsent(context, c -> new LinkedHashMap<>()).merge(words.get(i), 1, Integer::sum);
        }
      }
    }
    return new MarkovChain(order, next);
  }

  int order() {
    return order;
  }

  /**
   * Draws the word after {@code history}, backing off to shorter contexts the corpus has seen. Temperature 0 takes
   * the most frequent word; otherwise counts are raised to {@code 1/temperature}.
   */
  String draw(List<String> history, double temperature, SplittableRandom random) {
    for (int k = Math.min(order, history.size()); k >= 0; k--) {
      Map<String, Integer> options = next.get(history.subList(history.size() - k, history.size()));
      if (options == null) {
        continue;
      }
      if (temperature == 0) {
        return options.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      }
      double total = 0;
      double[] weights = new double[options.size()];
      int i = 0;
      for (int count : options.values()) {
        weights[i] = Math.pow(count, 1.0 / temperature);
        total += weights[i++];
      }
      double pick = random.nextDouble() * total;
      i = 0;
      for (String word : options.keySet()) {
        pick -= weights[i++];
        if (pick <= 0) {
          return word;
        }
      }
      return options.keySet().iterator().next();
    }
    return END;
  }
}

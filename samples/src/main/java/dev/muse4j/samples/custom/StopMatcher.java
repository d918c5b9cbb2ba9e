package dev.muse4j.samples.custom;

import java.util.List;

/**
 * Finds stop strings in streamed text. It holds back any tail that could still grow into a stop string, so a stop
 * string never leaks into the output, even split across pieces. Not thread-safe: one per generation.
 */
final class StopMatcher {
  /** What may be emitted now, and whether a stop string ended the text. */
  static final class Step {
    private final String safeText;
    private final boolean stopped;

    Step(String safeText, boolean stopped) {
      this.safeText = safeText;
      this.stopped = stopped;
    }

    String safeText() {
      return safeText;
    }

    boolean stopped() {
      return stopped;
    }
  }

  private final List<String> stops;
  private final StringBuilder pending = new StringBuilder();

  StopMatcher(List<String> stops) {
    this.stops = stops;
  }

  Step accept(String piece) {
    pending.append(piece);
    int cut = -1;
    for (String stop : stops) {
      int at = pending.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      String safe = pending.substring(0, cut);
      pending.setLength(0);
      return new Step(safe, true);
    }
    int keep = 0;
    for (String stop : stops) {
      for (int len = Math.min(stop.length() - 1, pending.length()); len > keep; len--) {
        if (pending.substring(pending.length() - len).equals(stop.substring(0, len))) {
          keep = len;
          break;
        }
      }
    }
    String safe = pending.substring(0, pending.length() - keep);
    pending.delete(0, pending.length() - keep);
    return new Step(safe, false);
  }

  /** Releases the held-back tail once no more text will come. */
  String flush() {
    String rest = pending.toString();
    pending.setLength(0);
    return rest;
  }
}

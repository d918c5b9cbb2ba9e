package dev.muse4j.onnx.internal.text;

import dev.muse4j.onnx.internal.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns generated token ids into text that is safe to stream, in constant work per token.
 *
 * <p>Detokenization decodes a short window of ids, never the whole generation: {@code prefix} is text already
 * turned into characters, the window's tail is new. The new text is the window's decode minus the prefix's decode,
 * released once it does not end in U+FFFD (the decoder's stand-in for a UTF-8 character whose bytes have not all
 * arrived). Decoding with the prefix in front keeps what a token means in context: a SentencePiece word keeps its
 * leading space, because its {@code ▁} is never the first piece the decoder sees. The window starts on the last
 * prompt tokens, so even the first generated word keeps its space.
 *
 * <p>Released text is then checked for stop strings: the text is cut at the first match, and while streaming any
 * tail that could still grow into a stop string is held back, so a stop string never leaks. The released pieces
 * always concatenate to {@link #text()}. Not thread-safe: one per generation.
 */
final class StreamingText {
  /** How many prompt tokens the first window starts with: enough context for a leading space. */
  private static final int CONTEXT_TOKENS = 2;

  private final TextTokenizer tokenizer;
  private final List<String> stops;
  private final int longestStop;
  private long[] ids = new long[64];
  private int count;
  /** The window: ids in [prefixStart, readStart) are decoded context, ids from readStart on are not yet text. */
  private int prefixStart;
  private int readStart;
  /** Detokenized text that the stop-string check has not released yet, or has held back. */
  private final StringBuilder decoded = new StringBuilder();
  private final StringBuilder released = new StringBuilder();
  private boolean stopped;

  StreamingText(TextTokenizer tokenizer, long[] prompt, List<String> stops) {
    this.tokenizer = tokenizer;
    this.stops = List.copyOf(stops);
    this.longestStop = stops.stream().mapToInt(String::length).max().orElse(0);
    long[] context = Arrays.copyOfRange(prompt, Math.max(0, prompt.length - CONTEXT_TOKENS), prompt.length);
    for (long id : context) {
      add(id);
    }
    this.readStart = count;
  }

  private void add(long id) {
    if (count == ids.length) {
      ids = Arrays.copyOf(ids, count * 2);
    }
    ids[count++] = id;
  }

  /** Adds a generated token; returns the text that may be released now (possibly empty). */
  String append(long id) {
    if (stopped) {
      return "";
    }
    add(id);
    String prefix = decode(prefixStart, readStart);
    String window = decode(prefixStart, count);
    if (window.length() > prefix.length() && window.startsWith(prefix) && !endsIncomplete(window)) {
      decoded.append(window, prefix.length(), window.length());
      prefixStart = readStart;
      readStart = count;
      return releaseSafe(false);
    }
    if (!window.startsWith(prefix) && !endsIncomplete(window)) {
      // A decoder that rewrites earlier text in context (rare; e.g. cleanup of spaces before punctuation):
      // the window is settled, so keep its text from the prefix's length on and start a new window.
      decoded.append(window, Math.min(prefix.length(), window.length()), window.length());
      prefixStart = readStart;
      readStart = count;
      return releaseSafe(false);
    }
    return "";
  }

  private static boolean endsIncomplete(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char last = text.charAt(text.length() - 1);
    return last == '\uFFFD' || Character.isHighSurrogate(last);
  }

  /** Whether a stop string ended the text. */
  boolean stopped() {
    return stopped;
  }

  /**
   * Releases whatever is left once generation has ended without a stop string: text held back as a possible stop
   * string, and bytes of an unfinished character (decoded as U+FFFD, as the non-streaming decode would).
   */
  String finish() {
    if (stopped) {
      return "";
    }
    if (readStart < count) {
      String prefix = decode(prefixStart, readStart);
      String window = decode(prefixStart, count);
      decoded.append(window, Math.min(prefix.length(), window.length()), window.length());
      prefixStart = readStart;
      readStart = count;
    }
    return releaseSafe(true);
  }

  /** Everything released so far. */
  String text() {
    return released.toString();
  }

  /**
   * Moves text from {@code decoded} to {@code released}: up to the first stop string (and then stops), else all but
   * a tail that could still become a stop string (all of it when {@code last}).
   */
  private String releaseSafe(boolean last) {
    if (longestStop == 0) {
      return take(decoded.length());
    }
    // Everything in decoded that was examined before was held back only as a possible stop-string prefix, so a
    // match can start anywhere in it: search it all (it is shorter than the longest stop string plus one token).
    int stopAt = -1;
    for (String stop : stops) {
      int at = decoded.indexOf(stop);
      if (at >= 0 && (stopAt < 0 || at < stopAt)) {
        stopAt = at;
      }
    }
    if (stopAt >= 0) {
      stopped = true;
      return take(stopAt);
    }
    if (last) {
      return take(decoded.length());
    }
    int end = decoded.length();
    int hold = 0;
    for (String stop : stops) {
      for (int len = Math.min(stop.length() - 1, end); len > hold; len--) {
        if (regionMatches(decoded, end - len, stop, len)) {
          hold = len;
          break;
        }
      }
    }
    return take(end - hold);
  }

  private static boolean regionMatches(CharSequence text, int from, String stop, int len) {
    for (int i = 0; i < len; i++) {
      if (text.charAt(from + i) != stop.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String take(int length) {
    if (length <= 0) {
      return "";
    }
    String piece = decoded.substring(0, length);
    decoded.delete(0, length);
    released.append(piece);
    return piece;
  }

  private String decode(int from, int to) {
    if (from >= to) {
      return "";
    }
    return tokenizer.decode(Arrays.copyOfRange(ids, from, to));
  }
}

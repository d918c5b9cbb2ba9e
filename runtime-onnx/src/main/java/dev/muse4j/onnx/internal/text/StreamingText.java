package dev.muse4j.onnx.internal.text;

import dev.muse4j.onnx.internal.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns generated token ids into text that is safe to stream. Each step decodes the whole generation (with the last
 * prompt tokens as context, so a SentencePiece word keeps its leading space) and releases only text that can no
 * longer change: it holds back a trailing U+FFFD (half of a UTF-8 character), half a surrogate pair, and any tail
 * that could still grow into a stop string. So the released pieces always concatenate to the final text, and a stop
 * string never leaks. Not thread-safe: one per generation.
 */
final class StreamingText {
  private final TextTokenizer tokenizer;
  private final long[] context;
  private final String contextText;
  private final List<String> stops;
  private long[] ids = new long[16];
  private int count;
  private final StringBuilder released = new StringBuilder();
  private String full = "";
  private boolean stopped;

  StreamingText(TextTokenizer tokenizer, long[] prompt, List<String> stops) {
    this.tokenizer = tokenizer;
    this.context = Arrays.copyOfRange(prompt, Math.max(0, prompt.length - 2), prompt.length);
    this.contextText = context.length == 0 ? "" : tokenizer.decode(context);
    this.stops = stops;
  }

  /** Adds a generated token; returns the text that may be released now (possibly empty). */
  String append(long id) {
    if (count == ids.length) {
      ids = Arrays.copyOf(ids, count * 2);
    }
    ids[count++] = id;
    full = decode();
    int stopAt = firstStop();
    if (stopAt >= 0) {
      stopped = true;
      return release(stopAt);
    }
    int end = full.length();
    while (end > 0 && full.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    if (end > 0 && Character.isHighSurrogate(full.charAt(end - 1))) {
      end--;
    }
    int hold = 0;
    for (String stop : stops) {
      for (int len = Math.min(stop.length() - 1, end); len > hold; len--) {
        if (full.regionMatches(end - len, stop, 0, len)) {
          hold = len;
          break;
        }
      }
    }
    return release(end - hold);
  }

  /** Whether a stop string ended the text. */
  boolean stopped() {
    return stopped;
  }

  /** Releases whatever is left once generation has ended without a stop string. */
  String finish() {
    return stopped ? "" : release(full.length());
  }

  /** Everything released so far. */
  String text() {
    return released.toString();
  }

  private String release(int end) {
    int from = released.length();
    if (end <= from || !full.startsWith(released.toString())) {
      return "";
    }
    String piece = full.substring(from, end);
    released.append(piece);
    return piece;
  }

  private int firstStop() {
    int best = -1;
    int from = Math.max(0, released.length() - 1);
    for (String stop : stops) {
      int at = full.indexOf(stop, Math.max(0, from - stop.length()));
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    return best;
  }

  private String decode() {
    if (context.length == 0) {
      return tokenizer.decode(Arrays.copyOf(ids, count));
    }
    long[] all = new long[context.length + count];
    System.arraycopy(context, 0, all, 0, context.length);
    System.arraycopy(ids, 0, all, context.length, count);
    String withContext = tokenizer.decode(all);
    if (withContext.startsWith(contextText)) {
      return withContext.substring(contextText.length());
    }
    return tokenizer.decode(Arrays.copyOf(ids, count));
  }
}

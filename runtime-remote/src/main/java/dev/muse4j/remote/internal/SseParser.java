package dev.muse4j.remote.internal;

import java.util.function.BiConsumer;

/**
 * Server-sent events, parsed line by line by the WHATWG rules (HTML Living Standard, "Parsing an event stream"):
 * {@code data:} lines accumulate, joined by newlines; {@code event:} names the event; lines starting with {@code :}
 * are comments (keep-alives); a blank line dispatches; one space after the colon is dropped; a byte-order mark
 * before the first line is dropped; unknown fields ({@code id}, {@code retry} and any other) are ignored; and an
 * event still pending when the stream ends, because no blank line followed it, is discarded.
 *
 * <p>Lines arrive already split at CR, LF or CRLF, as the JDK's line subscriber splits them. Not thread-safe: one
 * per stream, fed in order.
 */
final class SseParser {
  private final BiConsumer<String, String> onEvent;
  private final StringBuilder data = new StringBuilder();
  private String event = "";
  private boolean firstLine = true;

  /** @param onEvent receives (event name, data) for each dispatched event; the name is "message" by default */
  SseParser(BiConsumer<String, String> onEvent) {
    this.onEvent = onEvent;
  }

  void line(String raw) {
    String line = raw;
    if (firstLine) {
      firstLine = false;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data":
        data.append(value).append('\n');
        break;
      case "event":
        event = value;
        break;
      default:
        break;
    }
  }

  /**
   * The stream ended. An event not yet followed by its blank line is incomplete and, as the standard says,
   * discarded: a connection cut in the middle of an event must not deliver half of it.
   *
   * @return whether an incomplete event was discarded
   */
  boolean end() {
    boolean pending = data.length() > 0;
    data.setLength(0);
    event = "";
    return pending;
  }

  /** Dispatches the buffered event: no data line, no event; the newline after the last data line is dropped. */
  private void dispatch() {
    if (data.length() > 0) {
      onEvent.accept(event.isEmpty() ? "message" : event, data.substring(0, data.length() - 1));
    }
    data.setLength(0);
    event = "";
  }
}

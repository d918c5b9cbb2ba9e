package dev.muse4j.remote.internal;

import java.util.function.BiConsumer;

/**
 * Server-sent events, parsed line by line by the WHATWG rules: {@code data:} lines accumulate (joined by newlines),
 * {@code event:} names the event, lines starting with {@code :} are comments (keep-alives), a blank line dispatches,
 * an optional single space after the colon is dropped, and unknown fields are ignored. Not thread-safe: one per
 * stream, fed in order.
 */
final class SseParser {
  private final BiConsumer<String, String> onEvent;
  private final StringBuilder data = new StringBuilder();
  private String event = "";
  private boolean hasData;

  /** @param onEvent receives (event name, data) for each dispatched event; the name is "message" by default */
  SseParser(BiConsumer<String, String> onEvent) {
    this.onEvent = onEvent;
  }

  void line(String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
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
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
        break;
      case "event":
        event = value;
        break;
      default:
        break;
    }
  }

  /** Dispatches a last event that was not followed by a blank line. */
  void end() {
    dispatch();
  }

  private void dispatch() {
    if (hasData) {
      onEvent.accept(event.isEmpty() ? "message" : event, data.toString());
    }
    data.setLength(0);
    hasData = false;
    event = "";
  }
}

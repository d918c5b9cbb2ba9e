package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream parsing rules of the WHATWG HTML standard, one rule per test. */
class SseParserTest {
  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser((name, data) -> events.add(name + "|" + data));

  private void feed(String... lines) {
    for (String line : lines) {
      parser.line(line);
    }
  }

  @Test
  void aBlankLineDispatchesTheDataAsAMessage() {
    feed("data: {\"a\":1}", "");
    assertThat(events).containsExactly("message|{\"a\":1}");
  }

  @Test
  void severalDataLinesAreJoinedByNewlines() {
    feed("data: one", "data: two", "data:three", "");
    assertThat(events).containsExactly("message|one\ntwo\nthree");
  }

  @Test
  void onlyOneSpaceAfterTheColonIsDropped() {
    feed("data:  indented", "");
    assertThat(events).containsExactly("message| indented");
  }

  @Test
  void commentsAreIgnoredAndDoNotDispatch() {
    feed(": keep-alive", "", ":another", "data: x", ": in the middle", "");
    assertThat(events).containsExactly("message|x");
  }

  @Test
  void eventNamesApplyToTheirEventOnly() {
    feed("event: error", "data: {}", "", "data: next", "");
    assertThat(events).containsExactly("error|{}", "message|next");
  }

  @Test
  void unknownFieldsIdAndRetryAreIgnored() {
    feed("id: 7", "retry: 3000", "foo: bar", "data: x", "");
    assertThat(events).containsExactly("message|x");
  }

  @Test
  void aFieldWithoutAColonIsAFieldWithAnEmptyValue() {
    feed("data", "data", "");
    assertThat(events).containsExactly("message|\n");
  }

  @Test
  void anEmptyDataLineStillMakesAnEvent() {
    feed("data:", "");
    assertThat(events).containsExactly("message|");
  }

  @Test
  void blankLinesWithoutDataDispatchNothing() {
    feed("", "", "event: ping", "", "");
    assertThat(events).isEmpty();
  }

  @Test
  void aByteOrderMarkBeforeTheFirstLineIsDropped() {
    feed("\uFEFFdata: x", "");
    assertThat(events).containsExactly("message|x");
  }

  @Test
  void anEventCutOffByTheEndOfTheStreamIsDiscarded() {
    feed("data: {\"complete\":true}", "", "data: {\"cut\":");

    assertThat(parser.end()).isTrue();
    assertThat(events).containsExactly("message|{\"complete\":true}");
  }

  @Test
  void aStreamEndingAfterABlankLineHasNothingPending() {
    feed("data: [DONE]", "");
    assertThat(parser.end()).isFalse();
  }
}

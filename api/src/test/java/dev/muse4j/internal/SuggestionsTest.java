package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> SETTINGS = List.of("executionProvider", "intraOpThreads", "interOpThreads",
      "optimizationLevel");

  @Test
  void typosCaseSlipsAndSwapsFindTheirSetting() {
    assertThat(Suggestions.closest("executionProvder", SETTINGS)).hasValue("executionProvider");
    assertThat(Suggestions.closest("EXECUTIONPROVIDER", SETTINGS)).hasValue("executionProvider");
    assertThat(Suggestions.closest("interOpThread", SETTINGS)).hasValue("interOpThreads");
    assertThat(Suggestions.closest("optimzationLevel", SETTINGS)).hasValue("optimizationLevel");
  }

  @Test
  void unrelatedNamesGetNoSuggestion() {
    assertThat(Suggestions.closest("temperature", SETTINGS)).isEmpty();
    assertThat(Suggestions.didYouMean("x", SETTINGS)).isEmpty();
    assertThat(Suggestions.closest("a", List.of())).isEmpty();
  }

  @Test
  void transpositionCostsOneEdit() {
    assertThat(Suggestions.distance("topP", "tpoP")).isEqualTo(1);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
  }
}

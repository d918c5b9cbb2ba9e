package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SamplingConfigTest {
  @Test
  void everyFieldStartsUnset() {
    SamplingConfig empty = SamplingConfig.builder().build();

    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.temperature()).isEmpty();
    assertThat(empty.topK()).isEmpty();
    assertThat(empty.topP()).isEmpty();
    assertThat(empty.minP()).isEmpty();
    assertThat(empty.repetitionPenalty()).isEmpty();
    assertThat(empty.presencePenalty()).isEmpty();
    assertThat(empty.frequencyPenalty()).isEmpty();
    assertThat(empty.maxTokens()).isEmpty();
    assertThat(empty.stop()).isEmpty();
    assertThat(empty.seed()).isEmpty();
    assertThat(empty.extras()).isEmpty();
    assertThat(empty).isEqualTo(SamplingConfig.empty()).hasToString("SamplingConfig{}");
  }

  @Test
  void greedyMeansTemperatureZero() {
    assertThat(SamplingConfig.greedy().temperature()).hasValue(0.0);
    assertThat(SamplingConfig.greedy().isGreedy()).isTrue();
    assertThat(SamplingConfig.builder().topK(1).build().isGreedy()).isTrue();
    assertThat(SamplingConfig.builder().temperature(0.7).build().isGreedy()).isFalse();
  }

  @Test
  void defaultsAreDocumentedValues() {
    assertThat(SamplingConfig.defaults())
        .hasToString("SamplingConfig{temperature=1.0, topP=1.0, maxTokens=256}");
  }

  @Test
  void toBuilderDerivesAChangedCopyAndLeavesTheOriginal() {
    SamplingConfig original = SamplingConfig.builder().temperature(0.8).seed(42).stop("\n\n").build();

    SamplingConfig changed = original.toBuilder().temperature(null).maxTokens(10).build();

    assertThat(original.temperature()).hasValue(0.8);
    assertThat(original.maxTokens()).isEmpty();
    assertThat(changed.temperature()).isEmpty();
    assertThat(changed.maxTokens()).hasValue(10);
    assertThat(changed.seed()).hasValue(42L);
    assertThat(changed.stop()).contains(List.of("\n\n"));
  }

  @Test
  void precedenceIsRequestThenGeneratorThenModel() {
    SamplingConfig request = SamplingConfig.builder().temperature(0.2).extra("a", "request").build();
    SamplingConfig generator = SamplingConfig.builder().temperature(0.5).topP(0.9).extra("a", "generator")
        .extra("b", "generator").build();
    SamplingConfig model = SamplingConfig.builder().temperature(1.0).topP(0.5).topK(40).maxTokens(50)
        .extra("c", "model").build();

    SamplingConfig resolved = SamplingConfig.resolve(request, generator, model);

    assertThat(resolved.temperature()).hasValue(0.2);
    assertThat(resolved.topP()).hasValue(0.9);
    assertThat(resolved.topK()).hasValue(40);
    assertThat(resolved.maxTokens()).hasValue(50);
    assertThat(resolved.seed()).isEmpty();
    assertThat(resolved.extras()).containsExactlyInAnyOrderEntriesOf(
        Map.of("a", "request", "b", "generator", "c", "model"));
  }

  @Test
  void anEmptyStopListOverridesDefaultStops() {
    SamplingConfig request = SamplingConfig.builder().stop(List.of()).build();
    SamplingConfig model = SamplingConfig.builder().stop("END").build();

    assertThat(request.withDefaults(model).stop()).contains(List.of());
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        bad("temperature", b -> b.temperature(-0.1), "temperature must be between 0 and infinity but was -0.1"),
        bad("temperature", b -> b.temperature(Double.NaN), "but was NaN"),
        bad("topK", b -> b.topK(0), "topK must be between 1 and"),
        bad("topP", b -> b.topP(0.0), "topP must be greater than 0 and at most 1 but was 0"),
        bad("topP", b -> b.topP(1.5), "but was 1.5"),
        bad("minP", b -> b.minP(-0.5), "minP must be between 0 and 1 but was -0.5"),
        bad("repetitionPenalty", b -> b.repetitionPenalty(0.0), "repetitionPenalty must be greater than 0"),
        bad("presencePenalty", b -> b.presencePenalty(2.5), "presencePenalty must be between -2 and 2 but was 2.5"),
        bad("frequencyPenalty", b -> b.frequencyPenalty(-3.0), "frequencyPenalty must be between -2 and 2"),
        bad("maxTokens", b -> b.maxTokens(0), "maxTokens must be between 1 and"),
        bad("stop", b -> b.stop(Collections.nCopies(17, "x")), "at most 16 strings but held 17"),
        bad("stop", b -> b.stop("ok", ""), "stop[1] must be a non-empty string but was empty"),
        bad("stop", b -> b.stop(nullInList()), "stop[0] must be a non-empty string but was null"),
        bad("extras", b -> b.extra("x", Double.POSITIVE_INFINITY), "extras.x must be a finite number"),
        bad("extras", b -> b.extra("x", new Object()), "extras.x must be a string, number, boolean, list or map"));
  }

  private static List<String> nullInList() {
    List<String> list = new ArrayList<>();
    list.add(null);
    return list;
  }

  private static Arguments bad(String field, Consumer<SamplingConfig.Builder> change, String message) {
    return Arguments.of(field, change, message);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("invalidValues")
  void invalidValuesAreRejectedNamingFieldValueAndRange(
      String field, Consumer<SamplingConfig.Builder> change, String message) {
    SamplingConfig.Builder builder = SamplingConfig.builder();

    assertThatThrownBy(() -> {
      change.accept(builder);
      builder.build();
    })
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo(field);
  }

  @Test
  void boundaryValuesAreAccepted() {
    SamplingConfig edge = SamplingConfig.builder().temperature(0.0).topP(1.0).minP(0.0).minP(1.0).topK(1)
        .presencePenalty(-2.0).frequencyPenalty(2.0).maxTokens(1).seed(Long.MIN_VALUE)
        .stop(Collections.nCopies(16, "x")).repetitionPenalty(0.01).build();

    assertThat(edge.seed()).hasValue(Long.MIN_VALUE);
    assertThat(edge.stop().orElseThrow()).hasSize(16);
  }

  @Test
  void extrasAreDeepCopiedAndUnmodifiable() {
    List<Object> list = new ArrayList<>(List.of(1, "two"));
    SamplingConfig config = SamplingConfig.builder().extra("list", list).extra("map", Map.of("k", true)).build();
    list.add("three");

    assertThat(config.extras().get("list")).isEqualTo(List.of(1, "two"));
    assertThatThrownBy(() -> config.extras().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(config.toBuilder().extra("list", null).build().extras()).containsOnlyKeys("map");
  }

  @Test
  void equalConfigsAreEqualAndHashAlike() {
    SamplingConfig a = SamplingConfig.builder().temperature(0.5).stop("x").build();
    SamplingConfig b = SamplingConfig.builder().stop("x").temperature(0.5).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(SamplingConfig.greedy());
  }
}

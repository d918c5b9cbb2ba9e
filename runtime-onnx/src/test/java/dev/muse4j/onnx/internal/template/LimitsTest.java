package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A template cannot hang a render or exhaust memory: recursion, loops and sizes are capped, with a clear error. */
@Timeout(30)
class LimitsTest {
  @Test
  void endlessMacroRecursionIsARecursionError() {
    assertThat(fails("{% macro rec(n) %}{{ rec(n + 1) }}{% endmacro %}{{ rec(0) }}"))
        .startsWith("RecursionError: maximum recursion depth exceeded");
  }

  @Test
  void rangesAreCappedAsInJinjasSandbox() {
    assertThat(fails("{{ range(200000)|length }}")).contains("MAX_RANGE (100000)");
  }

  @Test
  void nestedLoopsHaveAnIterationBudget() {
    assertThat(fails("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"))
        .contains("loop iterations");
  }

  @Test
  void hugeStringsAndListsAreRefused() {
    assertThat(fails("{{ 'x' * 1000000000 }}")).startsWith("MemoryError");
    assertThat(fails("{{ [1, 2] * 1000000000 }}")).startsWith("MemoryError");
    assertThat(fails("{{ 'x'.center(1000000000) }}")).startsWith("MemoryError");
    assertThat(fails("{{ 'x'|indent(1000000000) }}")).startsWith("MemoryError");
  }

  @Test
  void pathologicalNestingIsASyntaxErrorNotACrash() {
    String deep = "{{ " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " }}";
    assertThatThrownBy(() -> Template.parse(deep)).isInstanceOf(TemplateSyntaxException.class);
  }
}

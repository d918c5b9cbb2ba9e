package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static dev.muse4j.onnx.internal.template.Render.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Jinja2's whitespace rules with transformers' trim_blocks and lstrip_blocks. Every expected value here is what Python Jinja2 3.1 renders under transformers' settings.
 */
class WhitespaceControlTest {
  @Test
  void minusInAnExpressionStripsAllWhitespaceBefore() {
    assertThat(render("A\n   {{- 'B' }}"))
        .isEqualTo("AB");
  }

  @Test
  void minusAfterAnExpressionStripsAllWhitespaceAfter() {
    assertThat(render("A  {{ 'B' -}}  \n C"))
        .isEqualTo("A  BC");
  }

  @Test
  void minusOnCommentsStripsBothSides() {
    assertThat(render("A {#- c -#} B"))
        .isEqualTo("AB");
    assertThat(render("{{- 'a' -}}\n\n{#- x -#}\n\n{{ 'b' }}"))
        .isEqualTo("ab");
  }

  @Test
  void lstripBlocksRemovesIndentationBeforeBlockTagsAndComments() {
    assertThat(render("A\n  {% if true %}\nB\n  {% endif %}\nC"))
        .isEqualTo("A\nB\nC");
    assertThat(render("A\n  {# c #}\nB"))
        .isEqualTo("A\nB");
    assertThat(render("\t{% for i in [1,2] %}\n\t{{ i }}\n\t{% endfor %}\n"))
        .isEqualTo("\t1\n\t2\n");
  }

  @Test
  void lstripBlocksLeavesIndentationBeforeExpressions() {
    assertThat(render("  {{ 'a' }}\n  {% if true %}b{% endif %}"))
        .isEqualTo("  a\nb");
    assertThat(render("{{ x }}  {% if true %}y{% endif %}", "{\"x\": 1}"))
        .isEqualTo("1  y");
  }

  @Test
  void trimBlocksRemovesTheFirstNewlineAfterABlockTagButNotAfterAnExpression() {
    assertThat(render("A {% if true %}B{% endif %}\nC"))
        .isEqualTo("A BC");
    assertThat(render("{{ 'a' }}\n{{ 'b' }}\nc"))
        .isEqualTo("a\nb\nc");
    assertThat(render("{% if true %}  \nX{% endif %}"))
        .isEqualTo("  \nX");
  }

  @Test
  void plusTurnsLstripAndTrimOff() {
    assertThat(render("x\n  {%+ if true %}y{% endif +%}\nz"))
        .isEqualTo("x\n  y\nz");
  }

  @Test
  void minusOnBlockTagsStripsAcrossLines() {
    assertThat(render("  {%- if true -%}  \n x \n {%- endif %}"))
        .isEqualTo("x");
    assertThat(render("{%- for m in messages -%}\n  {{- m.role -}}\n{%- endfor -%}\n", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .isEqualTo("systemuserassistantuser");
    assertThat(render("A\n{%- if true %}\n  B\n{%- endif %}\n"))
        .isEqualTo("A  B");
  }

  @Test
  void oneTrailingNewlineOfTheSourceIsDroppedAndNewlinesAreNormalised() {
    assertThat(render("{% if true %}\nX{% endif %}\n\n"))
        .isEqualTo("X");
    assertThat(render("line\r\nnext\r\n"))
        .isEqualTo("line\nnext");
    assertThat(render("{% for i in [1,2] %}{{ i }}{% endfor %}\n"))
        .isEqualTo("12");
  }

  @Test
  void rawBlocksAreText() {
    assertThat(render("{% raw %}{{ x }}{% endraw %}"))
        .isEqualTo("{{ x }}");
    assertThat(render("a\n  {% raw %}\n{{ x }}\n  {% endraw %}\nb"))
        .isEqualTo("a\n\n{{ x }}\nb");
  }
}

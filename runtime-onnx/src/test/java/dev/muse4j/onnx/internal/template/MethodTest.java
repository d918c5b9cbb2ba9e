package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static dev.muse4j.onnx.internal.template.Render.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Python's str, dict and list methods, with Python's semantics. Every expected value here is what Python Jinja2 3.1 renders under transformers' settings.
 */
class MethodTest {
  @Test
  void splitTakesATextSeparatorNotARegex() {
    assertThat(render("{{ 'a.b.c'.split('.') }} {{ 'a|b'.split('|') }} {{ 'a,b,c'.split(',', "
        + "1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ ''.split(',') }} {{ ' a b '.split(' "
        + "') }}"))
        .isEqualTo("['a', 'b', 'c'] ['a', 'b'] ['a', 'b,c'] ['a,b', 'c'] [''] ['', 'a', 'b', "
        + "'']");
  }

  @Test
  void splitWithoutASeparatorSplitsOnRunsOfWhitespace() {
    assertThat(render("{{ 'a b  c '.split() }} {{ '  x  y  '.split(None, 1) }} {{ ''.split() "
        + "}} {{ '  x  y  '.rsplit(None, 1) }}"))
        .isEqualTo("['a', 'b', 'c'] ['x', 'y  '] [] ['  x', 'y']");
  }

  @Test
  void stripFamilyWithAndWithoutChars() {
    assertThat(render("{{ 'xxhixx'.strip('x') }}|{{ '  hi \n'.strip() }}|{{ 'abcba'.lstrip('ab') "
        + "}}|{{ 'abcba'.rstrip('ab') }}"))
        .isEqualTo("hi|hi|cba|abc");
  }

  @Test
  void startswithAndEndswithTakeATupleAndAStart() {
    assertThat(render("{{ '<think>x'.startswith('<think>') }}|{{ 'ab'.endswith(('x','b')) }}|"
        + "{{ 'hello'.startswith('el', 1) }}"))
        .isEqualTo("True|True|True");
  }

  @Test
  void otherStringMethods() {
    assertThat(render("{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ 'Hi'.upper() "
        + "}} {{ 'Hi'.lower() }} {{ 'aaa'.replace('a','b',2) }} {{ 'abc'.find('c') "
        + "}} {{ 'abc'.find('z') }} {{ 'abca'.rfind('a') }} {{ 'aaa'.count('a') }"
        + "} {{ '-'.join(['a','b']) }} {{ '{} and {}'.format(1, 'x') }} {{ '12'.isdigit() "
        + "}} {{ \"they're bill's\".title() }} {{ 'a\\r\\nb\\rc'.splitlines() }} {{ '%s-%d' "
        + "% ('a', 3) }}"))
        .isEqualTo("Hello World Hello HI hi bba 2 -1 3 3 a-b 1 and x True They'Re Bill'S ['a', "
        + "'b', 'c'] a-3");
  }

  @Test
  void formatTakesPythonsFormatSpecs() {
    assertThat(render("{{ '{:>5}|{:<5}|{:^6}|{:*^7}'.format(1, 'ab', 'cd', 'x') }} {{ '{:05d}"
        + "|{:+d}|{: d}|{:,}|{:_}|{:x<4}'.format(42, 3, 4, 1234567, 1000, 7) }} {{ "
        + "'{:.2f}|{:8.3f}|{:.1%}|{:e}|{:.3}|{:10}|{:<8.2f}|{:+.1f}'.format(3.14159, "
        + "2.5, 0.256, 12345.678, 3.14159, 1.5, 2.0, -0.25) }} {{ '{0}{1}{0}'.format('a', "
        + "'b') }} {{ '{name}!'.format(name='n') }}"))
        .isEqualTo("    1|ab   |  cd  |***x*** 00042|+3| 4|1,234,567|1_000|7xxx 3.14|   2.500|"
        + "25.6%|1.234568e+04|3.14|       1.5|2.00    |-0.2 aba n!");
  }

  @Test
  void dictMethods() {
    assertThat(render("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 5) }} {{ d.keys()|list "
        + "}} {{ d.values()|list }} {{ d.items()|list }}", "{\"d\": {\"a\": 1, \"b\": \"x\"}}"))
        .isEqualTo("1 None 5 ['a', 'b'] [1, 'x'] [('a', 1), ('b', 'x')]");
  }
}

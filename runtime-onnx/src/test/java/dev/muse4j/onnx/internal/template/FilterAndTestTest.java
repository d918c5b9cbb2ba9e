package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static dev.muse4j.onnx.internal.template.Render.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Jinja2's filters and tests, with transformers' tojson. Every expected value here is what Python Jinja2 3.1 renders under transformers' settings.
 */
class FilterAndTestTest {
  @Test
  void textFilters() {
    assertThat(render("{{ 'hello WORLD-foo(bar'|title }} {{ 'x'|capitalize }} {{ '  t  '|trim "
        + "}} {{ 'xxtxx'|trim('x') }} {{ 'abc'|reverse }} {{ 'hello'|replace('l', "
        + "'L') }} {{ 'hello'|replace('l', 'L', 1) }} {{ 'ab'|center(6) }} {{ 'a "
        + "b c'|wordcount }} {{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|safe }} {{ 'hello "
        + "%s'|format('w') }}"))
        .isEqualTo("Hello World-Foo(Bar X t t cba heLLo heLlo   ab   3 &lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt; "
        + "<b> hello w");
  }

  @Test
  void lengthCountsCharactersNotUtf16Units() {
    assertThat(render("{{ 'é'|length }} {{ '\ud83d\ude42x'|length }} {{ '\ud83d\ude42x'[0] }} {{ '\ud83d\ude42x'[1:] }}"))
        .isEqualTo("1 2 \ud83d\ude42 x");
  }

  @Test
  void listFilters() {
    assertThat(render("{{ [3,1,2]|sort }} {{ ['b','A','a']|sort }} {{ [3,1,2]|sort(reverse=true) "
        + "}} {{ [1,2,2,'a','A']|unique|list }} {{ [1,2,3]|sum }} {{ [1,5,3]|max "
        + "}} {{ [4,2]|min }} {{ [1,2,3]|first }} {{ [1,2,3]|last }} {{ 'abc'|list "
        + "}} {{ [1,2]|reverse|list }} {{ [1,2]|join }} {{ [1,2]|join(', ') }} {{ "
        + "[1,2,3,4,5]|batch(2)|list }} {{ [{'n': 2}, {'n': 1}]|sort(attribute='n')|"
        + "map(attribute='n')|join }}"))
        .isEqualTo("[1, 2, 3] ['A', 'a', 'b'] [3, 2, 1] [1, 2, 'a'] 6 5 2 1 3 ['a', 'b', 'c'] "
        + "[2, 1] 12 1, 2 [[1, 2], [3, 4], [5]] 12");
  }

  @Test
  void numberFilters() {
    assertThat(render("{{ -3|abs }} {{ 2.5|round }} {{ 3.14159|round(2) }} {{ 2.5|round(0,'floor') "
        + "}} {{ '42'|int }} {{ 'x'|int }} {{ '3.7'|int }} {{ 3.9|int }} {{ '2.5'|"
        + "float }} {{ 1|float }} {{ 5|string }} {{ '%05.1f'|format(1) }}"))
        .isEqualTo("3 2.0 3.14 2.0 42 0 3 3 2.5 1.0 5 001.0");
  }

  @Test
  void defaultWithAndWithoutBoolean() {
    assertThat(render("{{ y|default('d') }}|{{ ''|default('e') }}|{{ ''|default('e', true) }}"
        + "|{{ none|d('n') }}|{{ a | default(b) | upper }}", "{\"b\": \"q\"}"))
        .isEqualTo("d||e|None|Q");
  }

  @Test
  void tojsonIsJsonDumpsWithoutAsciiEscaping() {
    assertThat(render("{{ x|tojson }}|{{ x|tojson(indent=2) }}|{{ x|tojson(sort_keys=true) }}"
        + "|{{ x|tojson(separators=(',', ':')) }}|{{ 'é\"\\n'|tojson }}|{{ []|tojson(indent=2) "
        + "}}|{{ 1.0|tojson }}|{{ none|tojson }}", "{\"x\": {\"b\": [1, 2.5, true, null, \"s\"], \"a\": {}}}"))
        .isEqualTo("{\"b\": [1, 2.5, true, null, \"s\"], \"a\": {}}|{\n  \"b\": [\n    1,\n    2.5,\n "
        + "   true,\n    null,\n    \"s\"\n  ],\n  \"a\": {}\n}|{\"a\": {}, \"b\": [1, 2.5, true, "
        + "null, \"s\"]}|{\"b\":[1,2.5,true,null,\"s\"],\"a\":{}}|\"é\\\"\\n\"|[]|1.0|null");
    assertThat(render("{{ {'k': 'ü'}|tojson(ensure_ascii=true) }} {{ [1,[2,{}]]|tojson(indent=1) "
        + "}}"))
        .isEqualTo("{\"k\": \"\\u00fc\"} [\n 1,\n [\n  2,\n  {}\n ]\n]");
  }

  @Test
  void dictFilters() {
    assertThat(render("{{ d|items|list }} {{ d|dictsort }} {{ d|dictsort(by='value', reverse=true) "
        + "}} {{ {'a':1}|length }}", "{\"d\": {\"b\": 1, \"a\": 2}}"))
        .isEqualTo("[('b', 1), ('a', 2)] [('a', 2), ('b', 1)] [('a', 2), ('b', 1)] 1");
  }

  @Test
  void selectRejectMapAndTheirAttrForms() {
    assertThat(render("{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|"
        + "list }} {{ messages|rejectattr('role', 'eq', 'user')|list|length }} {{ "
        + "messages|selectattr('role')|list|length }} {{ [1,2,3,4]|select('odd')|"
        + "list }} {{ [1,2,3,4]|reject('even')|list }} {{ ['a','B']|map('upper')|"
        + "list }} {{ messages|map(attribute='x', default='n')|list }} {{ messages|"
        + "selectattr('role', 'in', ['system','assistant'])|list|length }} {{ (messages|"
        + "selectattr('role','equalto','system')|list)[0].content }} {{ ['1','2']|"
        + "map('int')|sum }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .isEqualTo("['hi there', 'bye'] 2 4 [1, 3] [1, 3] ['A', 'B'] ['n', 'n', 'n', 'n'] "
        + "2 sys 3");
  }

  @Test
  void indent() {
    assertThat(render("{{ 'a\nb\n\nc'|indent }}|{{ 'a\nb'|indent(2, true) }}|{{ 'a\n\nb'|indent(2, "
        + "blank=true) }}|{{ 'a\nb'|indent('> ') }}"))
        .isEqualTo("a\n    b\n\n    c|  a\n  b|a\n  \n  b|a\n> b");
  }

  @Test
  void tests() {
    assertThat(render("{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ x is none "
        + "}} {{ 'a' is string }} {{ 1 is number }} {{ true is number }} {{ 1 is "
        + "integer }} {{ true is integer }} {{ 1.0 is float }} {{ {} is mapping }"
        + "} {{ [] is iterable }} {{ 'a' is sequence }} {{ 3 is odd }} {{ 4 is even "
        + "}} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ none is sameas "
        + "none }} {{ 'AB' is upper }} {{ 'ab' is lower }} {{ 1 is eq 1 }} {{ 2 is "
        + "gt 1 }} {{ 'a' is in 'abc' }} {{ true is boolean }} {{ true is true }}"
        + " {{ x is not none }}", "{\"x\": null}"))
        .isEqualTo("True False True True True True True True False True True True True True "
        + "True True False True True True True True True True True False");
  }

  @Test
  void selectMapItemsAndUniqueAreOneShotGeneratorsAsInJinja2() {
    assertThat(render("{% if messages|selectattr('role', 'equalto', 'nobody') %}always true{% "
        + "endif %}|{% set g = messages|map(attribute='role') %}{{ g|join(',') }}"
        + "|{{ g|join(',') }}|{{ (messages|selectattr('role'))[0] is defined }}|{{ "
        + "messages|selectattr('role')|first|tojson }}|{{ d|items|list }}|{{ [1, "
        + "1]|unique|list }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}], \"d\": {\"a\": 1}}"))
        .isEqualTo("always true|system,user,assistant,user||False|{\"role\": \"system\", \"content\": "
        + "\"sys\"}|[('a', 1)]|[1]");
  }

  @Test
  void aGeneratorHasNoLength() {
    assertThat(fails("{{ messages|selectattr('role')|length }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .contains("TypeError: object of type 'generator' has no len()");
  }

  @Test
  void rangesAndDictViewsPrintAsInPython() {
    assertThat(render("{{ range(3) }} {{ range(1, 9, 2) }} {{ d.items() }} {{ d.keys() }} {{ "
        + "d.values()|list }} {{ d.items()|length }} {{ [None, None]|sort }} {{ y "
        + "is callable }}", "{\"d\": {\"a\": 1}}"))
        .isEqualTo("range(0, 3) range(1, 9, 2) dict_items([('a', 1)]) dict_keys(['a']) [1] "
        + "1 [None, None] True");
  }

  @Test
  void isBindsTighterThanNot() {
    assertThat(render("{{ not x is defined }}{{ -1 is number }}{{ 1 if x is defined and x else "
        + "2 }}"))
        .isEqualTo("TrueTrue2");
  }
}

package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static dev.muse4j.onnx.internal.template.Render.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Jinja2's expression grammar and precedence, with Python's operators. Every expected value here is what Python Jinja2 3.1 renders under transformers' settings.
 */
class ExpressionTest {
  @Test
  void arithmeticIsPythons() {
    assertThat(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ 7 // 2 }} {{ -7 "
        + "// 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 6 / 2 }} {{ -2 ** 2 }}"
        + " {{ 2 ** -1 }}"))
        .isEqualTo("7 9 64 3 -4 1 2 3.5 3.0 4 0.5");
  }

  @Test
  void stringAndListOperators() {
    assertThat(fails("{{ 'ab' * 3 }} {{ 2 * 'x' }} {{ [1] * 2 }} {{ [1, 2] + [3] }} {{ 'a' ~ "
        + "1 ~ none ~ true }} {{ 'x' ~ 1 + 2 }}"))
        .contains("TypeError: can only concatenate str (not \"int\") to str");
  }

  @Test
  void aFilterBindsTighterThanArithmetic() {
    assertThat(fails("{{ messages|length - 1 }} {{ -messages|length }} {{ 1 + 1|string }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .contains("TypeError: bad operand type for unary -: 'list'");
  }

  @Test
  void namespaceTakesAFilteredKeywordArgument() {
    assertThat(render("{% set ns = namespace(last_query_index=messages|length - 1, f=false) %}"
        + "{{ ns.last_query_index }}{% set ns.f = true %}{{ ns.f }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .isEqualTo("3True");
  }

  @Test
  void slicesTakeStepsIncludingNegativeOnes() {
    assertThat(render("{{ messages[::-1]|map(attribute='role')|join(',') }} {{ 'abcdef'[::2] "
        + "}} {{ 'abcdef'[::-2] }} {{ 'abcdef'[1:-1] }} {{ [1,2,3,4][-2:] }} {{ 'abc'[5:] "
        + "}} {{ 'abc'[-10:2] }} {{ [1,2,3][::-1] }} {{ messages[1:][0].role }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .isEqualTo("user,assistant,user,system ace fdb bcde [3, 4]  ab [3, 2, 1] user");
  }

  @Test
  void comparisonsChainAndInWorksOnStringsListsAndDicts() {
    assertThat(render("{{ 1 < 2 < 3 }} {{ 1 < 2 > 3 }} {{ 'a' in 'abc' }} {{ 'z' not in ['a'] "
        + "}} {{ 'k' in {'k':1} }} {{ not 1 == 2 }} {{ 1 == 1.0 }} {{ true == 1 }"
        + "} {{ [1] == [1] }} {{ (1, 2) == (1, 2) }} {{ [1, 2] == (1, 2) }}"))
        .isEqualTo("True False True True True True True True True True False");
  }

  @Test
  void andOrReturnAnOperandAsInPython() {
    assertThat(render("{{ 1 and 'x' }} {{ 0 or 'y' }} {{ '' or [] }} {{ none and 1 }}"))
        .isEqualTo("x y [] None");
  }

  @Test
  void theInlineIfWithoutElseIsUndefined() {
    assertThat(render("{{ 'a' if false }}|{{ 'a' if true else 'b' }}|{{ 'x' if none else 'y' "
        + "if true else 'z' }}|{{ (1 if true else 2) + 1 }} {{ 1 if true else 2 + "
        + "1 }}"))
        .isEqualTo("|a|y|2 1");
  }

  @Test
  void valuesPrintAsPythonPrintsThem() {
    assertThat(render("{{ none }} {{ true }} {{ True }} {{ False }} {{ None }} {{ [1, 'a', none, "
        + "true, 1.0] }} {{ {'k': 'v', 'n': [1]} }} {{ (1,) }} {{ (1, 2) }} {{ () "
        + "}}"))
        .isEqualTo("None True True False None [1, 'a', None, True, 1.0] {'k': 'v', 'n': [1]}"
        + " (1,) (1, 2) ()");
    assertThat(render("{{ \"it's\" }} {{ [\"it's\", 'say \"x\"', 'a\\nb', 'tab\\t', 'uni é 你'] }}"))
        .isEqualTo("it's [\"it's\", 'say \"x\"', 'a\\nb', 'tab\\t', 'uni é 你']");
  }

  @Test
  void floatsPrintAsPythonReprDoes() {
    assertThat(render("{{ 1.5 }} {{ 0.1 + 0.2 }} {{ 1e-5 }} {{ 1e16 }} {{ 2.0 * 3 }} {{ 1/3 }"
        + "} {{ 10 ** -1 }} {{ 1e3 }} {{ 1_000 }} {{ 100.0 }} {{ 1e22 }} {{ 3.0e-4 "
        + "}} {{ 123.456 }} {{ 1.23e-10 }}"))
        .isEqualTo("1.5 0.30000000000000004 1e-05 1e+16 6.0 0.3333333333333333 0.1 1000.0 "
        + "1000 100.0 1e+22 0.0003 123.456 1.23e-10");
    assertThat(render("{{ 2e23 }} {{ 5e-324 }} {{ 9007199254740993.0 }} {{ 1.5e15 }} {{ 0.00001234 "
        + "}} {{ [2e23, 0.1]|tojson }}"))
        .isEqualTo("2e+23 5e-324 9007199254740992.0 1500000000000000.0 1.234e-05 [2e+23, 0.1]");
  }

  @Test
  void stringLiteralsTakePythonEscapes() {
    assertThat(render("{{ 'ab\\u00e9\\x41\\101\\n\\d' }}"))
        .isEqualTo("abéAA\n\\d");
  }

  @Test
  void attributeAndItemAccessFallBackOnEachOther() {
    assertThat(render("{{ messages[0]['content'] }} {{ messages[0].content }} {{ messages[-1].content "
        + "}} {{ {'a': {'b': 2}}.a.b }} {{ [[1, 2]][0][1] }} {{ l.0 }}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}], \"l\": [7]}"))
        .isEqualTo("sys sys bye 2 2 7");
  }

  @Test
  void aDictKeyNamedLikeAMethodIsReachedWithSubscript() {
    assertThat(render("{{ d['items'] }}", "{\"d\": {\"items\": 1}}"))
        .isEqualTo("1");
  }

  @Test
  void missingKeysAndIndexesAreUndefined() {
    assertThat(render("{{ d.missing }}|{{ d.missing is defined }}|{{ d['missing'] is defined "
        + "}}|{{ l[5] is defined }}|{{ 'Hello'[10] is defined }}", "{\"d\": {\"a\": 1}, \"l\": [1]}"))
        .isEqualTo("|False|False|False|False");
  }

  @Test
  void undefinedIsEmptyFalseAndIterable() {
    assertThat(render("{{ y }}|{{ y|default('d') }}|{{ y|length }}|{{ y|upper }}|{% for a in "
        + "y %}no{% else %}empty{% endfor %}|{{ y ~ 'x' }}|{{ 'x' in y }}|{{ y == "
        + "y }}|{{ y == none }}"))
        .isEqualTo("|d|0||empty|x|False|True|False");
  }
}

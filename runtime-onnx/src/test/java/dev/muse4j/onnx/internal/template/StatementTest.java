package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static dev.muse4j.onnx.internal.template.Render.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Jinja2's statements: if, for and loop, set, namespace, macro, call, filter, with, loop controls and transformers' generation block. Every expected value here is what Python Jinja2 3.1 renders under transformers' settings.
 */
class StatementTest {
  @Test
  void ifElifElse() {
    assertThat(render("{% if x %}a{% elif y %}b{% else %}c{% endif %}{% if not x and not y %}"
        + "d{% endif %}", "{\"y\": 1}"))
        .isEqualTo("b");
  }

  @Test
  void theLoopVariable() {
    assertThat(render("{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex "
        + "}}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}"
        + "{{ loop.cycle('a','b') }}{{ loop.previtem.role if loop.previtem is defined "
        + "else '-' }}{{ loop.nextitem is defined }};{% endfor %}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .isEqualTo("1043TrueFalse4a-True;2132FalseFalse4bsystemTrue;3221FalseFalse4auserTrue;4310FalseTrue4bassistantFalse;");
  }

  @Test
  void aLoopFilterCountsOnlyTheItemsKept() {
    assertThat(render("{% for m in messages if m.role != 'system' %}{{ loop.index }}:{{ m.role "
        + "}} {% endfor %}", "{\"messages\": [{\"role\": \"system\", \"content\": \"sys\"}, {\"role\": \"user\", \"content\": "
        + "\"hi there\"}, {\"role\": \"assistant\", \"content\": \"yo\"}, {\"role\": \"user\", "
        + "\"content\": \"bye\"}]}"))
        .isEqualTo("1:user 2:assistant 3:user ");
  }

  @Test
  void loopElseAndIteratingStringsAndDicts() {
    assertThat(render("{% for i in [] %}x{% else %}none{% endfor %}{% for c in 'ab' %}{{ c }}"
        + "{% endfor %}{% for k in {'x':1,'y':2} %}{{ k }}{% endfor %}"))
        .isEqualTo("noneabxy");
  }

  @Test
  void breakAndContinue() {
    assertThat(render("{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if "
        + "i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}"))
        .isEqualTo("0134");
  }

  @Test
  void tupleUnpacking() {
    assertThat(render("{% for a, b in [(1,2),(3,4)] %}{{ a+b }}{% endfor %}{% set x, y = 1, 2 "
        + "%}{{ x }}{{ y }}{% for k, v in d.items() %}{{k}}={{v}};{% endfor %}", "{\"d\": {\"a\": 1, \"b\": \"x\"}}"))
        .isEqualTo("3712a=1;b=x;");
  }

  @Test
  void setInsideALoopStaysInTheIterationButIfDoesNotScope() {
    assertThat(render("{% set x = 1 %}{% for i in [1,2] %}{% set x = x + i %}{{ x }}{% endfor "
        + "%}{{ x }}{% if true %}{% set x = 5 %}{% endif %}{{ x }}"))
        .isEqualTo("2315");
  }

  @Test
  void aNamespaceCarriesValuesOutOfALoop() {
    assertThat(render("{% set ns = namespace(x=0) %}{% for i in [1,2,3] %}{% set ns.x = ns.x "
        + "+ i %}{% endfor %}{{ ns.x }}"))
        .isEqualTo("6");
  }

  @Test
  void nestedLoopsEachHaveTheirLoop() {
    assertThat(render("{% for i in [1,2] %}{% for j in [3] %}{{ loop.index }}{{ i }}{{ j }}{% "
        + "endfor %}{{ loop.index }}{% endfor %}"))
        .isEqualTo("11311232");
  }

  @Test
  void recursiveLoops() {
    assertThat(fails("{% for item in [[1, [2, 3]], [4, []]] recursive %}{{ item[0] if item[0] "
        + "is number else item }}{% if item[1] %}({{ loop(item[1]|map('list')|list) "
        + "}}){% endif %}{% endfor %}"))
        .contains("TypeError: 'int' object is not iterable");
  }

  @Test
  void macrosWithDefaultsKeywordsAndRecursion() {
    assertThat(render("{% macro m(a, b='B') %}[{{ a }}{{ b }}]{% endmacro %}{{ m(1) }}{{ m(1, "
        + "2) }}{{ m(b=3, a=4) }}{{ m() }}"))
        .isEqualTo("[1B][12][43][B]");
    assertThat(render("{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro "
        + "%}{{ rec(3) }}"))
        .isEqualTo("321");
  }

  @Test
  void callFilterSetBlockWithAndGeneration() {
    assertThat(render("{% macro outer() %}<{{ caller() }}>{% endmacro %}{% call outer() %}in{% "
        + "endcall %}"))
        .isEqualTo("<in>");
    assertThat(render("{% filter upper %}abc{{ 'd' }}{% endfilter %}"))
        .isEqualTo("ABCD");
    assertThat(render("{% set b %}x{{ 1 }}y{% endset %}{{ b }}|{% set c | upper %}low{% endset "
        + "%}{{ c }}"))
        .isEqualTo("x1y|LOW");
    assertThat(render("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a }}"))
        .isEqualTo("3");
    assertThat(render("{% generation %}gen{% endgeneration %}"))
        .isEqualTo("gen");
  }

  @Test
  void macrosTakeVarargsKwargsAndCallerOnlyWhenTheyUseThem() {
    assertThat(render("{% macro m(a) %}{{ a }}{{ varargs }}{% endmacro %}{{ m(1, 2) }}|{% macro "
        + "k(a) %}{{ a }}{{ kwargs }}{% endmacro %}{{ k(1, b=2) }}|{% macro c() %}"
        + "[{{ caller('a') }}]{% endmacro %}{% call(x) c() %}<{{ x }}>{% endcall "
        + "%}|{% macro d(a, b=a ~ '!') %}{{ b }}{% endmacro %}{{ d('x') }}"))
        .isEqualTo("1(2,)|1{'b': 2}|[<a>]|x!");
  }

  @Test
  void globals() {
    assertThat(render("{{ range(3)|list }} {{ range(1, 7, 2)|list }} {{ range(5, 0, -2)|list "
        + "}} {{ dict(a=1) }} {{ namespace(a=1).a }}"))
        .isEqualTo("[0, 1, 2] [1, 3, 5] [5, 3, 1] {'a': 1} 1");
    assertThat(render("{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.current "
        + "}}{{ c.next() }}{% set _ = c.reset() %}{{ c.current }}{% set j = joiner('|"
        + "') %}{% for i in [1, 2] %}{{ j() }}{{ i }}{% endfor %}"))
        .isEqualTo("abaaa1|2");
    assertThat(render("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %A %a "
        + "%B %p %I %j %y %%') }}|{{ strftime_now('%-d %e') }}"))
        .isEqualTo("26 Jul 2026|2026-07-26 14:05:09 Sunday Sun July PM 02 207 26 %|26 26");
  }
}

package dev.muse4j.onnx.internal.template;

import static dev.muse4j.onnx.internal.template.Render.fails;
import static dev.muse4j.onnx.internal.template.Render.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Errors: where Jinja2 raises, so does the interpreter, with Python's message. Every expected value here is what Python Jinja2 3.1 renders under transformers' settings.
 */
class ErrorTest {
  @Test
  void raiseExceptionCarriesTheTemplatesMessage() {
    assertThat(fails("{{ raise_exception('Bad: ' ~ 3) }}"))
        .contains("Bad: 3");
  }

  @Test
  void anAttributeOfUndefinedFails() {
    assertThat(fails("{{ y.z }}"))
        .contains("UndefinedError: 'y' is undefined");
    assertThat(fails("{{ d.missing.x }}", "{\"d\": {\"a\": 1}}"))
        .contains("UndefinedError: 'dict object' has no attribute 'missing'");
    assertThat(fails("{{ x.y.z }}", "{\"x\": null}"))
        .contains("UndefinedError: 'None' has no attribute 'y'");
  }

  @Test
  void typeErrorsAreErrors() {
    assertThat(fails("{{ 1 + 'a' }}"))
        .contains("TypeError: unsupported operand type(s) for +: 'int' and 'str'");
    assertThat(fails("{{ 'a' + 1 }}"))
        .contains("TypeError: can only concatenate str (not \"int\") to str");
    assertThat(fails("{{ 'a' < 1 }}"))
        .contains("TypeError: '<' not supported between instances of 'str' and 'int'");
    assertThat(fails("{{ 1 / 0 }}"))
        .contains("ZeroDivisionError: division by zero");
    assertThat(fails("{{ 'a' in none }}"))
        .contains("TypeError: argument of type 'NoneType' is not iterable");
    assertThat(fails("{{ 1 in 'abc' }}"))
        .contains("TypeError: 'in <string>' requires string as left operand, not int");
    assertThat(fails("{% for x in none %}{% endfor %}"))
        .contains("TypeError: 'NoneType' object is not iterable");
    assertThat(fails("{{ y|tojson }}"))
        .contains("TypeError: Object of type Undefined is not JSON serializable");
  }

  @Test
  void theSandboxRefusesToChangeListsAndDicts() {
    assertThat(fails("{{ l.append(1) }}", "{\"l\": [1]}"))
        .contains("SecurityError: access to attribute 'append' of 'list' object is unsafe.");
    assertThat(fails("{{ d.update({'a': 2}) }}", "{\"d\": {\"a\": 1}}"))
        .contains("SecurityError: access to attribute 'update' of 'dict' object is unsafe.");
    assertThat(fails("{{ d.pop('a') }}", "{\"d\": {\"a\": 1}}"))
        .contains("SecurityError: access to attribute 'pop' of 'dict' object is unsafe.");
  }

  @Test
  void aMissingMethodIsUndefinedAndCallingItFails() {
    assertThat(fails("{{ 'abc'.foo() }}"))
        .contains("UndefinedError: 'str object' has no attribute 'foo'");
  }

  @Test
  void aMacroRefusesArgumentsItDoesNotTake() {
    assertThat(fails("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}"))
        .contains("TypeError: macro 'm' takes not more than 1 argument(s)");
    assertThat(fails("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}"))
        .contains("TypeError: macro 'm' takes no keyword argument 'b'");
    assertThat(fails("{% macro m() %}x{% endmacro %}{% call m() %}y{% endcall %}"))
        .contains("TypeError: macro 'm' was invoked with two values for the special caller "
        + "argument. This is most likely a bug.");
  }

  @Test
  void onlyANamespaceTakesAttributes() {
    assertThat(fails("{% set x = 1 %}{% set x.a = 1 %}"))
        .contains("TemplateRuntimeError: cannot assign attribute on non-namespace object");
  }
}

package dev.muse4j.onnx.internal.template;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Jinja2's built-in tests ({@code x is defined}, {@code x is string}, ...). */
final class Tests {
  static final Set<String> NAMES = Set.of("defined", "undefined", "none", "string", "number", "integer", "float",
      "boolean", "true", "false", "mapping", "iterable", "sequence", "callable", "eq", "equalto", "==", "ne", "!=",
      "lt", "lessthan", "<", "gt", "greaterthan", ">", "le", "<=", "ge", ">=", "in", "odd", "even", "divisibleby",
      "lower", "upper", "sameas", "escaped", "filter", "test");

  private Tests() {
  }

  static boolean apply(Interpreter in, String name, @Nullable Object v, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs) {
    Object other = Methods.arg(args, kwargs, 0, "other", null);
    switch (name) {
      case "defined":
        return !(v instanceof Undefined);
      case "undefined":
        return v instanceof Undefined;
      case "none":
        return v == null;
      case "string":
        return v instanceof String;
      case "number":
        return Values.isNumber(v);
      case "integer":
        return v instanceof Long;
      case "float":
        return v instanceof Double;
      case "boolean":
        return v instanceof Boolean;
      case "true":
        return Boolean.TRUE.equals(v);
      case "false":
        return Boolean.FALSE.equals(v);
      case "mapping":
        return v instanceof Map;
      case "iterable":
        return Values.isIterable(v);
      case "sequence":
        return v instanceof String || v instanceof List || v instanceof PyTuple || v instanceof Map;
      case "callable":
        // Jinja's Undefined has __call__ (which raises), so Python's callable() says yes.
        return v instanceof PyCallable || v instanceof Undefined;
      case "eq":
      case "equalto":
      case "==":
        return Values.eq(v, other);
      case "ne":
      case "!=":
        return !Values.eq(v, other);
      case "lt":
      case "lessthan":
      case "<":
        return Values.compare(v, other, "<") < 0;
      case "gt":
      case "greaterthan":
      case ">":
        return Values.compare(v, other, ">") > 0;
      case "le":
      case "<=":
        return Values.compare(v, other, "<=") <= 0;
      case "ge":
      case ">=":
        return Values.compare(v, other, ">=") >= 0;
      case "in":
        return Values.contains(Methods.arg(args, kwargs, 0, "seq", null), v);
      case "odd":
        return Values.toLong(integer(v)) % 2 != 0;
      case "even":
        return Values.toLong(integer(v)) % 2 == 0;
      case "divisibleby":
        if (Values.toLong(integer(Methods.arg(args, kwargs, 0, "num", 1L))) == 0) {
          throw new PyError("ZeroDivisionError: integer modulo by zero");
        }
        return Values.toLong(integer(v)) % Values.toLong(integer(Methods.arg(args, kwargs, 0, "num", 1L))) == 0;
      case "lower":
        return Boolean.TRUE.equals(Interpreter.invoke(Methods.bind(Values.str(v), "islower"), List.of(), Map.of()));
      case "upper":
        return Boolean.TRUE.equals(Interpreter.invoke(Methods.bind(Values.str(v), "isupper"), List.of(), Map.of()));
      case "sameas":
        return v == other || (v instanceof Boolean && v.equals(other));
      case "escaped":
        return false;
      case "filter":
        return Filters.NAMES.contains(Values.str(v));
      case "test":
        return NAMES.contains(Values.str(v));
      default:
        throw new PyError("TemplateAssertionError: No test named '" + name + "'.");
    }
  }

  private static @Nullable Object integer(@Nullable Object v) {
    if (v instanceof Undefined) {
      throw ((Undefined) v).fail();
    }
    if (!Values.isInt(v)) {
      throw PyError.type("the test needs an integer, not " + Values.typeName(v));
    }
    return v;
  }
}

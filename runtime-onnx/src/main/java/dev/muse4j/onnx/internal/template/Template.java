package dev.muse4j.onnx.internal.template;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Jinja template, rendered as Python Jinja2 renders it in transformers'
 * {@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} with the loop controls and
 * {@code generation} extensions and the {@code raise_exception} and {@code strftime_now} globals. Immutable and
 * thread-safe: each render has its own interpreter.
 */
public final class Template {
  private final List<Node> body;

  private Template(List<Node> body) {
    this.body = body;
  }

  /**
   * Parses a template.
   *
   * @param source the template text
   * @return the template
   * @throws TemplateSyntaxException if it does not parse, or names a filter or test Jinja does not have
   */
  public static Template parse(String source) {
    try {
      List<Node> body = Parser.parse(source);
      check(body);
      return new Template(body);
    } catch (StackOverflowError e) {
      throw new TemplateSyntaxException("The template nests too deeply to parse", 1, 1);
    }
  }

  /** Whether a name is read anywhere in these nodes (as Jinja decides whether a macro takes varargs or caller). */
  static boolean reads(@Nullable Object node, String name) {
    if (node instanceof Collection) {
      for (Object o : (Collection<?>) node) {
        if (reads(o, name)) {
          return true;
        }
      }
      return false;
    }
    if (node instanceof Expr.Name) {
      return ((Expr.Name) node).name().equals(name);
    }
    if (node == null || !node.getClass().isRecord()) {
      return false;
    }
    for (RecordComponent c : node.getClass().getRecordComponents()) {
      try {
        if (reads(c.getAccessor().invoke(node), name)) {
          return true;
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return false;
  }

  /** Jinja refuses unknown filters and tests when it compiles a template; so does this. */
  private static void check(@Nullable Object node) {
    if (node instanceof Collection) {
      for (Object o : (Collection<?>) node) {
        check(o);
      }
      return;
    }
    if (node == null || !node.getClass().isRecord()) {
      return;
    }
    if (node instanceof Expr.Filter) {
      Expr.Filter f = (Expr.Filter) node;
      if (!Filters.NAMES.contains(f.name())) {
        throw new TemplateSyntaxException("No filter named '" + f.name() + "'.", f.line(), 1);
      }
    } else if (node instanceof Expr.Test) {
      Expr.Test t = (Expr.Test) node;
      if (!Tests.NAMES.contains(t.name())) {
        throw new TemplateSyntaxException("No test named '" + t.name() + "'.", t.line(), 1);
      }
    }
    for (RecordComponent c : node.getClass().getRecordComponents()) {
      try {
        check(c.getAccessor().invoke(node));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Renders the template.
   *
   * @param variables the context: strings, booleans, numbers, lists, maps and null (None)
   * @param clock what {@code strftime_now} reads, in its zone
   * @return the output
   * @throws TemplateRenderException if the template raises or an expression fails
   */
  public String render(Map<String, ? extends @Nullable Object> variables, Clock clock) {
    Interpreter interpreter = new Interpreter();
    Interpreter.Scope globals = new Interpreter.Scope(null);
    globals.vars.put("range", (PyCallable) Template::range);
    globals.vars.put("dict", (PyCallable) (args, kwargs) -> new LinkedHashMap<Object, Object>(kwargs));
    globals.vars.put("namespace", (PyCallable) (args, kwargs) -> {
      Namespace ns = new Namespace();
      for (Object a : args) {
        if (a instanceof Map) {
          Values.map(a).forEach((k, v) -> ns.attributes.put(Values.str(k), v));
        }
      }
      ns.attributes.putAll(kwargs);
      return ns;
    });
    globals.vars.put("joiner", (PyCallable) (args, kwargs) -> {
      String sep = Values.str(Methods.arg(args, kwargs, 0, "sep", ", "));
      boolean[] used = {false};
      return (PyCallable) (a, k) -> {
        if (used[0]) {
          return sep;
        }
        used[0] = true;
        return "";
      };
    });
    globals.vars.put("cycler", (PyCallable) (args, kwargs) -> new Cycler(new ArrayList<>(args)));
    globals.vars.put("raise_exception", (PyCallable) (args, kwargs) -> {
      throw new PyError(Values.str(Methods.arg(args, kwargs, 0, "message", "")), true);
    });
    globals.vars.put("strftime_now", (PyCallable) (args, kwargs) ->
        Strftime.format(ZonedDateTime.now(clock), Values.str(Methods.arg(args, kwargs, 0, "format", ""))));
    Interpreter.Scope context = new Interpreter.Scope(globals);
    variables.forEach((k, v) -> context.vars.put(k, toPython(v)));
    StringBuilder out = new StringBuilder();
    try {
      interpreter.renderAll(body, context, out);
    } catch (StackOverflowError e) {
      throw new TemplateRenderException("RecursionError: the template nests too deeply", false, 0, null);
    }
    return out.toString();
  }

  /** Jinja's {@code cycler(*items)}: {@code next()}, {@code current} and {@code reset()}. */
  private static final class Cycler implements HasAttributes {
    private final List<@Nullable Object> items;
    private int position;

    Cycler(List<@Nullable Object> items) {
      if (items.isEmpty()) {
        throw new PyError("RuntimeError: at least one item has to be provided");
      }
      this.items = items;
    }

    @Override
    public @Nullable Object attribute(String name, Values.Holder found) {
      found.found = true;
      switch (name) {
        case "current":
          return items.get(position);
        case "next":
          return (PyCallable) (a, k) -> {
            Object v = items.get(position);
            position = (position + 1) % items.size();
            return v;
          };
        case "reset":
          return (PyCallable) (a, k) -> {
            position = 0;
            return null;
          };
        default:
          found.found = false;
          return null;
      }
    }
  }

  private static Object range(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
    long start = 0;
    long stop;
    long step = 1;
    for (Object a : args) {
      if (!Values.isInt(a)) {
        throw PyError.type("'" + Values.typeName(a) + "' object cannot be interpreted as an integer");
      }
    }
    if (args.size() == 1) {
      stop = Values.toLong(args.get(0));
    } else if (args.size() >= 2) {
      start = Values.toLong(args.get(0));
      stop = Values.toLong(args.get(1));
      if (args.size() > 2) {
        step = Values.toLong(args.get(2));
      }
    } else {
      throw PyError.type("range expected at least 1 argument, got 0");
    }
    if (step == 0) {
      throw PyError.value("range() arg 3 must not be zero");
    }
    PyRange range = new PyRange(start, stop, step);
    if (range.size() > 100_000 || (step > 0 ? stop - start : start - stop) / Math.abs(step) > 100_000) {
      throw new PyError("OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    }
    return range;
  }

  /** Java values as the interpreter's Python values. */
  static @Nullable Object toPython(@Nullable Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    } else if (v instanceof Float) {
      return ((Float) v).doubleValue();
    } else if (v instanceof Map) {
      Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> map.put(toPython(k), toPython(x)));
      return map;
    } else if (v instanceof List) {
      List<@Nullable Object> list = new ArrayList<>();
      for (Object x : (List<?>) v) {
        list.add(toPython(x));
      }
      return list;
    }
    return v;
  }
}

package dev.muse4j.onnx.internal.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Walks the syntax tree once per render. Not thread-safe; a {@link Template} makes one per render. */
final class Interpreter {
  /** The most characters one render may produce. */
  static final int MAX_OUTPUT = 16 * 1024 * 1024;
  /** The deepest macro and recursive-loop nesting. */
  static final int MAX_DEPTH = 200;
  /** The most loop iterations one render may run (nested loops over big ranges would otherwise run for hours). */
  static final long MAX_ITERATIONS = 1_000_000;

  private int depth;
  private long written;
  private long iterations;

  /** Refuses to build a string or list of this many characters or items. */
  static void checkSize(long size) {
    if (size > MAX_OUTPUT) {
      throw new PyError("MemoryError: the result would have " + size + " characters or items, more than "
          + MAX_OUTPUT);
    }
  }

  /** Variables: one scope per template, loop iteration, macro call and with block. */
  static final class Scope {
    final @Nullable Scope parent;
    final Map<String, @Nullable Object> vars = new HashMap<>();

    Scope(@Nullable Scope parent) {
      this.parent = parent;
    }

    @Nullable Object lookup(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.vars.containsKey(name)) {
          return s.vars.get(name);
        }
      }
      return Undefined.name(name);
    }
  }

  private static final class BreakSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BreakSignal() {
      super(null, null, false, false);
    }
  }

  private static final class ContinueSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContinueSignal() {
      super(null, null, false, false);
    }
  }

  private static final BreakSignal BREAK = new BreakSignal();
  private static final ContinueSignal CONTINUE = new ContinueSignal();

  /** A macro: called like a function, it renders its body with the arguments bound. */
  final class Macro implements PyCallable {
    final String name;
    final List<Node.Param> params;
    final List<Node> body;
    final Scope closure;
    private final boolean catchVarargs;
    private final boolean catchKwargs;
    private final boolean catchCaller;

    Macro(String name, List<Node.Param> params, List<Node> body, Scope closure) {
      this.name = name;
      this.params = params;
      this.body = body;
      this.closure = closure;
      this.catchVarargs = Template.reads(body, "varargs");
      this.catchKwargs = Template.reads(body, "kwargs");
      this.catchCaller = Template.reads(body, "caller") || params.stream().anyMatch(p -> p.name().equals("caller"));
    }

    @Override
    public @Nullable Object call(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
      if (depth >= MAX_DEPTH) {
        throw new PyError("RecursionError: maximum recursion depth exceeded in macro '" + name + "'");
      }
      depth++;
      try {
        Scope scope = new Scope(closure);
        Map<String, @Nullable Object> extra = new LinkedHashMap<>(kwargs);
        for (int i = 0; i < params.size(); i++) {
          Node.Param p = params.get(i);
          Object value;
          if (i < args.size()) {
            value = args.get(i);
          } else if (extra.containsKey(p.name())) {
            value = extra.remove(p.name());
          } else if (p.fallback() != null) {
            value = eval(p.fallback(), scope);
          } else {
            value = Undefined.hint("parameter '" + p.name() + "' was not provided");
          }
          scope.vars.put(p.name(), value);
        }
        scope.vars.put("varargs", args.size() > params.size()
            ? new PyTuple(new ArrayList<>(args.subList(params.size(), args.size()))) : new PyTuple(List.of()));
        Object caller = extra.remove("caller");
        if (caller != null && !catchCaller && !catchKwargs) {
          throw PyError.type("macro '" + name + "' was invoked with two values for the special caller argument. "
              + "This is most likely a bug.");
        }
        if (caller != null) {
          scope.vars.put("caller", caller);
        }
        if (!catchKwargs && !extra.isEmpty()) {
          throw PyError.type("macro '" + name + "' takes no keyword argument '" + extra.keySet().iterator().next()
              + "'");
        }
        if (!catchVarargs && args.size() > params.size()) {
          throw PyError.type("macro '" + name + "' takes not more than " + params.size() + " argument(s)");
        }
        scope.vars.put("kwargs", new LinkedHashMap<Object, Object>(extra));
        StringBuilder out = new StringBuilder();
        renderAll(body, scope, out);
        return out.toString();
      } finally {
        depth--;
      }
    }

    @Override
    public String toString() {
      return "<Macro '" + name + "'>";
    }
  }

  /** The {@code loop} variable of a for loop. */
  final class LoopContext implements HasAttributes, PyCallable {
    final List<@Nullable Object> items;
    final int depth0;
    final Node.@Nullable For node;
    final @Nullable Scope scope;
    int index0;
    private @Nullable Object lastChanged = NOTHING;

    LoopContext(List<@Nullable Object> items, int depth0, Node.@Nullable For node, @Nullable Scope scope) {
      this.items = items;
      this.depth0 = depth0;
      this.node = node;
      this.scope = scope;
    }

    @Override
    public @Nullable Object attribute(String name, Values.Holder found) {
      found.found = true;
      int n = items.size();
      switch (name) {
        case "index":
          return (long) index0 + 1;
        case "index0":
          return (long) index0;
        case "revindex":
          return (long) (n - index0);
        case "revindex0":
          return (long) (n - index0 - 1);
        case "first":
          return index0 == 0;
        case "last":
          return index0 == n - 1;
        case "length":
          return (long) n;
        case "depth":
          return (long) depth0 + 1;
        case "depth0":
          return (long) depth0;
        case "previtem":
          return index0 > 0 ? items.get(index0 - 1) : Undefined.hint("there is no previous item");
        case "nextitem":
          return index0 < n - 1 ? items.get(index0 + 1) : Undefined.hint("there is no next item");
        case "cycle":
          return (PyCallable) (args, kwargs) -> {
            if (args.isEmpty()) {
              throw PyError.type("no items for cycling given");
            }
            return args.get(index0 % args.size());
          };
        case "changed":
          return (PyCallable) (args, kwargs) -> {
            Object value = new PyTuple(new ArrayList<>(args));
            if (lastChanged == NOTHING || !Values.eq(lastChanged, value)) {
              lastChanged = value;
              return true;
            }
            return false;
          };
        default:
          found.found = false;
          return null;
      }
    }

    @Override
    public @Nullable Object call(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
      if (node == null || !node.recursive() || scope == null) {
        throw PyError.type("Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.");
      }
      StringBuilder out = new StringBuilder();
      runLoop(node, args.isEmpty() ? null : args.get(0), depth0 + 1, scope, out);
      return out.toString();
    }
  }

  private static final Object NOTHING = new Object();

  // ---- statements ----

  void renderAll(List<Node> nodes, Scope scope, StringBuilder out) {
    for (Node node : nodes) {
      try {
        render(node, scope, out);
      } catch (PyError e) {
        throw new TemplateRenderException(e.getMessage(), e.raised, node.line(), null);
      }
    }
  }

  private void write(StringBuilder out, String text) {
    written += text.length();
    if (written > MAX_OUTPUT) {
      throw new PyError("the template wrote more than " + MAX_OUTPUT + " characters");
    }
    out.append(text);
  }

  private void render(Node node, Scope scope, StringBuilder out) {
    if (node instanceof Node.Text) {
      write(out, ((Node.Text) node).text());
    } else if (node instanceof Node.Print) {
      write(out, Values.str(evalAt(((Node.Print) node).expr(), scope)));
    } else if (node instanceof Node.If) {
      Node.If n = (Node.If) node;
      for (Node.Branch b : n.branches()) {
        if (Values.truthy(evalAt(b.test(), scope))) {
          renderAll(b.body(), scope, out);
          return;
        }
      }
      renderAll(n.orElse(), scope, out);
    } else if (node instanceof Node.For) {
      Node.For n = (Node.For) node;
      runLoop(n, evalAt(n.iter(), scope), 0, scope, out);
    } else if (node instanceof Node.Set) {
      Node.Set n = (Node.Set) node;
      assign(n.target(), evalAt(n.value(), scope), scope);
    } else if (node instanceof Node.SetBlock) {
      Node.SetBlock n = (Node.SetBlock) node;
      StringBuilder inner = new StringBuilder();
      renderAll(n.body(), new Scope(scope), inner);
      Object value = inner.toString();
      for (Expr.Filter f : n.filters()) {
        value = applyFilter(f, value, scope);
      }
      assign(n.target(), value, scope);
    } else if (node instanceof Node.Macro) {
      Node.Macro n = (Node.Macro) node;
      scope.vars.put(n.name(), new Macro(n.name(), n.params(), n.body(), scope));
    } else if (node instanceof Node.CallBlock) {
      Node.CallBlock n = (Node.CallBlock) node;
      Macro caller = new Macro("caller", n.params(), n.body(), scope);
      Expr.Call c = n.call();
      Object callee = evalAt(c.callee(), scope);
      List<@Nullable Object> args = new ArrayList<>();
      Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
      collectArgs(c, scope, args, kwargs);
      kwargs.put("caller", caller);
      write(out, Values.str(invoke(callee, args, kwargs)));
    } else if (node instanceof Node.FilterBlock) {
      Node.FilterBlock n = (Node.FilterBlock) node;
      StringBuilder inner = new StringBuilder();
      renderAll(n.body(), scope, inner);
      Object value = inner.toString();
      for (Expr.Filter f : n.filters()) {
        value = applyFilter(f, value, scope);
      }
      write(out, Values.str(value));
    } else if (node instanceof Node.With) {
      Node.With n = (Node.With) node;
      Scope inner = new Scope(scope);
      for (int i = 0; i < n.targets().size(); i++) {
        assign(n.targets().get(i), evalAt(n.values().get(i), scope), inner);
      }
      renderAll(n.body(), inner, out);
    } else if (node instanceof Node.Group) {
      renderAll(((Node.Group) node).body(), scope, out);
    } else if (node instanceof Node.Break) {
      throw BREAK;
    } else if (node instanceof Node.Continue) {
      throw CONTINUE;
    }
  }

  private void runLoop(Node.For n, @Nullable Object iterable, int depth0, Scope scope, StringBuilder out) {
    if (depth0 > MAX_DEPTH) {
      throw new PyError("RecursionError: maximum recursion depth exceeded in a recursive loop");
    }
    List<@Nullable Object> items = Values.iterate(iterable);
    if (n.filter() != null) {
      List<@Nullable Object> kept = new ArrayList<>();
      for (Object item : items) {
        Scope test = new Scope(scope);
        assign(n.target(), item, test);
        if (Values.truthy(evalAt(n.filter(), test))) {
          kept.add(item);
        }
      }
      items = kept;
    }
    LoopContext loop = new LoopContext(items, depth0, n, scope);
    for (int i = 0; i < items.size(); i++) {
      if (++iterations > MAX_ITERATIONS) {
        throw new PyError("the template ran more than " + MAX_ITERATIONS + " loop iterations");
      }
      loop.index0 = i;
      Scope iteration = new Scope(scope);
      iteration.vars.put("loop", loop);
      assign(n.target(), items.get(i), iteration);
      try {
        renderAll(n.body(), iteration, out);
      } catch (ContinueSignal c) {
        continue;
      } catch (BreakSignal b) {
        break;
      }
    }
    if (items.isEmpty()) {
      renderAll(n.orElse(), scope, out);
    }
  }

  private void assign(Node.Target target, @Nullable Object value, Scope scope) {
    if (target instanceof Node.Target.Name) {
      scope.vars.put(((Node.Target.Name) target).name(), value);
    } else if (target instanceof Node.Target.Tuple) {
      List<Node.Target> targets = ((Node.Target.Tuple) target).items();
      if (!Values.isIterable(value)) {
        throw PyError.type("cannot unpack non-iterable " + Values.typeName(value) + " object");
      }
      List<@Nullable Object> values = Values.iterate(value);
      if (values.size() != targets.size()) {
        throw PyError.value(values.size() > targets.size()
            ? "too many values to unpack (expected " + targets.size() + ")"
            : "not enough values to unpack (expected " + targets.size() + ", got " + values.size() + ")");
      }
      for (int i = 0; i < targets.size(); i++) {
        assign(targets.get(i), values.get(i), scope);
      }
    } else {
      Node.Target.Attribute a = (Node.Target.Attribute) target;
      Object ns = scope.lookup(a.name());
      if (!(ns instanceof Namespace)) {
        throw new PyError("TemplateRuntimeError: cannot assign attribute on non-namespace object");
      }
      ((Namespace) ns).attributes.put(a.attribute(), value);
    }
  }

  // ---- expressions ----

  private @Nullable Object evalAt(Expr e, Scope scope) {
    return eval(e, scope);
  }

  @Nullable Object eval(Expr e, Scope scope) {
    if (e instanceof Expr.Const) {
      return ((Expr.Const) e).value();
    } else if (e instanceof Expr.Name) {
      return scope.lookup(((Expr.Name) e).name());
    } else if (e instanceof Expr.GetAttr) {
      Expr.GetAttr g = (Expr.GetAttr) e;
      return Values.getattr(eval(g.obj(), scope), g.attribute());
    } else if (e instanceof Expr.GetItem) {
      Expr.GetItem g = (Expr.GetItem) e;
      Object obj = eval(g.obj(), scope);
      Object key;
      if (g.key() instanceof Expr.Slice) {
        Expr.Slice s = (Expr.Slice) g.key();
        key = new Values.Slice(s.start() == null ? null : eval(s.start(), scope),
            s.stop() == null ? null : eval(s.stop(), scope), s.step() == null ? null : eval(s.step(), scope));
      } else {
        key = eval(g.key(), scope);
      }
      return Values.getitem(obj, key);
    } else if (e instanceof Expr.Filter) {
      Expr.Filter f = (Expr.Filter) e;
      return applyFilter(f, f.value() == null ? null : eval(f.value(), scope), scope);
    } else if (e instanceof Expr.Test) {
      Expr.Test t = (Expr.Test) e;
      Object value = eval(t.value(), scope);
      List<@Nullable Object> args = new ArrayList<>();
      for (Expr a : t.args()) {
        args.add(eval(a, scope));
      }
      Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
      for (Expr.Keyword k : t.kwargs()) {
        kwargs.put(k.name(), eval(k.value(), scope));
      }
      boolean result = Tests.apply(this, t.name(), value, args, kwargs);
      return t.negated() != result;
    } else if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      Object callee = eval(c.callee(), scope);
      List<@Nullable Object> args = new ArrayList<>();
      Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
      collectArgs(c, scope, args, kwargs);
      return invoke(callee, args, kwargs);
    } else if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      Object l = eval(b.left(), scope);
      Object r = eval(b.right(), scope);
      switch (b.op()) {
        case "+":
          return Values.add(l, r);
        case "-":
          return Values.sub(l, r);
        case "*":
          return Values.mul(l, r);
        case "/":
          return Values.div(l, r);
        case "//":
          return Values.floorDiv(l, r);
        case "%":
          return Values.mod(l, r);
        case "**":
          return Values.pow(l, r);
        default:
          throw new IllegalStateException(b.op());
      }
    } else if (e instanceof Expr.Unary) {
      Expr.Unary u = (Expr.Unary) e;
      Object v = eval(u.operand(), scope);
      return u.op().equals("-") ? Values.neg(v) : Values.pos(v);
    } else if (e instanceof Expr.Not) {
      return !Values.truthy(eval(((Expr.Not) e).operand(), scope));
    } else if (e instanceof Expr.And) {
      Expr.And a = (Expr.And) e;
      Object l = eval(a.left(), scope);
      return Values.truthy(l) ? eval(a.right(), scope) : l;
    } else if (e instanceof Expr.Or) {
      Expr.Or o = (Expr.Or) e;
      Object l = eval(o.left(), scope);
      return Values.truthy(l) ? l : eval(o.right(), scope);
    } else if (e instanceof Expr.Compare) {
      Expr.Compare c = (Expr.Compare) e;
      Object left = eval(c.first(), scope);
      for (int i = 0; i < c.ops().size(); i++) {
        Object right = eval(c.rest().get(i), scope);
        if (!compare(c.ops().get(i), left, right)) {
          return false;
        }
        left = right;
      }
      return true;
    } else if (e instanceof Expr.Conditional) {
      Expr.Conditional c = (Expr.Conditional) e;
      if (Values.truthy(eval(c.test(), scope))) {
        return eval(c.then(), scope);
      }
      return c.otherwise() != null ? eval(c.otherwise(), scope) : Undefined.hint("the inline if-expression on line "
          + c.line() + " evaluated to false and no else section was defined.");
    } else if (e instanceof Expr.Concat) {
      StringBuilder b = new StringBuilder();
      for (Expr part : ((Expr.Concat) e).parts()) {
        b.append(Values.str(eval(part, scope)));
      }
      return b.toString();
    } else if (e instanceof Expr.ListLiteral) {
      List<@Nullable Object> list = new ArrayList<>();
      for (Expr item : ((Expr.ListLiteral) e).items()) {
        list.add(eval(item, scope));
      }
      return list;
    } else if (e instanceof Expr.TupleLiteral) {
      List<@Nullable Object> list = new ArrayList<>();
      for (Expr item : ((Expr.TupleLiteral) e).items()) {
        list.add(eval(item, scope));
      }
      return new PyTuple(list);
    } else if (e instanceof Expr.DictLiteral) {
      Expr.DictLiteral d = (Expr.DictLiteral) e;
      Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
      for (int i = 0; i < d.keys().size(); i++) {
        map.put(eval(d.keys().get(i), scope), eval(d.values().get(i), scope));
      }
      return map;
    } else if (e instanceof Expr.Slice) {
      throw new PyError("a slice is only valid inside []");
    }
    throw new IllegalStateException(e.getClass().getName());
  }

  private static boolean compare(String op, @Nullable Object l, @Nullable Object r) {
    switch (op) {
      case "==":
        return Values.eq(l, r);
      case "!=":
        return !Values.eq(l, r);
      case "<":
        return Values.compare(l, r, "<") < 0;
      case "<=":
        return Values.compare(l, r, "<=") <= 0;
      case ">":
        return Values.compare(l, r, ">") > 0;
      case ">=":
        return Values.compare(l, r, ">=") >= 0;
      case "in":
        return Values.contains(r, l);
      case "notin":
        return !Values.contains(r, l);
      default:
        throw new IllegalStateException(op);
    }
  }

  private void collectArgs(Expr.Call c, Scope scope, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs) {
    for (Expr a : c.args()) {
      args.add(eval(a, scope));
    }
    if (c.starArgs() != null) {
      args.addAll(Values.iterate(eval(c.starArgs(), scope)));
    }
    for (Expr.Keyword k : c.kwargs()) {
      kwargs.put(k.name(), eval(k.value(), scope));
    }
    if (c.starKwargs() != null) {
      Object extra = eval(c.starKwargs(), scope);
      if (!(extra instanceof Map)) {
        throw PyError.type("argument after ** must be a mapping, not " + Values.typeName(extra));
      }
      for (Map.Entry<@Nullable Object, @Nullable Object> en : Values.map(extra).entrySet()) {
        kwargs.put(Values.str(en.getKey()), en.getValue());
      }
    }
  }

  static @Nullable Object invoke(@Nullable Object callee, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs) {
    if (callee instanceof Undefined) {
      throw ((Undefined) callee).fail();
    }
    if (!(callee instanceof PyCallable)) {
      throw PyError.type("'" + Values.typeName(callee) + "' object is not callable");
    }
    return ((PyCallable) callee).call(args, kwargs);
  }

  private @Nullable Object applyFilter(Expr.Filter f, @Nullable Object value, Scope scope) {
    List<@Nullable Object> args = new ArrayList<>();
    for (Expr a : f.args()) {
      args.add(eval(a, scope));
    }
    Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
    for (Expr.Keyword k : f.kwargs()) {
      kwargs.put(k.name(), eval(k.value(), scope));
    }
    return Filters.apply(this, f.name(), value, args, kwargs);
  }

  static List<@Nullable Object> list(@Nullable Object... values) {
    return new ArrayList<>(Arrays.asList(values));
  }
}

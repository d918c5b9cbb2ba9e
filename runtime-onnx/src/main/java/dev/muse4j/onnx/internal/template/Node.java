package dev.muse4j.onnx.internal.template;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The syntax tree: statements that write output, and expressions that compute values. */
sealed interface Node {
  int line();

  /** Text written as it is. */
  record Text(String text, int line) implements Node {
  }

  /** {@code {{ expr }}}. */
  record Print(Expr expr, int line) implements Node {
  }

  /** {@code {% if %}...{% elif %}...{% else %}...{% endif %}}: one branch per condition. */
  record If(List<Branch> branches, List<Node> orElse, int line) implements Node {
  }

  record Branch(Expr test, List<Node> body) {
  }

  /** {@code {% for target in iter if filter %}...{% else %}...{% endfor %}}. */
  record For(Target target, Expr iter, @Nullable Expr filter, List<Node> body, List<Node> orElse, boolean recursive,
      int line) implements Node {
  }

  /** {@code {% set target = value %}}. */
  record Set(Target target, Expr value, int line) implements Node {
  }

  /** {@code {% set target | filters %}...{% endset %}}. */
  record SetBlock(Target target, List<Node> body, List<Expr.Filter> filters, int line) implements Node {
  }

  /** {@code {% macro name(params) %}...{% endmacro %}}. */
  record Macro(String name, List<Param> params, List<Node> body, int line) implements Node {
  }

  record Param(String name, @Nullable Expr fallback) {
  }

  /** {@code {% call(params) macro(args) %}...{% endcall %}}. */
  record CallBlock(Expr.Call call, List<Param> params, List<Node> body, int line) implements Node {
  }

  /** {@code {% filter name %}...{% endfilter %}}. */
  record FilterBlock(List<Expr.Filter> filters, List<Node> body, int line) implements Node {
  }

  /** {@code {% with a = 1 %}...{% endwith %}}: a scope. */
  record With(List<Target> targets, List<Expr> values, List<Node> body, int line) implements Node {
  }

  /** A body rendered in place (transformers' {@code generation} block). */
  record Group(List<Node> body, int line) implements Node {
  }

  record Break(int line) implements Node {
  }

  record Continue(int line) implements Node {
  }

  /** What {@code set}, {@code for} and {@code with} assign to. */
  sealed interface Target {
    record Name(String name) implements Target {
    }

    record Tuple(List<Target> items) implements Target {
    }

    /** {@code ns.attr}, only on a namespace. */
    record Attribute(String name, String attribute) implements Target {
    }
  }
}

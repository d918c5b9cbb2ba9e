package dev.muse4j.onnx.internal.template;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Expressions. */
sealed interface Expr {
  int line();

  record Const(@Nullable Object value, int line) implements Expr {
  }

  record Name(String name, int line) implements Expr {
  }

  record ListLiteral(List<Expr> items, int line) implements Expr {
  }

  record TupleLiteral(List<Expr> items, int line) implements Expr {
  }

  record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {
  }

  record GetAttr(Expr obj, String attribute, int line) implements Expr {
  }

  record GetItem(Expr obj, Expr key, int line) implements Expr {
  }

  /** {@code [start:stop:step]} as a subscript. */
  record Slice(@Nullable Expr start, @Nullable Expr stop, @Nullable Expr step, int line) implements Expr {
  }

  record Call(Expr callee, List<Expr> args, List<Keyword> kwargs, @Nullable Expr starArgs,
      @Nullable Expr starKwargs, int line) implements Expr {
  }

  record Keyword(String name, Expr value) {
  }

  /** {@code value | name(args)}; value is null inside a filter block or set block. */
  record Filter(@Nullable Expr value, String name, List<Expr> args, List<Keyword> kwargs, int line) implements Expr {
  }

  /** {@code value is [not] name(args)}. */
  record Test(Expr value, String name, List<Expr> args, List<Keyword> kwargs, boolean negated, int line)
      implements Expr {
  }

  record Unary(String op, Expr operand, int line) implements Expr {
  }

  record Binary(String op, Expr left, Expr right, int line) implements Expr {
  }

  record Not(Expr operand, int line) implements Expr {
  }

  record And(Expr left, Expr right, int line) implements Expr {
  }

  record Or(Expr left, Expr right, int line) implements Expr {
  }

  /** {@code a < b <= c}: chained. */
  record Compare(Expr first, List<String> ops, List<Expr> rest, int line) implements Expr {
  }

  /** {@code then if test else otherwise}; otherwise null gives an undefined. */
  record Conditional(Expr test, Expr then, @Nullable Expr otherwise, int line) implements Expr {
  }

  /** {@code a ~ b ~ c}. */
  record Concat(List<Expr> parts, int line) implements Expr {
  }
}

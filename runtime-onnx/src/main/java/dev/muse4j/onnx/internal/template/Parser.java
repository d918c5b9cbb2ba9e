package dev.muse4j.onnx.internal.template;

import dev.muse4j.onnx.internal.template.Lexer.Token;
import dev.muse4j.onnx.internal.template.Lexer.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Jinja2's grammar and operator precedence, producing {@link Node}s and {@link Expr}s. */
final class Parser {
  private static final Set<String> COMPARE = Set.of("==", "!=", "<", "<=", ">", ">=");

  private final List<Token> tokens;
  private int at;
  private int loopDepth;
  /** The open blocks, innermost last: their names and the tags that may end their current part. */
  private final java.util.ArrayDeque<String> openBlocks = new java.util.ArrayDeque<>();
  private final java.util.ArrayDeque<Set<String>> openEnds = new java.util.ArrayDeque<>();

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static List<Node> parse(String source) {
    Parser p = new Parser(Lexer.tokenize(source));
    List<Node> body = p.subparse(Set.of());
    if (p.current().type() != Type.EOF) {
      Token t = p.current();
      throw p.error("Unexpected end tag '" + t.text() + "'", t);
    }
    return body;
  }

  // ---- token stream ----

  private Token current() {
    return tokens.get(at);
  }

  private Token look() {
    return tokens.get(Math.min(at + 1, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(at);
    if (at < tokens.size() - 1) {
      at++;
    }
    return t;
  }

  private TemplateSyntaxException error(String message, Token t) {
    return new TemplateSyntaxException(message, t.line(), t.column());
  }

  private static String describe(Token t) {
    switch (t.type()) {
      case EOF:
        return "end of template";
      case BLOCK_END:
        return "end of statement block";
      case VAR_END:
        return "end of print statement";
      case STRING:
        return "string";
      case INTEGER:
        return "integer";
      case FLOAT:
        return "float";
      default:
        return "'" + t.text() + "'";
    }
  }

  private Token expectOp(String op) {
    if (!current().isOp(op)) {
      throw error("expected token '" + op + "', got " + describe(current()), current());
    }
    return next();
  }

  private Token expectName() {
    if (current().type() != Type.NAME) {
      throw error("expected a name, got " + describe(current()), current());
    }
    return next();
  }

  private void expectName(String name) {
    if (!current().isName(name)) {
      throw error("expected '" + name + "', got " + describe(current()), current());
    }
    next();
  }

  private boolean skipOp(String op) {
    if (current().isOp(op)) {
      next();
      return true;
    }
    return false;
  }

  private boolean skipName(String name) {
    if (current().isName(name)) {
      next();
      return true;
    }
    return false;
  }

  private void expectBlockEnd() {
    if (current().type() != Type.BLOCK_END) {
      throw error("expected end of statement block, got " + describe(current()), current());
    }
    next();
  }

  // ---- statements ----

  /** Nodes up to a block tag named in ends (left as the current token, after its BLOCK_BEGIN), or the end. */
  private List<Node> subparse(Set<String> ends) {
    if (!ends.isEmpty()) {
      openEnds.push(ends);
    }
    try {
      return subparseIn(ends);
    } finally {
      if (!ends.isEmpty()) {
        openEnds.pop();
      }
    }
  }

  private String lookingFor() {
    Set<String> ends = openEnds.peek();
    // In Jinja's order: a loop's end before its else, an if's elif and else before its end.
    List<String> names = ends.stream().sorted((a, b) -> a.equals("endfor") ? -1 : b.equals("endfor") ? 1
        : a.compareTo(b)).map(e -> "'" + e + "'").toList();
    return "Jinja was looking for the following tags: " + String.join(" or ", names) + ". The innermost block that needs to be closed is '" + openBlocks.peek() + "'.";
  }

  private List<Node> subparseIn(Set<String> ends) {
    List<Node> body = new ArrayList<>();
    while (true) {
      Token t = current();
      switch (t.type()) {
        case DATA:
          body.add(new Node.Text((String) t.value(), t.line()));
          next();
          break;
        case VAR_BEGIN: {
          next();
          Expr e = parseTuple(true, Set.of(), false);
          if (current().type() != Type.VAR_END) {
            throw error("expected end of print statement, got " + describe(current()), current());
          }
          next();
          body.add(new Node.Print(e, t.line()));
          break;
        }
        case BLOCK_BEGIN: {
          next();
          Token name = current();
          if (name.type() == Type.NAME && ends.contains(name.text())) {
            return body;
          }
          body.add(statement());
          break;
        }
        case EOF:
          if (!ends.isEmpty()) {
            throw error("Unexpected end of template. " + lookingFor(), t);
          }
          return body;
        default:
          throw error("unexpected " + describe(t), t);
      }
    }
  }

  private Node statement() {
    Token t = current();
    if (t.type() != Type.NAME) {
      throw error("tag name expected", t);
    }
    next();
    openBlocks.push(t.text());
    try {
      return statementNamed(t);
    } finally {
      openBlocks.pop();
    }
  }

  private Node statementNamed(Token t) {
    Node node;
    switch (t.text()) {
      case "if":
        node = parseIf(t);
        break;
      case "for":
        node = parseFor(t);
        break;
      case "set":
        node = parseSet(t);
        break;
      case "macro":
        node = parseMacro(t);
        break;
      case "call":
        node = parseCallBlock(t);
        break;
      case "filter": {
        List<Expr.Filter> filters = filterChain(null);
        expectBlockEnd();
        node = new Node.FilterBlock(filters, body("endfilter"), t.line());
        break;
      }
      case "with":
        node = parseWith(t);
        break;
      case "generation":
        expectBlockEnd();
        node = new Node.Group(body("endgeneration"), t.line());
        break;
      case "break":
      case "continue":
        if (loopDepth == 0) {
          throw error("'" + t.text() + "' outside of a loop", t);
        }
        expectBlockEnd();
        return t.text().equals("break") ? new Node.Break(t.line()) : new Node.Continue(t.line());
      default:
        openBlocks.pop();
        try {
          if (!openEnds.isEmpty()) {
            throw error("Encountered unknown tag '" + t.text() + "'. " + lookingFor(), t);
          }
          throw error("Encountered unknown tag '" + t.text() + "'.", t);
        } finally {
          openBlocks.push(t.text());
        }
    }
    return node;
  }

  /** The body up to {@code {% end %}}, with the end tag consumed. */
  private List<Node> body(String end) {
    List<Node> body = subparse(Set.of(end));
    next();
    expectBlockEnd();
    return body;
  }

  private Node parseIf(Token t) {
    List<Node.Branch> branches = new ArrayList<>();
    List<Node> orElse = List.of();
    Expr test = parseTuple(false, Set.of(), false);
    expectBlockEnd();
    while (true) {
      List<Node> body = subparse(Set.of("elif", "else", "endif"));
      branches.add(new Node.Branch(test, body));
      Token end = next();
      if (end.text().equals("elif")) {
        test = parseTuple(false, Set.of(), false);
        expectBlockEnd();
        continue;
      }
      if (end.text().equals("else")) {
        expectBlockEnd();
        orElse = body("endif");
      } else {
        expectBlockEnd();
      }
      return new Node.If(branches, orElse, t.line());
    }
  }

  private Node parseFor(Token t) {
    Node.Target target = assignTarget(Set.of("in"), false);
    expectName("in");
    Expr iter = parseTuple(false, Set.of("recursive"), false);
    Expr filter = null;
    if (skipName("if")) {
      filter = parseExpression(true);
    }
    boolean recursive = skipName("recursive");
    expectBlockEnd();
    loopDepth++;
    List<Node> body = subparse(Set.of("endfor", "else"));
    loopDepth--;
    List<Node> orElse = List.of();
    if (next().text().equals("else")) {
      expectBlockEnd();
      orElse = body("endfor");
    } else {
      expectBlockEnd();
    }
    return new Node.For(target, iter, filter, body, orElse, recursive, t.line());
  }

  private Node parseSet(Token t) {
    Node.Target target = assignTarget(Set.of(), true);
    if (skipOp("=")) {
      Expr value = parseTuple(true, Set.of(), false);
      expectBlockEnd();
      return new Node.Set(target, value, t.line());
    }
    List<Expr.Filter> filters = current().isOp("|") ? filterChainAfterPipe() : List.of();
    expectBlockEnd();
    int depth = loopDepth;
    loopDepth = 0;
    List<Node> body = body("endset");
    loopDepth = depth;
    return new Node.SetBlock(target, body, filters, t.line());
  }

  private List<Expr.Filter> filterChainAfterPipe() {
    next();
    return filterChain(null);
  }

  private Node parseMacro(Token t) {
    String name = expectName().text();
    List<Node.Param> params = signature();
    expectBlockEnd();
    int depth = loopDepth;
    loopDepth = 0;
    List<Node> body = body("endmacro");
    loopDepth = depth;
    return new Node.Macro(name, params, body, t.line());
  }

  private List<Node.Param> signature() {
    List<Node.Param> params = new ArrayList<>();
    expectOp("(");
    boolean defaults = false;
    while (!current().isOp(")")) {
      if (!params.isEmpty()) {
        expectOp(",");
      }
      Token name = expectName();
      Expr fallback = null;
      if (skipOp("=")) {
        fallback = parseExpression(true);
        defaults = true;
      } else if (defaults) {
        throw error("non-default argument follows default argument", name);
      }
      if (name.text().equals("caller") && fallback == null) {
        throw error("When defining macros or call blocks the special \"caller\" argument must be omitted or be "
            + "given a default.", name);
      }
      params.add(new Node.Param(name.text(), fallback));
    }
    expectOp(")");
    return params;
  }

  private Node parseCallBlock(Token t) {
    List<Node.Param> params = current().isOp("(") ? signature() : List.of();
    Expr call = parseExpression(true);
    if (!(call instanceof Expr.Call)) {
      throw error("expected call", t);
    }
    expectBlockEnd();
    int depth = loopDepth;
    loopDepth = 0;
    List<Node> body = body("endcall");
    loopDepth = depth;
    return new Node.CallBlock((Expr.Call) call, params, body, t.line());
  }

  private Node parseWith(Token t) {
    List<Node.Target> targets = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    while (current().type() != Type.BLOCK_END) {
      if (!targets.isEmpty()) {
        expectOp(",");
      }
      targets.add(assignTarget(Set.of(), false));
      expectOp("=");
      values.add(parseExpression(true));
    }
    expectBlockEnd();
    return new Node.With(targets, values, body("endwith"), t.line());
  }

  private Node.Target assignTarget(Set<String> extraEnds, boolean withNamespace) {
    if (withNamespace && current().type() == Type.NAME && look().isOp(".")) {
      String name = next().text();
      next();
      return new Node.Target.Attribute(name, expectName().text());
    }
    Expr e = parseTuple(true, extraEnds, false, true);
    return toTarget(e);
  }

  private Node.Target toTarget(Expr e) {
    if (e instanceof Expr.Name) {
      String name = ((Expr.Name) e).name();
      if (Set.of("true", "false", "none", "True", "False", "None").contains(name)) {
        throw new TemplateSyntaxException("Can't assign to " + name, e.line(), 1);
      }
      return new Node.Target.Name(name);
    }
    if (e instanceof Expr.TupleLiteral) {
      List<Node.Target> items = new ArrayList<>();
      for (Expr item : ((Expr.TupleLiteral) e).items()) {
        items.add(toTarget(item));
      }
      return new Node.Target.Tuple(items);
    }
    throw new TemplateSyntaxException("can't assign to " + e.getClass().getSimpleName(), e.line(), 1);
  }

  // ---- expressions ----

  private Expr parseTuple(boolean withCondexpr, Set<String> extraEnds, boolean explicitParentheses) {
    return parseTuple(withCondexpr, extraEnds, explicitParentheses, false);
  }

  private Expr parseTuple(boolean withCondexpr, Set<String> extraEnds, boolean explicitParentheses,
      boolean simplified) {
    Token start = current();
    List<Expr> items = new ArrayList<>();
    boolean isTuple = false;
    while (true) {
      if (!items.isEmpty()) {
        expectOp(",");
      }
      if (isTupleEnd(extraEnds)) {
        break;
      }
      items.add(simplified ? primary() : parseExpression(withCondexpr));
      if (current().isOp(",")) {
        isTuple = true;
      } else {
        break;
      }
    }
    if (!isTuple) {
      if (!items.isEmpty()) {
        return items.get(0);
      }
      if (!explicitParentheses) {
        throw error("Expected an expression, got " + describe(current()), current());
      }
    }
    return new Expr.TupleLiteral(items, start.line());
  }

  private boolean isTupleEnd(Set<String> extraEnds) {
    Token t = current();
    return t.type() == Type.VAR_END || t.type() == Type.BLOCK_END || t.isOp(")")
        || (t.type() == Type.NAME && extraEnds.contains(t.text())) || t.type() == Type.EOF;
  }

  private Expr parseExpression(boolean withCondexpr) {
    return withCondexpr ? condexpr() : or();
  }

  private Expr condexpr() {
    Expr expr = or();
    while (current().isName("if")) {
      int line = next().line();
      Expr test = or();
      Expr otherwise = skipName("else") ? condexpr() : null;
      expr = new Expr.Conditional(test, expr, otherwise, line);
    }
    return expr;
  }

  private Expr or() {
    Expr left = and();
    while (current().isName("or")) {
      int line = next().line();
      left = new Expr.Or(left, and(), line);
    }
    return left;
  }

  private Expr and() {
    Expr left = not();
    while (current().isName("and")) {
      int line = next().line();
      left = new Expr.And(left, not(), line);
    }
    return left;
  }

  private Expr not() {
    if (current().isName("not")) {
      int line = next().line();
      return new Expr.Not(not(), line);
    }
    return compare();
  }

  private Expr compare() {
    int line = current().line();
    Expr first = math1();
    List<String> ops = new ArrayList<>();
    List<Expr> rest = new ArrayList<>();
    while (true) {
      Token t = current();
      if (t.type() == Type.OPERATOR && COMPARE.contains(t.text())) {
        next();
        ops.add(t.text());
        rest.add(math1());
      } else if (t.isName("in")) {
        next();
        ops.add("in");
        rest.add(math1());
      } else if (t.isName("not") && look().isName("in")) {
        next();
        next();
        ops.add("notin");
        rest.add(math1());
      } else {
        break;
      }
    }
    return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest, line);
  }

  private Expr math1() {
    Expr left = concat();
    while (current().isOp("+") || current().isOp("-")) {
      Token op = next();
      left = new Expr.Binary(op.text(), left, concat(), op.line());
    }
    return left;
  }

  private Expr concat() {
    int line = current().line();
    List<Expr> parts = new ArrayList<>();
    parts.add(math2());
    while (current().isOp("~")) {
      next();
      parts.add(math2());
    }
    return parts.size() == 1 ? parts.get(0) : new Expr.Concat(parts, line);
  }

  private Expr math2() {
    Expr left = pow();
    while (current().isOp("*") || current().isOp("/") || current().isOp("//") || current().isOp("%")) {
      Token op = next();
      left = new Expr.Binary(op.text(), left, pow(), op.line());
    }
    return left;
  }

  private Expr pow() {
    Expr left = unary(true);
    while (current().isOp("**")) {
      Token op = next();
      left = new Expr.Binary("**", left, unary(true), op.line());
    }
    return left;
  }

  private Expr unary(boolean withFilter) {
    Token t = current();
    Expr node;
    if (t.isOp("-")) {
      next();
      node = new Expr.Unary("-", unary(false), t.line());
    } else if (t.isOp("+")) {
      next();
      node = new Expr.Unary("+", unary(false), t.line());
    } else {
      node = primary();
    }
    node = postfix(node);
    if (withFilter) {
      node = filterExpr(node);
    }
    return node;
  }

  private Expr primary() {
    Token t = current();
    switch (t.type()) {
      case NAME:
        next();
        switch (t.text()) {
          case "true":
          case "True":
            return new Expr.Const(true, t.line());
          case "false":
          case "False":
            return new Expr.Const(false, t.line());
          case "none":
          case "None":
            return new Expr.Const(null, t.line());
          default:
            return new Expr.Name(t.text(), t.line());
        }
      case STRING: {
        next();
        StringBuilder b = new StringBuilder((String) t.value());
        while (current().type() == Type.STRING) {
          b.append((String) next().value());
        }
        return new Expr.Const(b.toString(), t.line());
      }
      case INTEGER:
      case FLOAT:
        next();
        return new Expr.Const(t.value(), t.line());
      case OPERATOR:
        if (t.isOp("(")) {
          next();
          Expr e = parseTuple(true, Set.of(), true);
          expectOp(")");
          return e;
        } else if (t.isOp("[")) {
          next();
          List<Expr> items = new ArrayList<>();
          while (!current().isOp("]")) {
            if (!items.isEmpty()) {
              expectOp(",");
            }
            if (current().isOp("]")) {
              break;
            }
            items.add(parseExpression(true));
          }
          expectOp("]");
          return new Expr.ListLiteral(items, t.line());
        } else if (t.isOp("{")) {
          next();
          List<Expr> keys = new ArrayList<>();
          List<Expr> values = new ArrayList<>();
          while (!current().isOp("}")) {
            if (!keys.isEmpty()) {
              expectOp(",");
            }
            if (current().isOp("}")) {
              break;
            }
            keys.add(parseExpression(true));
            expectOp(":");
            values.add(parseExpression(true));
          }
          expectOp("}");
          return new Expr.DictLiteral(keys, values, t.line());
        }
        throw error("unexpected '" + t.text() + "'", t);
      default:
        throw error("unexpected " + describe(t), t);
    }
  }

  private Expr postfix(Expr node) {
    while (true) {
      Token t = current();
      if (t.isOp(".") || t.isOp("[")) {
        node = subscript(node);
      } else if (t.isOp("(")) {
        node = call(node);
      } else {
        return node;
      }
    }
  }

  private Expr filterExpr(Expr node) {
    while (true) {
      Token t = current();
      if (t.isOp("|")) {
        next();
        node = filter(node);
      } else if (t.isName("is")) {
        node = test(node);
      } else if (t.isOp("(")) {
        node = call(node);
      } else {
        return node;
      }
    }
  }

  private Expr subscript(Expr node) {
    Token t = next();
    if (t.isOp(".")) {
      Token attr = next();
      if (attr.type() == Type.NAME) {
        return new Expr.GetAttr(node, attr.text(), t.line());
      } else if (attr.type() == Type.INTEGER) {
        return new Expr.GetItem(node, new Expr.Const(attr.value(), attr.line()), t.line());
      }
      throw error("expected name or number", attr);
    }
    List<Expr> args = new ArrayList<>();
    while (!current().isOp("]")) {
      if (!args.isEmpty()) {
        expectOp(",");
      }
      args.add(subscribed());
    }
    expectOp("]");
    Expr key = args.size() == 1 ? args.get(0) : new Expr.TupleLiteral(args, t.line());
    return new Expr.GetItem(node, key, t.line());
  }

  private Expr subscribed() {
    int line = current().line();
    Expr start = null;
    if (current().isOp(":")) {
      next();
    } else {
      Expr node = parseExpression(true);
      if (!current().isOp(":")) {
        return node;
      }
      next();
      start = node;
    }
    Expr stop = null;
    if (!current().isOp(":") && !current().isOp("]") && !current().isOp(",")) {
      stop = parseExpression(true);
    }
    Expr step = null;
    if (current().isOp(":")) {
      next();
      if (!current().isOp("]") && !current().isOp(",")) {
        step = parseExpression(true);
      }
    }
    return new Expr.Slice(start, stop, step, line);
  }

  private record Args(List<Expr> args, List<Expr.Keyword> kwargs, @Nullable Expr star, @Nullable Expr starStar) {
  }

  private Args callArgs() {
    Token open = expectOp("(");
    List<Expr> args = new ArrayList<>();
    List<Expr.Keyword> kwargs = new ArrayList<>();
    Expr star = null;
    Expr starStar = null;
    boolean first = true;
    while (!current().isOp(")")) {
      if (!first) {
        expectOp(",");
        if (current().isOp(")")) {
          break;
        }
      }
      first = false;
      if (skipOp("**")) {
        starStar = parseExpression(true);
      } else if (skipOp("*")) {
        star = parseExpression(true);
      } else if (current().type() == Type.NAME && look().isOp("=")) {
        String name = next().text();
        next();
        kwargs.add(new Expr.Keyword(name, parseExpression(true)));
      } else {
        if (!kwargs.isEmpty() || starStar != null) {
          throw error("positional argument follows keyword argument", current());
        }
        args.add(parseExpression(true));
      }
      if (current().type() == Type.EOF) {
        throw error("unclosed '('", open);
      }
    }
    expectOp(")");
    return new Args(args, kwargs, star, starStar);
  }

  private Expr call(Expr node) {
    int line = current().line();
    Args a = callArgs();
    return new Expr.Call(node, a.args(), a.kwargs(), a.star(), a.starStar(), line);
  }

  private List<Expr.Filter> filterChain(@Nullable Expr value) {
    List<Expr.Filter> filters = new ArrayList<>();
    Expr.Filter f = (Expr.Filter) filter(value);
    filters.add(f);
    while (current().isOp("|")) {
      next();
      filters.add((Expr.Filter) filter(null));
    }
    return filters;
  }

  private Expr filter(@Nullable Expr node) {
    Token t = expectName();
    StringBuilder name = new StringBuilder(t.text());
    while (current().isOp(".")) {
      next();
      name.append('.').append(expectName().text());
    }
    if (current().isOp("(")) {
      Args a = callArgs();
      return new Expr.Filter(node, name.toString(), a.args(), a.kwargs(), t.line());
    }
    return new Expr.Filter(node, name.toString(), List.of(), List.of(), t.line());
  }

  private Expr test(Expr node) {
    Token is = next();
    boolean negated = skipName("not");
    Token t = expectName();
    StringBuilder name = new StringBuilder(t.text());
    while (current().isOp(".")) {
      next();
      name.append('.').append(expectName().text());
    }
    List<Expr> args = List.of();
    List<Expr.Keyword> kwargs = List.of();
    Token c = current();
    if (c.isOp("(")) {
      Args a = callArgs();
      args = a.args();
      kwargs = a.kwargs();
    } else if ((c.type() == Type.NAME || c.type() == Type.STRING || c.type() == Type.INTEGER
        || c.type() == Type.FLOAT || c.isOp("[") || c.isOp("{"))
        && !c.isName("else") && !c.isName("or") && !c.isName("and")) {
      if (c.isName("is")) {
        throw error("You cannot chain multiple tests with is", c);
      }
      args = List.of(postfix(primary()));
    }
    return new Expr.Test(node, name.toString(), args, kwargs, negated, is.line());
  }
}

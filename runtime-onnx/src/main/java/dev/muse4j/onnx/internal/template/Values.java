package dev.muse4j.onnx.internal.template;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Python value semantics for the interpreter. Python values are Java values: {@code None} is {@code null}, bool is
 * {@link Boolean}, int is {@link Long}, float is {@link Double}, str is {@link String}, list is {@link List}, tuple
 * is {@link PyTuple}, dict is {@link Map} (insertion ordered), plus {@link Undefined}, {@link Namespace} and
 * {@link PyCallable}.
 */
final class Values {
  private Values() {
  }

  /** Whether {@link HasAttributes#attribute} found the attribute (its value may be None). */
  static final class Holder {
    boolean found;
  }

  // ---- types and names ----

  static String typeName(@Nullable Object v) {
    if (v == null) {
      return "NoneType";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Long) {
      return "int";
    } else if (v instanceof Double) {
      return "float";
    } else if (v instanceof String) {
      return "str";
    } else if (v instanceof PyRange) {
      return "range";
    } else if (v instanceof List) {
      return "list";
    } else if (v instanceof PyTuple) {
      return "tuple";
    } else if (v instanceof PyIterator) {
      return ((PyIterator) v).typeName();
    } else if (v instanceof DictView) {
      return ((DictView) v).typeName();
    } else if (v instanceof Map) {
      return "dict";
    } else if (v instanceof Undefined) {
      return "Undefined";
    } else if (v instanceof Namespace) {
      return "Namespace";
    } else if (v instanceof Interpreter.Macro) {
      return "Macro";
    } else if (v instanceof Interpreter.LoopContext) {
      return "LoopContext";
    } else if (v instanceof PyCallable) {
      return "function";
    }
    return v.getClass().getSimpleName();
  }

  /** Jinja's object_type_repr: {@code None}, or e.g. {@code dict object}. */
  static String objectTypeRepr(@Nullable Object v) {
    return v == null ? "None" : typeName(v) + " object";
  }

  static boolean isInt(@Nullable Object v) {
    return v instanceof Long || v instanceof Boolean;
  }

  static boolean isNumber(@Nullable Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Boolean;
  }

  static long toLong(@Nullable Object v) {
    if (v instanceof Boolean) {
      return (Boolean) v ? 1 : 0;
    }
    return (Long) v;
  }

  static double toDouble(@Nullable Object v) {
    if (v instanceof Double) {
      return (Double) v;
    }
    return toLong(v);
  }

  static boolean isSequence(@Nullable Object v) {
    return v instanceof List || v instanceof PyTuple;
  }

  @SuppressWarnings("unchecked")
  static List<@Nullable Object> items(Object sequence) {
    return sequence instanceof PyTuple ? ((PyTuple) sequence).items() : (List<@Nullable Object>) sequence;
  }

  @SuppressWarnings("unchecked")
  static Map<@Nullable Object, @Nullable Object> map(Object dict) {
    return (Map<@Nullable Object, @Nullable Object>) dict;
  }

  // ---- truth, str, repr ----

  static boolean truthy(@Nullable Object v) {
    if (v == null || v instanceof Undefined) {
      return false;
    } else if (v instanceof Boolean) {
      return (Boolean) v;
    } else if (v instanceof Long) {
      return (Long) v != 0;
    } else if (v instanceof Double) {
      return (Double) v != 0.0;
    } else if (v instanceof String) {
      return !((String) v).isEmpty();
    } else if (v instanceof Collection) {
      return !((Collection<?>) v).isEmpty();
    } else if (v instanceof PyTuple) {
      return !((PyTuple) v).items().isEmpty();
    } else if (v instanceof Map) {
      return !((Map<?, ?>) v).isEmpty();
    } else if (v instanceof DictView) {
      return !((DictView) v).items().isEmpty();
    }
    return true;
  }

  /** Python's {@code str()}, with Jinja's Undefined as the empty string. */
  static String str(@Nullable Object v) {
    if (v instanceof String) {
      return (String) v;
    } else if (v instanceof Undefined) {
      return "";
    }
    return repr(v);
  }

  /** Python's {@code repr()}. */
  static String repr(@Nullable Object v) {
    if (v == null) {
      return "None";
    } else if (v instanceof Boolean) {
      return (Boolean) v ? "True" : "False";
    } else if (v instanceof Long) {
      return v.toString();
    } else if (v instanceof Double) {
      return floatRepr((Double) v);
    } else if (v instanceof String) {
      return stringRepr((String) v);
    } else if (v instanceof PyRange) {
      return v.toString();
    } else if (v instanceof List) {
      StringBuilder b = new StringBuilder("[");
      List<?> list = (List<?>) v;
      for (int i = 0; i < list.size(); i++) {
        b.append(i > 0 ? ", " : "").append(repr(list.get(i)));
      }
      return b.append(']').toString();
    } else if (v instanceof PyTuple) {
      List<?> list = ((PyTuple) v).items();
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < list.size(); i++) {
        b.append(i > 0 ? ", " : "").append(repr(list.get(i)));
      }
      return b.append(list.size() == 1 ? ",)" : ")").toString();
    } else if (v instanceof Map) {
      StringBuilder b = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        b.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        first = false;
      }
      return b.append('}').toString();
    } else if (v instanceof Undefined) {
      return "Undefined";
    }
    return v.toString();
  }

  /** Python's repr of a float: the shortest digits that round-trip, fixed between 1e-4 and 1e16. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    } else if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    } else if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    // The fewest significant digits that read back as the same double, as Python's repr chooses (Java 17's
    // Double.toString is not always the shortest).
    BigDecimal exact = shortest(Math.abs(d));
    String digits = exact.unscaledValue().toString();
    int exponent = digits.length() - 1 - exact.scale();
    StringBuilder b = new StringBuilder(d < 0 ? "-" : "");
    if (exponent >= 16 || exponent < -4) {
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      b.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      b.append(abs < 10 ? "0" : "").append(abs);
    } else if (exponent < 0) {
      b.append("0.").append("0".repeat(-exponent - 1)).append(digits);
    } else if (digits.length() <= exponent + 1) {
      b.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
    } else {
      b.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
    }
    return b.toString();
  }

  private static BigDecimal shortest(double d) {
    BigDecimal value = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal rounded = value.round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return rounded.stripTrailingZeros();
      }
    }
    return value.round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  static String stringRepr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder b = new StringBuilder().append(quote);
    s.codePoints().forEach(c -> {
      if (c == quote || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == ' ' || isPrintable(c)) {
        b.appendCodePoint(c);
      } else if (c < 0x100) {
        b.append(String.format("\\x%02x", c));
      } else if (c < 0x10000) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.append(String.format("\\U%08x", c));
      }
    });
    return b.append(quote).toString();
  }

  private static boolean isPrintable(int c) {
    int t = Character.getType(c);
    return t != Character.CONTROL && t != Character.FORMAT && t != Character.SURROGATE
        && t != Character.PRIVATE_USE && t != Character.UNASSIGNED && t != Character.LINE_SEPARATOR
        && t != Character.PARAGRAPH_SEPARATOR && t != Character.SPACE_SEPARATOR;
  }

  /** Python's str.isspace for one code point. */
  static boolean isSpace(int c) {
    return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
        || c == 0x3000;
  }

  // ---- comparison ----

  static boolean eq(@Nullable Object a, @Nullable Object b) {
    if (a == null || b == null) {
      return a == b;
    } else if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        return toDouble(a) == toDouble(b);
      }
      return toLong(a) == toLong(b);
    } else if (a instanceof String && b instanceof String) {
      return a.equals(b);
    } else if (a instanceof List && b instanceof List) {
      return (a instanceof PyRange) == (b instanceof PyRange) && seqEq(items(a), items(b));
    } else if (a instanceof PyTuple && b instanceof PyTuple) {
      return seqEq(items(a), items(b));
    } else if (a instanceof Map && b instanceof Map) {
      Map<@Nullable Object, @Nullable Object> x = map(a);
      Map<@Nullable Object, @Nullable Object> y = map(b);
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<@Nullable Object, @Nullable Object> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !eq(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    } else if (a instanceof Undefined && b instanceof Undefined) {
      return true;
    }
    return a == b;
  }

  private static boolean seqEq(List<@Nullable Object> a, List<@Nullable Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!eq(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Python ordering: negative, zero or positive; a TypeError for types that do not order. */
  static int compare(@Nullable Object a, @Nullable Object b, String op) {
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        return Double.compare(toDouble(a), toDouble(b));
      }
      return Long.compare(toLong(a), toLong(b));
    } else if (a instanceof String && b instanceof String) {
      return compareCodePoints((String) a, (String) b);
    } else if ((a instanceof List && b instanceof List) || (a instanceof PyTuple && b instanceof PyTuple)) {
      List<@Nullable Object> x = items(a);
      List<@Nullable Object> y = items(b);
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        if (!eq(x.get(i), y.get(i))) {
          return compare(x.get(i), y.get(i), op);
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    if (a instanceof Undefined) {
      throw ((Undefined) a).fail();
    }
    if (b instanceof Undefined) {
      throw ((Undefined) b).fail();
    }
    throw PyError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
        + typeName(b) + "'");
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  // ---- containers ----

  /** Python's iter(), materialised: a dict gives its keys, a string its characters. */
  static List<@Nullable Object> iterate(@Nullable Object v) {
    if (v instanceof List || v instanceof PyTuple) {
      return new ArrayList<>(items(v));
    } else if (v instanceof Map) {
      return new ArrayList<>(map(v).keySet());
    } else if (v instanceof String) {
      List<@Nullable Object> chars = new ArrayList<>();
      ((String) v).codePoints().forEach(c -> chars.add(new String(Character.toChars(c))));
      return chars;
    } else if (v instanceof Undefined) {
      return new ArrayList<>();
    } else if (v instanceof PyIterator) {
      return ((PyIterator) v).drain();
    } else if (v instanceof DictView) {
      return new ArrayList<>(((DictView) v).items());
    }
    throw PyError.type("'" + typeName(v) + "' object is not iterable");
  }

  static boolean isIterable(@Nullable Object v) {
    return v instanceof List || v instanceof PyTuple || v instanceof Map || v instanceof String
        || v instanceof Undefined || v instanceof PyIterator || v instanceof DictView;
  }

  static long length(@Nullable Object v) {
    if (v instanceof String) {
      String s = (String) v;
      return s.codePointCount(0, s.length());
    } else if (v instanceof List || v instanceof PyTuple) {
      return items(v).size();
    } else if (v instanceof Map) {
      return map(v).size();
    } else if (v instanceof Undefined) {
      return 0;
    } else if (v instanceof DictView) {
      return ((DictView) v).items().size();
    }
    throw PyError.type("object of type '" + typeName(v) + "' has no len()");
  }

  static boolean contains(@Nullable Object container, @Nullable Object item) {
    if (container instanceof String) {
      if (!(item instanceof String)) {
        if (item instanceof Undefined) {
          throw ((Undefined) item).fail();
        }
        throw PyError.type("'in <string>' requires string as left operand, not " + typeName(item));
      }
      return ((String) container).contains((String) item);
    } else if (container instanceof Map) {
      return map(container).containsKey(item) || (isNumber(item) && map(container).keySet().stream()
          .anyMatch(k -> eq(k, item)));
    } else if (container instanceof List || container instanceof PyTuple) {
      for (Object o : items(container)) {
        if (eq(o, item)) {
          return true;
        }
      }
      return false;
    } else if (container instanceof Undefined) {
      return false;
    } else if (container instanceof PyIterator) {
      return ((PyIterator) container).contains(item);
    } else if (container instanceof DictView) {
      return ((DictView) container).items().stream().anyMatch(o -> eq(o, item));
    }
    throw PyError.type("argument of type '" + typeName(container) + "' is not iterable");
  }

  // ---- attribute and item access (Jinja's sandboxed environment) ----

  /** {@code obj.name}: a Python attribute first, else the item. */
  static @Nullable Object getattr(@Nullable Object obj, String name) {
    if (obj instanceof Undefined) {
      throw ((Undefined) obj).fail();
    }
    Holder found = new Holder();
    Object attribute = pyAttribute(obj, name, found);
    if (found.found) {
      return attribute;
    }
    Object item = pyItem(obj, name, found);
    if (found.found) {
      return item;
    }
    return Undefined.member(obj, name);
  }

  /** {@code obj[key]}: the item first, else (for a string key) a Python attribute. */
  static @Nullable Object getitem(@Nullable Object obj, @Nullable Object key) {
    if (obj instanceof Undefined) {
      throw ((Undefined) obj).fail();
    }
    Holder found = new Holder();
    Object item = pyItem(obj, key, found);
    if (found.found) {
      return item;
    }
    if (key instanceof String) {
      Object attribute = pyAttribute(obj, (String) key, found);
      if (found.found) {
        return attribute;
      }
    }
    return Undefined.member(obj, key == null ? "None" : key);
  }

  private static @Nullable Object pyAttribute(@Nullable Object obj, String name, Holder found) {
    if (obj instanceof HasAttributes) {
      Object v = ((HasAttributes) obj).attribute(name, found);
      if (found.found) {
        return v;
      }
    }
    if (name.startsWith("__") && name.endsWith("__") && obj != null) {
      found.found = true;
      return Undefined.unsafe(obj, name);
    }
    Object method = Methods.bind(obj, name);
    if (method != null) {
      found.found = true;
    }
    return method;
  }

  private static @Nullable Object pyItem(@Nullable Object obj, @Nullable Object key, Holder found) {
    if (obj instanceof Map) {
      Map<@Nullable Object, @Nullable Object> m = map(obj);
      if (m.containsKey(key)) {
        found.found = true;
        return m.get(key);
      }
      if (isNumber(key)) {
        for (Map.Entry<@Nullable Object, @Nullable Object> e : m.entrySet()) {
          if (isNumber(e.getKey()) && eq(e.getKey(), key)) {
            found.found = true;
            return e.getValue();
          }
        }
      }
      return null;
    }
    if (key instanceof Slice) {
      // Jinja compiles a slice to a plain Python subscript: no fallback to an attribute or to Undefined.
      found.found = true;
      return slice(obj, (Slice) key);
    }
    if (isInt(key) && (obj instanceof String || obj instanceof List || obj instanceof PyTuple)) {
      long i = toLong(key);
      if (obj instanceof String) {
        String s = (String) obj;
        int n = s.codePointCount(0, s.length());
        long index = i < 0 ? i + n : i;
        if (index >= 0 && index < n) {
          found.found = true;
          int at = s.offsetByCodePoints(0, (int) index);
          return new String(Character.toChars(s.codePointAt(at)));
        }
        return null;
      }
      List<@Nullable Object> list = items(obj);
      long index = i < 0 ? i + list.size() : i;
      if (index >= 0 && index < list.size()) {
        found.found = true;
        return list.get((int) index);
      }
    }
    return null;
  }

  /** A slice key, {@code [start:stop:step]}, each part None or an int. */
  record Slice(@Nullable Object start, @Nullable Object stop, @Nullable Object step) {
  }

  private static Object slice(@Nullable Object obj, Slice slice) {
    if (obj instanceof Map) {
      throw PyError.type("unhashable type: 'slice'");
    }
    if (!(obj instanceof String || obj instanceof List || obj instanceof PyTuple)) {
      throw PyError.type("'" + typeName(obj) + "' object is not subscriptable");
    }
    for (Object part : new Object[] {slice.start, slice.stop, slice.step}) {
      if (part instanceof Undefined) {
        throw ((Undefined) part).fail();
      }
      if (part != null && !isInt(part)) {
        throw PyError.type("slice indices must be integers or None or have an __index__ method");
      }
    }
    long step = slice.step == null ? 1 : toLong(slice.step);
    if (step == 0) {
      throw PyError.value("slice step cannot be zero");
    }
    int[] codePoints = obj instanceof String ? ((String) obj).codePoints().toArray() : null;
    List<@Nullable Object> list = codePoints == null ? items(obj) : List.of();
    long n = codePoints != null ? codePoints.length : list.size();
    long lower = step > 0 ? 0 : -1;
    long upper = step > 0 ? n : n - 1;
    long start = bound(slice.start, n, lower, upper, step > 0 ? lower : upper);
    long stop = bound(slice.stop, n, lower, upper, step > 0 ? upper : lower);
    StringBuilder text = new StringBuilder();
    List<@Nullable Object> out = new ArrayList<>();
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
      if (codePoints != null) {
        text.appendCodePoint(codePoints[(int) i]);
      } else {
        out.add(list.get((int) i));
      }
    }
    if (codePoints != null) {
      return text.toString();
    }
    return obj instanceof PyTuple ? new PyTuple(out) : out;
  }

  private static long bound(@Nullable Object value, long n, long lower, long upper, long fallback) {
    if (value == null) {
      return fallback;
    }
    long v = toLong(value);
    if (v < 0) {
      v += n;
      return Math.max(v, lower);
    }
    return Math.min(v, upper);
  }

  // ---- arithmetic ----

  private static void failUndefined(@Nullable Object a, @Nullable Object b) {
    if (a instanceof Undefined) {
      throw ((Undefined) a).fail();
    }
    if (b instanceof Undefined) {
      throw ((Undefined) b).fail();
    }
  }

  private static PyError unsupported(String op, @Nullable Object a, @Nullable Object b) {
    return PyError.type("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b)
        + "'");
  }

  static @Nullable Object add(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        return toDouble(a) + toDouble(b);
      }
      return exact(() -> Math.addExact(toLong(a), toLong(b)));
    } else if (a instanceof String) {
      if (b instanceof String) {
        return (String) a + b;
      }
      throw PyError.type("can only concatenate str (not \"" + typeName(b) + "\") to str");
    } else if (a instanceof List && b instanceof List) {
      List<@Nullable Object> out = new ArrayList<>(items(a));
      out.addAll(items(b));
      return out;
    } else if (a instanceof PyTuple && b instanceof PyTuple) {
      List<@Nullable Object> out = new ArrayList<>(items(a));
      out.addAll(items(b));
      return new PyTuple(out);
    } else if (a instanceof List) {
      throw PyError.type("can only concatenate list (not \"" + typeName(b) + "\") to list");
    }
    throw unsupported("+", a, b);
  }

  static @Nullable Object sub(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        return toDouble(a) - toDouble(b);
      }
      return exact(() -> Math.subtractExact(toLong(a), toLong(b)));
    }
    throw unsupported("-", a, b);
  }

  static @Nullable Object mul(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        return toDouble(a) * toDouble(b);
      }
      return exact(() -> Math.multiplyExact(toLong(a), toLong(b)));
    }
    if (isInt(a) && (b instanceof String || isSequence(b))) {
      return mul(b, a);
    }
    if (isInt(b)) {
      long times = Math.max(0, toLong(b));
      long unit = a instanceof String ? ((String) a).length() : isSequence(a) ? items(a).size() : 0;
      if (unit > 0) {
        Interpreter.checkSize(times > Interpreter.MAX_OUTPUT ? times : times * unit);
      }
      if (a instanceof String) {
        return ((String) a).repeat((int) times);
      } else if (isSequence(a)) {
        List<@Nullable Object> out = new ArrayList<>();
        for (long i = 0; i < times; i++) {
          out.addAll(items(a));
        }
        return a instanceof PyTuple ? new PyTuple(out) : out;
      }
    }
    if (a instanceof String || isSequence(a)) {
      throw PyError.type("can't multiply sequence by non-int of type '" + typeName(b) + "'");
    }
    throw PyError.type("unsupported operand type(s) for *: '" + typeName(a) + "' and '" + typeName(b) + "'");
  }

  static @Nullable Object div(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (toDouble(b) == 0) {
        throw new PyError("ZeroDivisionError: division by zero");
      }
      return toDouble(a) / toDouble(b);
    }
    throw unsupported("/", a, b);
  }

  static @Nullable Object floorDiv(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (toDouble(b) == 0) {
        throw new PyError("ZeroDivisionError: integer division or modulo by zero");
      }
      if (a instanceof Double || b instanceof Double) {
        return Math.floor(toDouble(a) / toDouble(b));
      }
      return Math.floorDiv(toLong(a), toLong(b));
    }
    throw unsupported("//", a, b);
  }

  static @Nullable Object mod(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (a instanceof String) {
      return Methods.percentFormat((String) a, b);
    }
    if (isNumber(a) && isNumber(b)) {
      if (toDouble(b) == 0) {
        throw new PyError("ZeroDivisionError: integer division or modulo by zero");
      }
      if (a instanceof Double || b instanceof Double) {
        double x = toDouble(a);
        double y = toDouble(b);
        double r = x % y;
        return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r;
      }
      return Math.floorMod(toLong(a), toLong(b));
    }
    throw unsupported("%", a, b);
  }

  static @Nullable Object pow(@Nullable Object a, @Nullable Object b) {
    failUndefined(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (isInt(a) && isInt(b) && toLong(b) >= 0) {
        return exact(() -> {
          long result = 1;
          long base = toLong(a);
          for (long i = 0; i < toLong(b) && result != 0; i++) {
            result = Math.multiplyExact(result, base);
          }
          return result;
        });
      }
      return Math.pow(toDouble(a), toDouble(b));
    }
    throw unsupported("** or pow()", a, b);
  }

  /** Python's ints do not overflow; these do, at 64 bits, and say so. */
  private static long exact(java.util.function.LongSupplier op) {
    try {
      return op.getAsLong();
    } catch (ArithmeticException e) {
      throw new PyError("OverflowError: integer result does not fit in 64 bits");
    }
  }

  static @Nullable Object neg(@Nullable Object a) {
    if (a instanceof Undefined) {
      throw ((Undefined) a).fail();
    }
    if (a instanceof Double) {
      return -(Double) a;
    } else if (isInt(a)) {
      return -toLong(a);
    }
    throw PyError.type("bad operand type for unary -: '" + typeName(a) + "'");
  }

  static @Nullable Object pos(@Nullable Object a) {
    if (a instanceof Undefined) {
      throw ((Undefined) a).fail();
    }
    if (a instanceof Double) {
      return a;
    } else if (isInt(a)) {
      return toLong(a);
    }
    throw PyError.type("bad operand type for unary +: '" + typeName(a) + "'");
  }
}

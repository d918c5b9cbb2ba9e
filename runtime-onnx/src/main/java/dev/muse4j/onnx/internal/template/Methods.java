package dev.muse4j.onnx.internal.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Python methods of str, dict, list and tuple that a template may call, with Python's semantics (a separator in
 * {@code split} is text, not a regular expression). Methods that change a list or dict are refused, as in Jinja's
 * immutable sandbox.
 */
final class Methods {
  private static final Set<String> MUTATING_LIST = Set.of("append", "clear", "pop", "reverse", "insert", "sort",
      "extend", "remove");
  private static final Set<String> MUTATING_DICT = Set.of("clear", "pop", "popitem", "setdefault", "update");

  private Methods() {
  }

  /** A method bound to its object; prints as Python prints one. */
  private record BoundMethod(String name, Object self, PyCallable body) implements PyCallable {
    @Override
    public @Nullable Object call(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
      return body.call(args, kwargs);
    }

    @Override
    public String toString() {
      return "<built-in method " + name + " of " + Values.typeName(self) + " object>";
    }
  }

  /** The bound method {@code obj.name}, an unsafe Undefined for a mutating one, or null when there is none. */
  static @Nullable Object bind(@Nullable Object obj, String name) {
    if (obj instanceof String) {
      String s = (String) obj;
      return STR_METHODS.contains(name)
          ? new BoundMethod(name, s, (args, kwargs) -> callStr(s, name, args, kwargs)) : null;
    } else if (obj instanceof Map) {
      if (MUTATING_DICT.contains(name)) {
        return Undefined.unsafe(obj, name);
      }
      Map<@Nullable Object, @Nullable Object> m = Values.map(obj);
      return DICT_METHODS.contains(name)
          ? new BoundMethod(name, obj, (args, kwargs) -> callDict(m, name, args, kwargs)) : null;
    } else if (obj instanceof List || obj instanceof PyTuple) {
      if (obj instanceof List && MUTATING_LIST.contains(name)) {
        return Undefined.unsafe(obj, name);
      }
      List<@Nullable Object> l = Values.items(obj);
      boolean tuple = obj instanceof PyTuple;
      return LIST_METHODS.contains(name) || (!tuple && name.equals("copy"))
          ? new BoundMethod(name, obj, (args, kwargs) -> callList(l, name, args)) : null;
    }
    return null;
  }

  private static final Set<String> STR_METHODS = Set.of("startswith", "endswith", "strip", "lstrip", "rstrip",
      "split", "rsplit", "splitlines", "upper", "lower", "title", "capitalize", "swapcase", "replace", "find", "rfind",
      "index", "rindex", "count", "join", "format", "isdigit", "isnumeric", "isdecimal", "isalpha", "isalnum",
      "isspace", "isupper", "islower", "istitle", "zfill", "center", "ljust", "rjust", "removeprefix",
      "removesuffix", "partition", "rpartition", "casefold");
  private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get", "copy");
  private static final Set<String> LIST_METHODS = Set.of("index", "count");

  static @Nullable Object arg(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, int i, String name,
      @Nullable Object fallback) {
    if (i < args.size()) {
      return args.get(i);
    }
    return kwargs.containsKey(name) ? kwargs.get(name) : fallback;
  }

  private static String string(@Nullable Object v, String method) {
    if (v instanceof String) {
      return (String) v;
    }
    throw PyError.type(method + " arg must be None or str");
  }

  private static final Set<String> STR_KEYWORDS = Set.of("split", "rsplit", "splitlines", "format");

  private static @Nullable Object callStr(String s, String name, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs) {
    if (!kwargs.isEmpty() && !STR_KEYWORDS.contains(name)) {
      throw PyError.type("str." + name + "() takes no keyword arguments");
    }
    switch (name) {
      case "startswith":
      case "endswith": {
        Object prefix = arg(args, kwargs, 0, "prefix", null);
        String target = sliceArgs(s, args);
        List<@Nullable Object> options = prefix instanceof PyTuple ? Values.items(prefix) : List.of(prefixOf(prefix,
            name));
        for (Object o : options) {
          String p = prefixOf(o, name);
          if (name.equals("startswith") ? target.startsWith(p) : target.endsWith(p)) {
            return true;
          }
        }
        return false;
      }
      case "strip":
        return strip(s, chars(arg(args, kwargs, 0, "chars", null), name), true, true);
      case "lstrip":
        return strip(s, chars(arg(args, kwargs, 0, "chars", null), name), true, false);
      case "rstrip":
        return strip(s, chars(arg(args, kwargs, 0, "chars", null), name), false, true);
      case "split":
      case "rsplit": {
        Object sep = arg(args, kwargs, 0, "sep", null);
        Object max = arg(args, kwargs, 1, "maxsplit", -1L);
        long maxsplit = Values.toLong(max);
        List<@Nullable Object> parts = new ArrayList<>();
        if (sep == null) {
          for (String p : name.equals("split") ? splitWhitespace(s, maxsplit) : rsplitWhitespace(s, maxsplit)) {
            parts.add(p);
          }
        } else {
          String separator = string(sep, name);
          if (separator.isEmpty()) {
            throw PyError.value("empty separator");
          }
          for (String p : name.equals("split") ? split(s, separator, maxsplit) : rsplit(s, separator, maxsplit)) {
            parts.add(p);
          }
        }
        return parts;
      }
      case "splitlines": {
        List<@Nullable Object> out = new ArrayList<>(splitlines(s, Values.truthy(arg(args, kwargs, 0, "keepends",
            false))));
        return out;
      }
      case "upper":
        return upper(s);
      case "lower":
      case "casefold":
        return lower(s);
      case "title":
        return pyTitle(s);
      case "capitalize":
        return capitalize(s);
      case "swapcase": {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(Character.isUpperCase(c) ? lower(new String(Character.toChars(c)))
            : upper(new String(Character.toChars(c)))));
        return b.toString();
      }
      case "replace": {
        String old = string(arg(args, kwargs, 0, "old", null), name);
        String replacement = string(arg(args, kwargs, 1, "new", null), name);
        long count = Values.toLong(arg(args, kwargs, 2, "count", -1L));
        return replace(s, old, replacement, count);
      }
      case "find":
      case "index":
      case "rfind":
      case "rindex":
      case "count": {
        String sub = string(arg(args, kwargs, 0, "sub", null), name);
        int[] cps = s.codePoints().toArray();
        int n = cps.length;
        int start = (int) clampIndex(args.size() > 1 ? args.get(1) : null, n, 0);
        int end = (int) clampIndex(args.size() > 2 ? args.get(2) : null, n, n);
        String window = start <= end ? new String(cps, start, end - start) : "";
        if (name.equals("count")) {
          if (start > end) {
            return 0L;
          }
          if (sub.isEmpty()) {
            return (long) (window.codePointCount(0, window.length()) + 1);
          }
          long count = 0;
          for (int i = window.indexOf(sub); i >= 0; i = window.indexOf(sub, i + sub.length())) {
            count++;
          }
          return count;
        }
        int at = start > end ? -1 : name.startsWith("r") ? window.lastIndexOf(sub) : window.indexOf(sub);
        if (at < 0) {
          if (name.endsWith("index")) {
            throw PyError.value("substring not found");
          }
          return -1L;
        }
        return (long) (start + window.codePointCount(0, at));
      }
      case "join": {
        StringBuilder b = new StringBuilder();
        List<@Nullable Object> items = Values.iterate(arg(args, kwargs, 0, "iterable", null));
        for (int i = 0; i < items.size(); i++) {
          Object item = items.get(i);
          if (!(item instanceof String)) {
            throw PyError.type("sequence item " + i + ": expected str instance, " + Values.typeName(item)
                + " found");
          }
          b.append(i > 0 ? s : "").append((String) item);
        }
        return b.toString();
      }
      case "format":
        return format(s, args, kwargs);
      case "isdigit":
      case "isnumeric":
      case "isdecimal":
        return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
      case "isalpha":
        return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
      case "isalnum":
        return !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
      case "isspace":
        return !s.isEmpty() && s.codePoints().allMatch(Values::isSpace);
      case "isupper":
        return s.codePoints().anyMatch(Character::isUpperCase) && !s.codePoints().anyMatch(Character::isLowerCase);
      case "islower":
        return s.codePoints().anyMatch(Character::isLowerCase) && !s.codePoints().anyMatch(Character::isUpperCase);
      case "istitle":
        return !s.isEmpty() && s.equals(pyTitle(s)) && s.codePoints().anyMatch(Character::isLetter);
      case "zfill": {
        Interpreter.checkSize(Values.toLong(arg(args, kwargs, 0, "width", 0L)));
        int width = (int) Values.toLong(arg(args, kwargs, 0, "width", 0L));
        int n = s.codePointCount(0, s.length());
        if (n >= width) {
          return s;
        }
        String pad = "0".repeat(width - n);
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
          return s.charAt(0) + pad + s.substring(1);
        }
        return pad + s;
      }
      case "center":
      case "ljust":
      case "rjust": {
        Interpreter.checkSize(Values.toLong(arg(args, kwargs, 0, "width", 0L)));
        int width = (int) Values.toLong(arg(args, kwargs, 0, "width", 0L));
        String fill = (String) arg(args, kwargs, 1, "fillchar", " ");
        int n = s.codePointCount(0, s.length());
        if (n >= width) {
          return s;
        }
        int total = width - n;
        if (name.equals("ljust")) {
          return s + fill.repeat(total);
        } else if (name.equals("rjust")) {
          return fill.repeat(total) + s;
        }
        int left = total / 2 + (total & width & 1);
        return fill.repeat(left) + s + fill.repeat(total - left);
      }
      case "removeprefix": {
        String p = string(arg(args, kwargs, 0, "prefix", null), name);
        return s.startsWith(p) ? s.substring(p.length()) : s;
      }
      case "removesuffix": {
        String p = string(arg(args, kwargs, 0, "suffix", null), name);
        return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
      }
      case "partition":
      case "rpartition": {
        String sep = string(arg(args, kwargs, 0, "sep", null), name);
        if (sep.isEmpty()) {
          throw PyError.value("empty separator");
        }
        int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
        if (at < 0) {
          return name.equals("partition") ? new PyTuple(List.of(s, "", "")) : new PyTuple(List.of("", "", s));
        }
        return new PyTuple(List.of(s.substring(0, at), sep, s.substring(at + sep.length())));
      }
      default:
        throw new IllegalStateException(name);
    }
  }

  private static String prefixOf(@Nullable Object o, String method) {
    if (o instanceof String) {
      return (String) o;
    }
    throw PyError.type(method + " first arg must be str or a tuple of str, not " + Values.typeName(o));
  }

  private static String sliceArgs(String s, List<@Nullable Object> args) {
    if (args.size() <= 1) {
      return s;
    }
    int[] cps = s.codePoints().toArray();
    int start = (int) clampIndex(args.get(1), cps.length, 0);
    int end = (int) clampIndex(args.size() > 2 ? args.get(2) : null, cps.length, cps.length);
    return start <= end ? new String(cps, start, end - start) : "\u0000\u0000impossible";
  }

  private static long clampIndex(@Nullable Object v, int n, int fallback) {
    if (v == null) {
      return fallback;
    }
    long i = Values.toLong(v);
    if (i < 0) {
      i = Math.max(0, i + n);
    }
    return Math.min(i, n);
  }

  private static @Nullable String chars(@Nullable Object chars, String method) {
    if (chars == null) {
      return null;
    }
    return string(chars, method);
  }

  /** Python's strip family: whitespace when chars is null, else any of the given characters. */
  static String strip(String s, @Nullable String chars, boolean left, boolean right) {
    int[] cps = s.codePoints().toArray();
    int[] set = chars == null ? null : chars.codePoints().toArray();
    int start = 0;
    int end = cps.length;
    if (left) {
      while (start < end && strippable(cps[start], set)) {
        start++;
      }
    }
    if (right) {
      while (end > start && strippable(cps[end - 1], set)) {
        end--;
      }
    }
    return new String(cps, start, end - start);
  }

  private static boolean strippable(int c, int @Nullable [] set) {
    if (set == null) {
      return Values.isSpace(c);
    }
    for (int x : set) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }

  static List<String> split(String s, String sep, long maxsplit) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (maxsplit < 0 || out.size() < maxsplit) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        break;
      }
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  static List<String> rsplit(String s, String sep, long maxsplit) {
    List<String> out = new ArrayList<>();
    int to = s.length();
    while (maxsplit < 0 || out.size() < maxsplit) {
      int at = s.lastIndexOf(sep, to - sep.length());
      if (at < 0 || to - sep.length() < 0) {
        break;
      }
      out.add(s.substring(at + sep.length(), to));
      to = at;
    }
    out.add(s.substring(0, to));
    Collections.reverse(out);
    return out;
  }

  static List<String> splitWhitespace(String s, long maxsplit) {
    int[] cps = s.codePoints().toArray();
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = cps.length;
    while (true) {
      while (i < n && Values.isSpace(cps[i])) {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (maxsplit >= 0 && out.size() >= maxsplit) {
        out.add(new String(cps, i, n - i));
        break;
      }
      int start = i;
      while (i < n && !Values.isSpace(cps[i])) {
        i++;
      }
      out.add(new String(cps, start, i - start));
    }
    return out;
  }

  static List<String> rsplitWhitespace(String s, long maxsplit) {
    int[] cps = s.codePoints().toArray();
    List<String> out = new ArrayList<>();
    int i = cps.length;
    while (true) {
      while (i > 0 && Values.isSpace(cps[i - 1])) {
        i--;
      }
      if (i <= 0) {
        break;
      }
      if (maxsplit >= 0 && out.size() >= maxsplit) {
        out.add(new String(cps, 0, i));
        break;
      }
      int end = i;
      while (i > 0 && !Values.isSpace(cps[i - 1])) {
        i--;
      }
      out.add(new String(cps, i, end - i));
    }
    Collections.reverse(out);
    return out;
  }

  private static boolean isLineBreak(int c) {
    return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85
        || c == 0x2028 || c == 0x2029;
  }

  /** Python's str.splitlines. */
  static List<String> splitlines(String s, boolean keepends) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (isLineBreak(c)) {
        int end = i;
        i++;
        if (c == '\r' && i < s.length() && s.charAt(i) == '\n') {
          i++;
        }
        out.add(s.substring(start, keepends ? i : end));
        start = i;
      } else {
        i++;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  static String replace(String s, String old, String replacement, long count) {
    if (count < 0) {
      return s.replace(old, replacement);
    }
    StringBuilder b = new StringBuilder();
    if (old.isEmpty()) {
      int[] cps = s.codePoints().toArray();
      long done = 0;
      for (int i = 0; i <= cps.length; i++) {
        if (done < count) {
          b.append(replacement);
          done++;
        }
        if (i < cps.length) {
          b.appendCodePoint(cps[i]);
        }
      }
      return b.toString();
    }
    int from = 0;
    long done = 0;
    while (done < count) {
      int at = s.indexOf(old, from);
      if (at < 0) {
        break;
      }
      b.append(s, from, at).append(replacement);
      from = at + old.length();
      done++;
    }
    return b.append(s.substring(from)).toString();
  }

  static String upper(String s) {
    return s.toUpperCase(java.util.Locale.ROOT);
  }

  static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  /** Python's str.title: a cased character after an uncased one is upper, the rest lower. */
  static String pyTitle(String s) {
    StringBuilder b = new StringBuilder();
    boolean previousCased = false;
    for (int c : s.codePoints().toArray()) {
      String ch = new String(Character.toChars(c));
      boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
      if (cased) {
        b.append(previousCased ? lower(ch) : titleCase(c));
      } else {
        b.append(ch);
      }
      previousCased = cased;
    }
    return b.toString();
  }

  private static String titleCase(int c) {
    return new String(Character.toChars(Character.toTitleCase(c)));
  }

  /** Python's str.capitalize: the first character title case, the rest lower. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    return titleCase(first) + lower(s.substring(Character.charCount(first)));
  }

  private static @Nullable Object callDict(Map<@Nullable Object, @Nullable Object> m, String name,
      List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
    if (!kwargs.isEmpty()) {
      throw PyError.type("dict." + name + "() takes no keyword arguments");
    }
    switch (name) {
      case "items":
        return new DictView("dict_items", pairs(m));
      case "keys":
        return new DictView("dict_keys", new ArrayList<>(m.keySet()));
      case "values":
        return new DictView("dict_values", new ArrayList<>(m.values()));
      case "copy":
        return new LinkedHashMap<>(m);
      case "get": {
        Object key = args.isEmpty() ? null : args.get(0);
        if (m.containsKey(key)) {
          return m.get(key);
        }
        return args.size() > 1 ? args.get(1) : null;
      }
      default:
        throw new IllegalStateException(name);
    }
  }

  static List<@Nullable Object> pairs(Map<@Nullable Object, @Nullable Object> m) {
    List<@Nullable Object> out = new ArrayList<>();
    for (Map.Entry<@Nullable Object, @Nullable Object> e : m.entrySet()) {
      out.add(new PyTuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
    }
    return out;
  }

  private static @Nullable Object callList(List<@Nullable Object> l, String name, List<@Nullable Object> args) {
    Object x = args.isEmpty() ? null : args.get(0);
    switch (name) {
      case "count":
        return l.stream().filter(o -> Values.eq(o, x)).count();
      case "index":
        for (int i = 0; i < l.size(); i++) {
          if (Values.eq(l.get(i), x)) {
            return (long) i;
          }
        }
        throw PyError.value(Values.repr(x) + " is not in list");
      case "copy":
        return new ArrayList<>(l);
      default:
        throw new IllegalStateException(name);
    }
  }

  /** str.format with {}, {0} and {name} fields and no format specs beyond the empty one. */
  static String format(String s, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
    StringBuilder b = new StringBuilder();
    int auto = 0;
    boolean automatic = false;
    boolean manual = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
          b.append('{');
          i++;
          continue;
        }
        int close = s.indexOf('}', i);
        if (close < 0) {
          throw PyError.value("Single '{' encountered in format string");
        }
        String field = s.substring(i + 1, close);
        String spec = "";
        int colon = field.indexOf(':');
        if (colon >= 0) {
          spec = field.substring(colon + 1);
          field = field.substring(0, colon);
        }
        boolean repr = field.endsWith("!r");
        if (repr || field.endsWith("!s")) {
          field = field.substring(0, field.length() - 2);
        }
        Object value;
        if (field.isEmpty()) {
          if (manual) {
            throw PyError.value("cannot switch from manual field specification to automatic field numbering");
          }
          automatic = true;
          value = auto < args.size() ? args.get(auto++) : missingIndex();
        } else if (field.chars().allMatch(Character::isDigit)) {
          if (automatic) {
            throw PyError.value("cannot switch from automatic field numbering to manual field specification");
          }
          manual = true;
          int index = Integer.parseInt(field);
          value = index < args.size() ? args.get(index) : missingIndex();
        } else {
          value = kwargs.containsKey(field) ? kwargs.get(field) : missing(field);
        }
        b.append(formatSpec(repr ? Values.repr(value) : value, spec));
        i = close;
      } else if (c == '}') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '}') {
          i++;
        }
        b.append('}');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static final java.util.regex.Pattern SPEC = java.util.regex.Pattern.compile(
      "(?:(.)?([<>=^]))?([-+ ])?(0)?(\\d+)?([,_])?(?:\\.(\\d+))?([sdfFeE%gG]?)");

  /** Python's format-spec mini-language for str, int and float: fill, align, sign, zero, width, grouping, precision. */
  static String formatSpec(@Nullable Object value, String spec) {
    if (spec.isEmpty()) {
      return Values.str(value);
    }
    java.util.regex.Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw PyError.value("Invalid format specifier '" + spec + "' for object of type '" + Values.typeName(value)
          + "'");
    }
    String fill = m.group(1) != null ? m.group(1) : m.group(4) != null && m.group(2) == null ? "0" : " ";
    String align = m.group(2) != null ? m.group(2) : m.group(4) != null ? "=" : null;
    String sign = m.group(3) != null ? m.group(3) : "-";
    int width = m.group(5) != null ? Integer.parseInt(m.group(5)) : 0;
    Interpreter.checkSize(width);
    String grouping = m.group(6);
    Integer precision = m.group(7) != null ? Integer.valueOf(m.group(7)) : null;
    char type = m.group(8).isEmpty() ? 0 : m.group(8).charAt(0);
    String body;
    boolean negative = false;
    boolean numeric = Values.isNumber(value) && !(value instanceof Boolean && type == 0);
    if (value instanceof String || type == 's' || !numeric) {
      if (!(value instanceof String) && type == 's' && numeric) {
        throw PyError.value("Unknown format code 's' for object of type '" + Values.typeName(value) + "'");
      }
      body = Values.str(value);
      if (precision != null && body.codePointCount(0, body.length()) > precision) {
        body = body.substring(0, body.offsetByCodePoints(0, precision));
      }
      if (align == null) {
        align = "<";
      }
    } else {
      double d = Values.toDouble(value);
      negative = d < 0 || (d == 0 && 1 / d < 0);
      boolean isInt = Values.isInt(value) && (type == 0 || type == 'd');
      if (isInt) {
        body = Long.toString(Math.abs(Values.toLong(value)));
      } else if (type == 'f' || type == 'F') {
        body = new java.math.BigDecimal(Math.abs(d)).setScale(precision == null ? 6 : precision,
            java.math.RoundingMode.HALF_EVEN).toPlainString();
      } else if (type == '%') {
        body = new java.math.BigDecimal(Math.abs(d) * 100).setScale(precision == null ? 6 : precision,
            java.math.RoundingMode.HALF_EVEN).toPlainString() + "%";
      } else if (type == 'e' || type == 'E') {
        body = String.format(java.util.Locale.ROOT, "%." + (precision == null ? 6 : precision) + "e", Math.abs(d));
        body = type == 'E' ? body.toUpperCase(java.util.Locale.ROOT) : body;
      } else if (type == 'd') {
        throw PyError.value("Unknown format code 'd' for object of type 'float'");
      } else {
        body = Values.floatRepr(precision == null ? Math.abs(d) : new java.math.BigDecimal(Math.abs(d))
            .round(new java.math.MathContext(Math.max(1, precision), java.math.RoundingMode.HALF_EVEN)).doubleValue());
      }
      if (grouping != null) {
        int dot = body.indexOf('.');
        String digits = dot < 0 ? body : body.substring(0, dot);
        StringBuilder g = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
          if (i > 0 && (digits.length() - i) % 3 == 0 && Character.isDigit(digits.charAt(i))) {
            g.append(grouping);
          }
          g.append(digits.charAt(i));
        }
        body = g + (dot < 0 ? "" : body.substring(dot));
      }
      String prefix = negative ? "-" : sign.equals("+") ? "+" : sign.equals(" ") ? " " : "";
      if (align == null) {
        align = ">";
      }
      if (align.equals("=")) {
        int pad = width - prefix.length() - body.length();
        return prefix + (pad > 0 ? fill.repeat(pad) : "") + body;
      }
      body = prefix + body;
    }
    int pad = width - body.codePointCount(0, body.length());
    if (pad <= 0) {
      return body;
    }
    switch (align) {
      case "<":
        return body + fill.repeat(pad);
      case "^":
        return fill.repeat(pad / 2) + body + fill.repeat(pad - pad / 2);
      default:
        return fill.repeat(pad) + body;
    }
  }

  private static Object missing(String field) {
    throw new PyError("KeyError: " + Values.repr(field));
  }

  private static Object missingIndex() {
    throw new PyError("IndexError: tuple index out of range");
  }

  /** The {@code %} operator on a string: %s, %r, %d, %i, %f and %%. */
  static String percentFormat(String s, @Nullable Object args) {
    List<@Nullable Object> values = args instanceof PyTuple ? Values.items(args) : java.util.Arrays.asList(args);
    Map<@Nullable Object, @Nullable Object> named = args instanceof Map ? Values.map(args) : null;
    StringBuilder b = new StringBuilder();
    int next = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        b.append(c);
        continue;
      }
      i++;
      if (i >= s.length()) {
        throw PyError.value("incomplete format");
      }
      Object value;
      if (s.charAt(i) == '%') {
        b.append('%');
        continue;
      }
      if (s.charAt(i) == '(' && named != null) {
        int close = s.indexOf(')', i);
        value = named.get(s.substring(i + 1, close));
        i = close + 1;
      } else {
        if (next >= values.size()) {
          throw PyError.type("not enough arguments for format string");
        }
        value = values.get(next++);
      }
      int specStart = i;
      while (i < s.length() && "-+ #0123456789.".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (i >= s.length()) {
        throw PyError.value("incomplete format");
      }
      String spec = s.substring(specStart, i).replace("#", "");
      for (String number : spec.split("[^0-9]+")) {
        if (!number.isEmpty()) {
          Interpreter.checkSize(number.length() > 9 ? Long.MAX_VALUE : Long.parseLong(number));
        }
      }
      int flagEnd = 0;
      while (flagEnd < spec.length() && "-+ 0".indexOf(spec.charAt(flagEnd)) >= 0) {
        flagEnd++;
      }
      String textSpec = (spec.substring(0, flagEnd).contains("-") ? "-" : "") + spec.substring(flagEnd);
      char conversion = s.charAt(i);
      switch (conversion) {
        case 's':
          b.append(String.format(java.util.Locale.ROOT, "%" + textSpec + "s", Values.str(value)));
          break;
        case 'r':
          b.append(String.format(java.util.Locale.ROOT, "%" + textSpec + "s", Values.repr(value)));
          break;
        case 'd':
        case 'i':
          b.append(String.format(java.util.Locale.ROOT, "%" + spec.replaceAll("\\.\\d*", "") + "d",
              value instanceof Double ? (long) (double) (Double) value : Values.toLong(value)));
          break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
          b.append(String.format(java.util.Locale.ROOT, "%" + spec + (conversion == 'F' ? 'f' : conversion),
              Values.toDouble(value)));
          break;
        default:
          throw PyError.value("unsupported format character '" + conversion + "'");
      }
    }
    if (named == null && next < values.size() && !(args instanceof Map)) {
      throw PyError.type("not all arguments converted during string formatting");
    }
    return b.toString();
  }
}

package dev.muse4j.onnx.internal.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Jinja2's built-in filters, with transformers' {@code tojson}. */
final class Filters {
  static final Set<String> NAMES = Set.of("abs", "attr", "capitalize", "center", "count", "d", "default",
      "dictsort", "e", "escape", "first", "float", "format", "indent", "int", "items", "join", "last", "length", "list",
      "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
      "selectattr", "sort", "string", "sum", "title", "tojson", "trim", "unique", "upper", "wordcount", "batch",
      "forceescape", "striptags", "truncate", "groupby", "pprint", "slice", "xmlattr", "urlencode", "filesizeformat",
      "wordwrap", "random", "urlize", "mark_safe");

  private Filters() {
  }

  private static @Nullable Object arg(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, int i,
      String name, @Nullable Object fallback) {
    return Methods.arg(args, kwargs, i, name, fallback);
  }

  static @Nullable Object apply(Interpreter in, String name, @Nullable Object value, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs) {
    switch (name) {
      case "length":
      case "count":
        return Values.length(value);
      case "upper":
        return Methods.upper(Values.str(value));
      case "lower":
        return Methods.lower(Values.str(value));
      case "title":
        return title(Values.str(value));
      case "capitalize":
        return Methods.capitalize(Values.str(value));
      case "trim": {
        Object chars = arg(args, kwargs, 0, "chars", null);
        return Methods.strip(Values.str(value), chars == null ? null : Values.str(chars), true, true);
      }
      case "tojson":
        return Json.dumps(value, arg(args, kwargs, 0, "ensure_ascii", false), arg(args, kwargs, 1, "indent", null),
            arg(args, kwargs, 2, "separators", null), Values.truthy(arg(args, kwargs, 3, "sort_keys", false)));
      case "items":
        if (value instanceof Undefined) {
          return new ArrayList<>();
        }
        if (!(value instanceof Map)) {
          throw PyError.type("Can only get item pairs from a mapping.");
        }
        return PyIterator.generator(Methods.pairs(Values.map(value)));
      case "join": {
        Object sep = arg(args, kwargs, 0, "d", "");
        Object attribute = arg(args, kwargs, 1, "attribute", null);
        StringBuilder b = new StringBuilder();
        List<@Nullable Object> items = Values.iterate(value);
        for (int i = 0; i < items.size(); i++) {
          Object item = attribute == null ? items.get(i) : attrGet(items.get(i), attribute);
          b.append(i > 0 ? Values.str(sep) : "").append(Values.str(item));
        }
        return b.toString();
      }
      case "list":
        return Values.iterate(value);
      case "first": {
        if (value instanceof PyIterator) {
          PyIterator it = (PyIterator) value;
          return it.hasNext() ? it.next() : Undefined.hint("No first item, sequence was empty.");
        }
        List<@Nullable Object> items = Values.iterate(value);
        return items.isEmpty() ? Undefined.hint("No first item, sequence was empty.") : items.get(0);
      }
      case "last": {
        if (value instanceof PyIterator || value instanceof Map || value instanceof DictView) {
          throw PyError.type("'" + Values.typeName(value) + "' object is not reversible");
        }
        List<@Nullable Object> items = Values.iterate(value);
        return items.isEmpty() ? Undefined.hint("No last item, sequence was empty.") : items.get(items.size() - 1);
      }
      case "default":
      case "d": {
        Object fallback = arg(args, kwargs, 0, "default_value", "");
        boolean bool = Values.truthy(arg(args, kwargs, 1, "boolean", false));
        if (value instanceof Undefined || (bool && !Values.truthy(value))) {
          return fallback;
        }
        return value;
      }
      case "replace": {
        Object count = arg(args, kwargs, 2, "count", null);
        return Methods.replace(Values.str(value), Values.str(arg(args, kwargs, 0, "old", "")),
            Values.str(arg(args, kwargs, 1, "new", "")), count == null ? -1 : Values.toLong(count));
      }
      case "string":
        return Values.str(value);
      case "safe":
      case "mark_safe":
        return value instanceof String ? value : Values.str(value);
      case "e":
      case "escape":
      case "forceescape":
        return escape(Values.str(value));
      case "int":
        return toInt(value, arg(args, kwargs, 0, "default", 0L), arg(args, kwargs, 1, "base", 10L));
      case "float":
        return toFloat(value, arg(args, kwargs, 0, "default", 0.0));
      case "abs":
        if (value instanceof Double) {
          return Math.abs((Double) value);
        } else if (Values.isInt(value)) {
          return Math.abs(Values.toLong(value));
        }
        throw PyError.type("bad operand type for abs(): '" + Values.typeName(value) + "'");
      case "round":
        return round(value, arg(args, kwargs, 0, "precision", 0L), Values.str(arg(args, kwargs, 1, "method",
            "common")));
      case "map":
        return map(in, value, args, kwargs);
      case "select":
      case "reject":
        return select(in, value, args, kwargs, name.equals("select"), false);
      case "selectattr":
      case "rejectattr":
        return select(in, value, args, kwargs, name.equals("selectattr"), true);
      case "indent":
        return indent(value, arg(args, kwargs, 0, "width", 4L), Values.truthy(arg(args, kwargs, 1, "first", false)),
            Values.truthy(arg(args, kwargs, 2, "blank", false)));
      case "reverse": {
        if (value instanceof String) {
          return new StringBuilder((String) value).reverse().toString();
        }
        boolean reversible = value instanceof List || value instanceof PyTuple || value instanceof DictView
            || value instanceof Map;
        List<@Nullable Object> items = Values.iterate(value);
        java.util.Collections.reverse(items);
        // reversed() of a list is an iterator; of anything not reversible, Jinja builds a list.
        return reversible ? new PyIterator(value instanceof List ? "list_reverseiterator"
            : value instanceof PyTuple ? "reversed" : value instanceof Map ? "dict_reversekeyiterator"
            : "dict_reverseiterator", items) : items;
      }
      case "sort": {
        boolean reverse = Values.truthy(arg(args, kwargs, 0, "reverse", false));
        boolean caseSensitive = Values.truthy(arg(args, kwargs, 1, "case_sensitive", false));
        Object attribute = arg(args, kwargs, 2, "attribute", null);
        List<@Nullable Object> items = Values.iterate(value);
        // Jinja's sort key is a one-item list, so equal items are never ordered (and [None, None] sorts).
        Comparator<@Nullable Object> order = (a, b) -> {
          Object x = sortKey(a, attribute, caseSensitive);
          Object y = sortKey(b, attribute, caseSensitive);
          return Values.eq(x, y) ? 0 : Values.compare(x, y, "<");
        };
        items.sort(reverse ? order.reversed() : order);
        return items;
      }
      case "unique": {
        boolean caseSensitive = Values.truthy(arg(args, kwargs, 0, "case_sensitive", false));
        Object attribute = arg(args, kwargs, 1, "attribute", null);
        List<@Nullable Object> seen = new ArrayList<>();
        List<@Nullable Object> out = new ArrayList<>();
        for (Object item : Values.iterate(value)) {
          Object key = sortKey(item, attribute, caseSensitive);
          if (seen.stream().noneMatch(k -> Values.eq(k, key))) {
            seen.add(key);
            out.add(item);
          }
        }
        return PyIterator.generator(out);
      }
      case "dictsort": {
        boolean caseSensitive = Values.truthy(arg(args, kwargs, 0, "case_sensitive", false));
        String by = Values.str(arg(args, kwargs, 1, "by", "key"));
        boolean reverse = Values.truthy(arg(args, kwargs, 2, "reverse", false));
        if (!(value instanceof Map)) {
          throw PyError.type("dictsort needs a mapping");
        }
        List<@Nullable Object> pairs = new ArrayList<>();
        for (Map.Entry<@Nullable Object, @Nullable Object> e : Values.map(value).entrySet()) {
          pairs.add(new PyTuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
        }
        int index = by.equals("value") ? 1 : 0;
        Comparator<@Nullable Object> order = (a, b) -> Values.compare(
            sortKey(Values.items(a).get(index), null, caseSensitive),
            sortKey(Values.items(b).get(index), null, caseSensitive), "<");
        pairs.sort(reverse ? order.reversed() : order);
        return pairs;
      }
      case "sum": {
        Object attribute = arg(args, kwargs, 0, "attribute", null);
        Object total = arg(args, kwargs, 1, "start", 0L);
        for (Object item : Values.iterate(value)) {
          total = Values.add(total, attribute == null ? item : attrGet(item, attribute));
        }
        return total;
      }
      case "min":
      case "max": {
        boolean caseSensitive = Values.truthy(arg(args, kwargs, 0, "case_sensitive", false));
        Object attribute = arg(args, kwargs, 1, "attribute", null);
        List<@Nullable Object> items = Values.iterate(value);
        if (items.isEmpty()) {
          return Undefined.hint("No aggregated item, sequence was empty.");
        }
        Object best = items.get(0);
        for (Object item : items) {
          int c = Values.compare(sortKey(item, attribute, caseSensitive), sortKey(best, attribute, caseSensitive),
              "<");
          if (name.equals("min") ? c < 0 : c > 0) {
            best = item;
          }
        }
        return best;
      }
      case "attr":
        return Values.getattr(value, Values.str(arg(args, kwargs, 0, "name", "")));
      case "center": {
        long width = Values.toLong(arg(args, kwargs, 0, "width", 80L));
        return ((PyCallable) Methods.bind(Values.str(value), "center")).call(List.of(width), Map.of());
      }
      case "format":
        if (!kwargs.isEmpty()) {
          return Methods.percentFormat(Values.str(value), new LinkedHashMap<Object, Object>(kwargs));
        }
        return Methods.percentFormat(Values.str(value), new PyTuple(args));
      case "wordcount":
        return java.util.regex.Pattern.compile("\\w+", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS)
            .matcher(Values.str(value)).results().count();
      case "batch": {
        long size = Values.toLong(arg(args, kwargs, 0, "linecount", 1L));
        Object fill = arg(args, kwargs, 1, "fill_with", null);
        boolean hasFill = args.size() > 1 || kwargs.containsKey("fill_with");
        List<@Nullable Object> out = new ArrayList<>();
        List<@Nullable Object> current = new ArrayList<>();
        for (Object item : Values.iterate(value)) {
          if (current.size() == size) {
            out.add(current);
            current = new ArrayList<>();
          }
          current.add(item);
        }
        if (!current.isEmpty()) {
          while (hasFill && current.size() < size) {
            current.add(fill);
          }
          out.add(current);
        }
        return PyIterator.generator(out);
      }
      default:
        throw new PyError("TemplateAssertionError: No filter named '" + name + "'.");
    }
  }

  /** Jinja's title filter: a capital after each run of spaces, dashes and brackets. */
  static String title(String s) {
    StringBuilder b = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([-\\s({\\[<]+)",
        java.util.regex.Pattern.UNICODE_CHARACTER_CLASS).matcher(s);
    int last = 0;
    List<String> parts = new ArrayList<>();
    while (m.find()) {
      parts.add(s.substring(last, m.start()));
      parts.add(m.group());
      last = m.end();
    }
    parts.add(s.substring(last));
    for (String item : parts) {
      if (!item.isEmpty()) {
        int first = item.codePointAt(0);
        b.append(Methods.upper(new String(Character.toChars(first))))
            .append(Methods.lower(item.substring(Character.charCount(first))));
      }
    }
    return b.toString();
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&#34;");
          break;
        case '\'':
          b.append("&#39;");
          break;
        default:
          b.append(c);
      }
    }
    return b.toString();
  }

  private static @Nullable Object toInt(@Nullable Object value, @Nullable Object fallback, @Nullable Object base) {
    if (value instanceof Boolean || value instanceof Long) {
      return Values.toLong(value);
    } else if (value instanceof Double) {
      double d = (Double) value;
      return Double.isFinite(d) ? (long) d : fallback;
    } else if (value instanceof String) {
      String s = Methods.strip((String) value, null, true, true).replace("_", "");
      try {
        return Long.parseLong(s.startsWith("+") ? s.substring(1) : s, (int) Values.toLong(base));
      } catch (NumberFormatException e) {
        try {
          return (long) Double.parseDouble(s);
        } catch (NumberFormatException e2) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  private static @Nullable Object toFloat(@Nullable Object value, @Nullable Object fallback) {
    if (Values.isNumber(value)) {
      return Values.toDouble(value);
    } else if (value instanceof String) {
      try {
        String s = Methods.strip((String) value, null, true, true);
        if (s.matches("(?i)[+-]?(inf|infinity|nan)")) {
          return s.toLowerCase(java.util.Locale.ROOT).contains("nan") ? Double.NaN
              : s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (s.matches("[+-]?(\\d[\\d_]*\\.?[\\d_]*|\\.\\d[\\d_]*)([eE][+-]?\\d+)?")) {
          return Double.parseDouble(s.replace("_", ""));
        }
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  private static @Nullable Object round(@Nullable Object value, @Nullable Object precision, String method) {
    double d = Values.toDouble(value);
    int p = (int) Values.toLong(precision);
    if (!Double.isFinite(d)) {
      return d;
    }
    switch (method) {
      case "common":
        return new BigDecimal(d).setScale(p, RoundingMode.HALF_EVEN).doubleValue();
      case "ceil":
        return Math.ceil(d * Math.pow(10, p)) / Math.pow(10, p);
      case "floor":
        return Math.floor(d * Math.pow(10, p)) / Math.pow(10, p);
      default:
        throw new PyError("FilterArgumentError: method must be common, ceil or floor");
    }
  }

  /** An attribute path as selectattr, map and sort take it: dots separate parts, digits are indexes. */
  static @Nullable Object attrGet(@Nullable Object item, @Nullable Object attribute) {
    if (!(attribute instanceof String)) {
      return Values.getitem(item, attribute);
    }
    Object v = item;
    for (String part : ((String) attribute).split("\\.", -1)) {
      Object key = part.matches("\\d+") ? (Object) Long.parseLong(part) : part;
      v = Values.getitem(v, key);
    }
    return v;
  }

  private static @Nullable Object sortKey(@Nullable Object item, @Nullable Object attribute, boolean caseSensitive) {
    Object v = attribute == null ? item : attrGet(item, attribute);
    if (!caseSensitive && v instanceof String) {
      return Methods.lower((String) v);
    }
    return v;
  }

  private static @Nullable Object map(Interpreter in, @Nullable Object value, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs) {
    List<@Nullable Object> out = new ArrayList<>();
    List<@Nullable Object> items = Values.iterate(value);
    if (args.isEmpty() && kwargs.containsKey("attribute")) {
      Object attribute = kwargs.get("attribute");
      boolean hasDefault = kwargs.containsKey("default");
      for (Object item : items) {
        Object v = attrGet(item, attribute);
        out.add(hasDefault && v instanceof Undefined ? kwargs.get("default") : v);
      }
      return PyIterator.generator(out);
    }
    if (args.isEmpty()) {
      throw PyError.type("map requires a filter argument");
    }
    String filter = Values.str(args.get(0));
    List<@Nullable Object> rest = new ArrayList<>(args.subList(1, args.size()));
    for (Object item : items) {
      out.add(apply(in, filter, item, rest, kwargs));
    }
    return PyIterator.generator(out);
  }

  private static @Nullable Object select(Interpreter in, @Nullable Object value, List<@Nullable Object> args,
      Map<String, @Nullable Object> kwargs, boolean keep, boolean byAttribute) {
    List<@Nullable Object> out = new ArrayList<>();
    int offset = byAttribute ? 1 : 0;
    Object attribute = byAttribute ? (args.isEmpty() ? null : args.get(0)) : null;
    String test = args.size() > offset ? Values.str(args.get(offset)) : null;
    List<@Nullable Object> testArgs = args.size() > offset + 1 ? new ArrayList<>(args.subList(offset + 1,
        args.size())) : new ArrayList<>();
    for (Object item : Values.iterate(value)) {
      Object subject = byAttribute ? attrGet(item, attribute) : item;
      boolean result = test == null ? Values.truthy(subject) : Tests.apply(in, test, subject, testArgs, kwargs);
      if (result == keep) {
        out.add(item);
      }
    }
    return PyIterator.generator(out);
  }

  private static String indent(@Nullable Object value, @Nullable Object width, boolean first, boolean blank) {
    if (value instanceof Undefined) {
      throw ((Undefined) value).fail();
    }
    if (!(width instanceof String)) {
      Interpreter.checkSize(Values.toLong(width));
    }
    String indention = width instanceof String ? (String) width : " ".repeat((int) Math.max(0, Values.toLong(width)));
    String s = Values.str(value) + "\n";
    List<String> lines = Methods.splitlines(s, false);
    StringBuilder rv = new StringBuilder();
    if (blank) {
      rv.append(String.join("\n" + indention, lines));
    } else {
      rv.append(lines.isEmpty() ? "" : lines.get(0));
      if (lines.size() > 1) {
        rv.append('\n');
        for (int i = 1; i < lines.size(); i++) {
          String line = lines.get(i);
          rv.append(i > 1 ? "\n" : "").append(line.isEmpty() ? line : indention + line);
        }
      }
    }
    return first ? indention + rv : rv.toString();
  }
}

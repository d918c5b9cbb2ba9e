package dev.muse4j.onnx.internal.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Python's {@code json.dumps}, as transformers' {@code tojson} filter calls it. */
final class Json {
  private Json() {
  }

  static String dumps(@Nullable Object value, @Nullable Object ensureAscii, @Nullable Object indent,
      @Nullable Object separators, boolean sortKeys) {
    String indentUnit = null;
    if (indent instanceof String) {
      indentUnit = (String) indent;
    } else if (indent != null && Values.isInt(indent)) {
      indentUnit = " ".repeat((int) Math.max(0, Values.toLong(indent)));
    }
    String itemSep = indentUnit != null ? "," : ", ";
    String keySep = ": ";
    if (separators != null) {
      List<@Nullable Object> seps = Values.iterate(separators);
      itemSep = Values.str(seps.get(0));
      keySep = Values.str(seps.get(1));
    }
    StringBuilder b = new StringBuilder();
    new Json.Writer(Values.truthy(ensureAscii), indentUnit, itemSep, keySep, sortKeys).write(value, b, 0);
    return b.toString();
  }

  private record Writer(boolean ascii, @Nullable String indent, String itemSep, String keySep, boolean sortKeys) {
    void newline(StringBuilder b, int level) {
      if (indent != null) {
        b.append('\n').append(indent.repeat(level));
      }
    }

    void write(@Nullable Object v, StringBuilder b, int level) {
      if (v == null) {
        b.append("null");
      } else if (v instanceof Boolean) {
        b.append((Boolean) v ? "true" : "false");
      } else if (v instanceof Long) {
        b.append(v);
      } else if (v instanceof Double) {
        double d = (Double) v;
        b.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
            : Values.floatRepr(d));
      } else if (v instanceof String) {
        string((String) v, b);
      } else if ((v instanceof List && !(v instanceof PyRange)) || v instanceof PyTuple) {
        List<@Nullable Object> items = Values.items(v);
        if (items.isEmpty()) {
          b.append("[]");
          return;
        }
        b.append('[');
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            b.append(itemSep);
          }
          newline(b, level + 1);
          write(items.get(i), b, level + 1);
        }
        newline(b, level);
        b.append(']');
      } else if (v instanceof Map) {
        Map<@Nullable Object, @Nullable Object> map = Values.map(v);
        if (map.isEmpty()) {
          b.append("{}");
          return;
        }
        List<Map.Entry<@Nullable Object, @Nullable Object>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
          entries.sort((x, y) -> Values.compare(x.getKey(), y.getKey(), "<"));
        }
        b.append('{');
        for (int i = 0; i < entries.size(); i++) {
          if (i > 0) {
            b.append(itemSep);
          }
          newline(b, level + 1);
          string(key(entries.get(i).getKey()), b);
          b.append(keySep);
          write(entries.get(i).getValue(), b, level + 1);
        }
        newline(b, level);
        b.append('}');
      } else {
        throw PyError.type("Object of type " + Values.typeName(v) + " is not JSON serializable");
      }
    }

    String key(@Nullable Object k) {
      if (k instanceof String) {
        return (String) k;
      } else if (k == null) {
        return "null";
      } else if (k instanceof Boolean) {
        return (Boolean) k ? "true" : "false";
      } else if (k instanceof Long || k instanceof Double) {
        return Values.repr(k);
      }
      throw PyError.type("keys must be str, int, float, bool or None, not " + Values.typeName(k));
    }

    void string(String s, StringBuilder b) {
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"':
            b.append("\\\"");
            break;
          case '\\':
            b.append("\\\\");
            break;
          case '\n':
            b.append("\\n");
            break;
          case '\r':
            b.append("\\r");
            break;
          case '\t':
            b.append("\\t");
            break;
          case '\b':
            b.append("\\b");
            break;
          case '\f':
            b.append("\\f");
            break;
          default:
            if (c < 0x20 || (ascii && c > 0x7e)) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
        }
      }
      b.append('"');
    }
  }
}

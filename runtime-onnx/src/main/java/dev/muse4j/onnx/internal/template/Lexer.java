package dev.muse4j.onnx.internal.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits a template into text and tag tokens as Jinja2's lexer does with {@code trim_blocks} and
 * {@code lstrip_blocks}: newlines normalised to {@code \n}, one trailing newline of the source dropped, {@code -}
 * and {@code +} whitespace control on both sides of tags, comments removed and {@code raw} blocks kept as text.
 */
final class Lexer {
  enum Type { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

  record Token(Type type, String text, @Nullable Object value, int line, int column) {
    boolean is(Type t, String s) {
      return type == t && text.equals(s);
    }

    boolean isOp(String s) {
      return is(Type.OPERATOR, s);
    }

    boolean isName(String s) {
      return is(Type.NAME, s);
    }
  }

  private static final String[] OPERATORS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[",
      "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

  private final String src;
  private final int[] lineStarts;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private boolean lineStarting = true;

  private Lexer(String source) {
    this.src = normalize(source);
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < src.length(); i++) {
      if (src.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Jinja2 rewrites every newline as \n and, with keep_trailing_newline off, drops one at the end. */
  static String normalize(String source) {
    String s = source.replace("\r\n", "\n").replace('\r', '\n');
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  static List<Token> tokenize(String source) {
    Lexer lexer = new Lexer(source);
    lexer.run();
    return lexer.tokens;
  }

  private int line(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  private int column(int offset) {
    return offset - lineStarts[line(offset) - 1] + 1;
  }

  private TemplateSyntaxException error(String message, int offset) {
    return new TemplateSyntaxException(message, line(offset), column(offset));
  }

  private void add(Type type, String text, @Nullable Object value, int offset) {
    tokens.add(new Token(type, text, value, line(offset), column(offset)));
  }

  private void run() {
    while (pos < src.length()) {
      int open = nextOpener(pos);
      if (open < 0) {
        addData(src.substring(pos), pos);
        pos = src.length();
        break;
      }
      char kind = src.charAt(open + 1);
      char sign = open + 2 < src.length() ? src.charAt(open + 2) : ' ';
      String text = src.substring(pos, open);
      if (sign == '-') {
        text = Methods.strip(text, null, false, true);
      } else if (sign != '+' && kind != '{') {
        text = lstrip(text);
      }
      addData(text, pos);
      int inner = open + 2 + (sign == '-' || sign == '+' ? 1 : 0);
      if (kind == '#') {
        comment(open, inner);
      } else if (kind == '%' && rawBlock(inner)) {
        continue;
      } else {
        add(kind == '{' ? Type.VAR_BEGIN : Type.BLOCK_BEGIN, src.substring(open, inner), null, open);
        pos = inner;
        tag(kind == '{' ? "}}" : "%}", open);
      }
    }
    add(Type.EOF, "", null, src.length());
  }

  private void addData(String text, int offset) {
    if (!text.isEmpty()) {
      add(Type.DATA, text, text, offset);
    }
  }

  private int nextOpener(int from) {
    for (int i = from; i < src.length() - 1; i++) {
      if (src.charAt(i) == '{') {
        char c = src.charAt(i + 1);
        if (c == '{' || c == '%' || c == '#') {
          return i;
        }
      }
    }
    return -1;
  }

  /** lstrip_blocks: spaces and tabs between the start of the line and a block or comment tag go. */
  private String lstrip(String text) {
    int lineStart = text.lastIndexOf('\n') + 1;
    if (lineStart > 0 || lineStarting) {
      for (int i = lineStart; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c != ' ' && c != '\t') {
          return text;
        }
      }
      return text.substring(0, lineStart);
    }
    return text;
  }

  /** Consumes a tag's end: {@code -} strips all whitespace after it, otherwise trim_blocks drops one newline. */
  private void tagEnd(int end, String closer, boolean minus, boolean plus) {
    int after = end + closer.length();
    if (minus) {
      while (after < src.length() && Values.isSpace(src.charAt(after))) {
        after++;
      }
    } else if (!plus && !closer.equals("}}") && after < src.length() && src.charAt(after) == '\n') {
      after++;
    }
    pos = after;
    lineStarting = after > 0 && src.charAt(after - 1) == '\n';
  }

  private void comment(int open, int inner) {
    int close = src.indexOf("#}", inner);
    if (close < 0) {
      throw error("Missing end of comment tag", open);
    }
    boolean minus = close > inner && src.charAt(close - 1) == '-';
    tagEnd(close, "#}", minus, false);
  }

  /** {@code {% raw %}...{% endraw %}}: the text in between is output as it is. */
  private boolean rawBlock(int inner) {
    int i = skipSpace(inner);
    if (!src.startsWith("raw", i) || (i + 3 < src.length() && isNameChar(src.charAt(i + 3)))) {
      return false;
    }
    int j = skipSpace(i + 3);
    boolean minus = src.startsWith("-%}", j);
    if (!minus && !src.startsWith("%}", j)) {
      return false;
    }
    // Unlike other block tags, the raw tag keeps the newline after it (Jinja2's raw_begin has no block suffix).
    tagEnd(minus ? j + 1 : j, "%}", minus, true);
    int search = pos;
    while (true) {
      int open = src.indexOf("{%", search);
      if (open < 0) {
        throw error("Missing end of raw directive", inner);
      }
      char sign = open + 2 < src.length() ? src.charAt(open + 2) : ' ';
      int k = skipSpace(open + 2 + (sign == '-' || sign == '+' ? 1 : 0));
      if (src.startsWith("endraw", k)) {
        int m = skipSpace(k + 6);
        boolean endMinus = src.startsWith("-%}", m);
        boolean endPlus = src.startsWith("+%}", m);
        if (endMinus || endPlus || src.startsWith("%}", m)) {
          String text = src.substring(pos, open);
          if (sign == '-') {
            text = Methods.strip(text, null, false, true);
          } else if (sign != '+') {
            text = lstrip(text);
          }
          addData(text, pos);
          tagEnd(endMinus || endPlus ? m + 1 : m, "%}", endMinus, endPlus);
          return true;
        }
      }
      search = open + 2;
    }
  }

  private int skipSpace(int i) {
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** The tokens inside a {@code {{ }}} or {@code {% %}} tag, up to its end. */
  private void tag(String closer, int open) {
    int depth = 0;
    Type endType = closer.equals("}}") ? Type.VAR_END : Type.BLOCK_END;
    while (true) {
      if (pos >= src.length()) {
        throw error("Unexpected end of template; the tag opened here is never closed", open);
      }
      char c = src.charAt(pos);
      if (depth == 0) {
        if (src.startsWith("-" + closer, pos)) {
          add(endType, "-" + closer, null, pos);
          tagEnd(pos + 1, closer, true, false);
          return;
        }
        if (closer.equals("%}") && src.startsWith("+%}", pos)) {
          add(endType, "+%}", null, pos);
          tagEnd(pos + 1, closer, false, true);
          return;
        }
        if (src.startsWith(closer, pos)) {
          add(endType, closer, null, pos);
          tagEnd(pos, closer, false, false);
          return;
        }
      }
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (Character.isDigit(c)) {
        number();
      } else if (c == '_' || Character.isLetter(c)) {
        int start = pos;
        while (pos < src.length() && isNameChar(src.charAt(pos))) {
          pos++;
        }
        add(Type.NAME, src.substring(start, pos), null, start);
      } else if (c == '\'' || c == '"') {
        string(c);
      } else {
        String op = null;
        for (String candidate : OPERATORS) {
          if (src.startsWith(candidate, pos)) {
            op = candidate;
            break;
          }
        }
        if (op == null) {
          throw error("Unexpected char " + Values.repr(String.valueOf(c)), pos);
        }
        if (op.equals("(") || op.equals("[") || op.equals("{")) {
          depth++;
        } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
          if (depth == 0) {
            throw error("Unexpected '" + op + "'", pos);
          }
          depth--;
        }
        add(Type.OPERATOR, op, null, pos);
        pos += op.length();
      }
    }
  }

  private void number() {
    int start = pos;
    boolean afterDot = start > 0 && src.charAt(start - 1) == '.';
    while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    boolean isFloat = false;
    if (!afterDot) {
      if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
        isFloat = true;
        pos++;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
      }
      if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
        int e = pos + 1;
        if (e < src.length() && (src.charAt(e) == '+' || src.charAt(e) == '-')) {
          e++;
        }
        if (e < src.length() && Character.isDigit(src.charAt(e))) {
          isFloat = true;
          pos = e;
          while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
          }
        }
      }
    }
    String text = src.substring(start, pos);
    String clean = text.replace("_", "");
    if (isFloat) {
      add(Type.FLOAT, text, Double.parseDouble(clean), start);
    } else {
      try {
        add(Type.INTEGER, text, Long.parseLong(clean), start);
      } catch (NumberFormatException e) {
        throw error("Integer too large: " + text, start);
      }
    }
  }

  /** A string literal, unescaped as Python's unicode-escape codec does. */
  private void string(char quote) {
    int start = pos;
    StringBuilder b = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= src.length()) {
        throw error("Unterminated string", start);
      }
      char c = src.charAt(pos);
      if (c == quote) {
        pos++;
        break;
      }
      if (c != '\\') {
        b.append(c);
        pos++;
        continue;
      }
      if (pos + 1 >= src.length()) {
        throw error("Unterminated string", start);
      }
      char e = src.charAt(pos + 1);
      pos += 2;
      switch (e) {
        case '\n':
          break;
        case '\\':
          b.append('\\');
          break;
        case '\'':
          b.append('\'');
          break;
        case '"':
          b.append('"');
          break;
        case 'a':
          b.append('\u0007');
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'v':
          b.append('\u000b');
          break;
        case 'x':
          b.appendCodePoint(hex(2, start));
          break;
        case 'u':
          b.appendCodePoint(hex(4, start));
          break;
        case 'U':
          b.appendCodePoint(hex(8, start));
          break;
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int k = 0; k < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; k++) {
              value = value * 8 + (src.charAt(pos++) - '0');
            }
            b.append((char) value);
          } else {
            b.append('\\').append(e);
          }
      }
    }
    add(Type.STRING, src.substring(start, pos), b.toString(), start);
  }

  private int hex(int digits, int start) {
    if (pos + digits > src.length()) {
      throw error("Truncated \\x, \\u or \\U escape in string", start);
    }
    try {
      int value = Integer.parseInt(src.substring(pos, pos + digits), 16);
      pos += digits;
      return value;
    } catch (NumberFormatException e) {
      throw error("Truncated \\x, \\u or \\U escape in string", start);
    }
  }
}

package dev.muse4j.onnx.internal.template;

/**
 * A template that does not parse, with the line and column (both from 1) where the parser stopped.
 */
public final class TemplateSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String reason;

  TemplateSyntaxException(String reason, int line, int column) {
    super(reason + " (line " + line + ", column " + column + ")");
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  /** @return the line, from 1 */
  public int line() {
    return line;
  }

  /** @return the column, from 1 */
  public int column() {
    return column;
  }

  /** @return what is wrong, without the position */
  public String reason() {
    return reason;
  }
}

package dev.muse4j.onnx.internal.template;

import org.jspecify.annotations.Nullable;

/**
 * A template that failed while rendering: it called {@code raise_exception}, or an expression failed as it fails in
 * Python (an undefined attribute, a type error, an unsafe operation in the sandbox).
 */
public final class TemplateRenderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean raised;
  private final String reason;
  private final int line;

  TemplateRenderException(String reason, boolean raised, int line, @Nullable Throwable cause) {
    super(line > 0 ? reason + " (line " + line + ")" : reason, cause);
    this.reason = reason;
    this.raised = raised;
    this.line = line;
  }

  /** @return true when the template itself called {@code raise_exception} */
  public boolean raisedByTemplate() {
    return raised;
  }

  /** @return the message, without the position */
  public String reason() {
    return reason;
  }

  /** @return the template line, from 1, or 0 when unknown */
  public int line() {
    return line;
  }
}

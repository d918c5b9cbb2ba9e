package dev.muse4j.onnx.internal.template;

/** A Python-level error inside the interpreter; the renderer adds the template line. */
final class PyError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final boolean raised;

  PyError(String message) {
    this(message, false);
  }

  PyError(String message, boolean raised) {
    super(message, null, false, false);
    this.raised = raised;
  }

  static PyError type(String message) {
    return new PyError("TypeError: " + message);
  }

  static PyError value(String message) {
    return new PyError("ValueError: " + message);
  }
}

package dev.muse4j.onnx.internal.template;

import org.jspecify.annotations.Nullable;

/**
 * Jinja2's default {@code Undefined}: renders as nothing, is false, iterates as empty, has length 0; any attribute,
 * item, call or arithmetic on it fails with the reason it is undefined.
 */
final class Undefined {
  private final String message;
  private final boolean security;

  private Undefined(String message, boolean security) {
    this.message = message;
    this.security = security;
  }

  /** A name not in the context. */
  static Undefined name(String name) {
    return new Undefined("'" + name + "' is undefined", false);
  }

  /** A missing attribute or key of an object. */
  static Undefined member(@Nullable Object obj, Object key) {
    if (!(key instanceof String)) {
      return new Undefined(Values.objectTypeRepr(obj) + " has no element " + Values.repr(key), false);
    }
    return new Undefined("'" + Values.objectTypeRepr(obj) + "' has no attribute " + Values.repr(key), false);
  }

  static Undefined hint(String hint) {
    return new Undefined(hint, false);
  }

  static Undefined unsafe(Object obj, String attribute) {
    return new Undefined("access to attribute '" + attribute + "' of '" + Values.typeName(obj)
        + "' object is unsafe.", true);
  }

  PyError fail() {
    return new PyError((security ? "SecurityError: " : "UndefinedError: ") + message);
  }

  @Override
  public String toString() {
    return "";
  }
}

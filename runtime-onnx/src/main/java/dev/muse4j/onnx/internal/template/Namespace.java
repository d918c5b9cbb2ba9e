package dev.muse4j.onnx.internal.template;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Jinja's {@code namespace(...)}: the one object a template may change, with {@code set ns.attr = value}. */
final class Namespace implements HasAttributes {
  final Map<String, @Nullable Object> attributes = new LinkedHashMap<>();

  @Override
  public @Nullable Object attribute(String name, Values.Holder found) {
    found.found = attributes.containsKey(name);
    return attributes.get(name);
  }

  @Override
  public String toString() {
    return "<Namespace " + Values.repr(attributes) + ">";
  }
}

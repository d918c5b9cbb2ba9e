package dev.muse4j.onnx.internal.template;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code dict.items()}, {@code keys()} and {@code values()}: sized and reusable, but not indexable. */
record DictView(String typeName, List<@Nullable Object> items) {
  @Override
  public String toString() {
    return typeName + "(" + Values.repr(items) + ")";
  }
}

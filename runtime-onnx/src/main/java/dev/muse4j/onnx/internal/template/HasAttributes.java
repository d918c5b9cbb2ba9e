package dev.muse4j.onnx.internal.template;

import org.jspecify.annotations.Nullable;

/** An interpreter object with named attributes (the loop, a namespace). */
interface HasAttributes {
  /** The attribute, or {@code null} (Java) when there is none. */
  @Nullable Object attribute(String name, Values.Holder found);
}

package dev.muse4j.onnx.internal.template;

import java.util.List;

/** A Python tuple: an immutable sequence that prints with parentheses. */
record PyTuple(List<@org.jspecify.annotations.Nullable Object> items) {
}

/**
 * ONNX Runtime's native libraries: extracted once into a versioned, verified cache and handed to ONNX Runtime through
 * {@code onnxruntime.native.path} before it loads.
 */
@NullMarked
package dev.muse4j.onnx.internal.natives;

import org.jspecify.annotations.NullMarked;

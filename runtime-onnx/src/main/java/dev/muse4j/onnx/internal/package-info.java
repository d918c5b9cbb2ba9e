/**
 * Implementation of the onnx backend. Not API.
 */
@NullMarked
package dev.muse4j.onnx.internal;

import org.jspecify.annotations.NullMarked;

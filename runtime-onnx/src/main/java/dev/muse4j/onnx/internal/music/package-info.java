/**
 * The onnx backend's music engines: symbolic music written as ABC notation by a local text model.
 */
@NullMarked
package dev.muse4j.onnx.internal.music;

import org.jspecify.annotations.NullMarked;

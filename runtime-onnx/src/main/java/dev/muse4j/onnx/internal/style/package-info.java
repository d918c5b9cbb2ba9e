/**
 * Local style transfer and image-to-image models: {@code style.json} and what the graph declares, tiling with
 * overlap and feathered blending, colour handling (YCbCr), adaptive instance normalization between an encoder and a
 * decoder.
 */
@NullMarked
package dev.muse4j.onnx.internal.style;

import org.jspecify.annotations.NullMarked;

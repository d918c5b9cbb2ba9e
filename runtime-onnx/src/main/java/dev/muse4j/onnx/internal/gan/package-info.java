/**
 * GAN generators on ONNX Runtime: a latent (and optionally a class) in, a batch of pictures out. The layout, value
 * range and latent distribution come from the model's shapes and a small {@code gan.json} beside it.
 */
@NullMarked
package dev.muse4j.onnx.internal.gan;

import org.jspecify.annotations.NullMarked;

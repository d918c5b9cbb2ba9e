/**
 * Stable Diffusion pipelines on ONNX Runtime: CLIP tokenization, the text encoder, the denoising loop with
 * classifier-free guidance and diffusers-compatible schedulers, and the VAE. Seeded noise comes from
 * {@link dev.muse4j.spi.TorchGenerator}, so a seed gives the picture diffusers gives on CPU.
 */
@NullMarked
package dev.muse4j.onnx.internal.diffusion;

import org.jspecify.annotations.NullMarked;

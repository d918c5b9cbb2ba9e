/**
 * Seeded noise that follows PyTorch's CPU generator, the one source of randomness for every picture and music engine,
 * so that a seed gives the same latents as {@code torch.randn(shape, generator=torch.Generator("cpu").manual_seed(seed))}.
 */
@NullMarked
package dev.muse4j.onnx.internal.noise;

import org.jspecify.annotations.NullMarked;

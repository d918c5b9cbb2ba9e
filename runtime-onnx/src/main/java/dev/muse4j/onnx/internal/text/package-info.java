/**
 * Local text generation: model directory formats, the decoder loop with its KV cache, the logits pipeline, sampling, stop strings and streaming detokenization.
 */
@NullMarked
package dev.muse4j.onnx.internal.text;

import org.jspecify.annotations.NullMarked;

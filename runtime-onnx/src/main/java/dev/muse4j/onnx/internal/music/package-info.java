/**
 * The onnx backend's music engines: symbolic music written as ABC notation by a local text model, and MusicGen audio
 * (T5 text encoder, merged codebook decoder with its own KV cache, EnCodec) in the transformers.js / Optimum layout.
 */
@NullMarked
package dev.muse4j.onnx.internal.music;

import org.jspecify.annotations.NullMarked;

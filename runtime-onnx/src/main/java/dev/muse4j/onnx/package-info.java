/**
 * The local backend {@code onnx}: models on ONNX Runtime (CPU, CUDA, DirectML). Open it with
 * {@code Muse4j.backend("onnx", config)}; this package holds only its {@link dev.muse4j.onnx.OnnxBackendProvider}.
 * See {@code docs/models.md} for the model directories it loads and {@code docs/gpu.md} for execution providers.
 */
@NullMarked
package dev.muse4j.onnx;

import org.jspecify.annotations.NullMarked;

/**
 * Tokenizers (DJL's Hugging Face tokenizers) and chat templates.
 */
@NullMarked
package dev.muse4j.onnx.internal.tokenizer;

import org.jspecify.annotations.NullMarked;

/**
 * A small interpreter for the Jinja dialect of Hugging Face chat templates: it renders exactly as Python Jinja2 does
 * under transformers' settings (trim_blocks, lstrip_blocks, an immutable sandbox, Python value semantics).
 */
@NullMarked
package dev.muse4j.onnx.internal.template;

import org.jspecify.annotations.NullMarked;

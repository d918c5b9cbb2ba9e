/**
 * ONNX Runtime sessions: the shared environment, execution providers and session options.
 */
@NullMarked
package dev.muse4j.onnx.internal.session;

import org.jspecify.annotations.NullMarked;

/**
 * JMH benchmarks of Muse4j against the raw ONNX Runtime loop. See {@code docs/performance.md}.
 */
@NullMarked
package dev.muse4j.benchmarks;

import org.jspecify.annotations.NullMarked;

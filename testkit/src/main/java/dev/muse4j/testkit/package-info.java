/**
 * Contract tests that every Muse4j backend should pass, ours and third parties'.
 *
 * <p>Each contract is an abstract JUnit 5 class: extend it in your backend's tests and supply what it asks for (a
 * provider, or a way to open a generator). The inherited tests then check the promises of the public API:
 * validation, streaming that equals non-streaming, prompt cancellation on close, usage counts, thread-safety under
 * concurrent calls, and determinism with a seed where the backend claims it.
 * <ul>
 *   <li>{@link dev.muse4j.testkit.BackendContract}: discovery, settings, capabilities.</li>
 *   <li>{@link dev.muse4j.testkit.TextGeneratorContract}: text generation and streaming.</li>
 *   <li>{@link dev.muse4j.testkit.ImageGeneratorContract}, {@link dev.muse4j.testkit.StyleTransferContract},
 *       {@link dev.muse4j.testkit.MusicGeneratorContract}: the media capabilities.</li>
 * </ul>
 * {@link dev.muse4j.testkit.Fixtures} builds small test images and sounds.
 */
@NullMarked
package dev.muse4j.testkit;

import org.jspecify.annotations.NullMarked;

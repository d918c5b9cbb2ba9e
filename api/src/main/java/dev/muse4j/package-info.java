/**
 * Muse4j: generative text, images, music and style transfer behind one small API.
 *
 * <p>A tour of the public types:
 * <ul>
 *   <li>{@link dev.muse4j.Muse4j} discovers backends; a {@link dev.muse4j.Backend} (local ONNX Runtime, a remote
 *       OpenAI-compatible server, or your own) is configured once with a {@link dev.muse4j.BackendConfig}.</li>
 *   <li>A backend opens generators, one model each: {@link dev.muse4j.TextGenerator},
 *       {@link dev.muse4j.ImageGenerator}, {@link dev.muse4j.MusicGenerator} and {@link dev.muse4j.StyleTransfer}.
 *       Generators are thread-safe and {@link java.lang.AutoCloseable}.</li>
 *   <li>Requests are immutable values ({@link dev.muse4j.TextRequest}, {@link dev.muse4j.ImageRequest},
 *       {@link dev.muse4j.MusicRequest}, {@link dev.muse4j.StyleRequest}); sampling is a
 *       {@link dev.muse4j.SamplingConfig}. Invalid values fail fast with an {@link dev.muse4j.InvalidRequestException}
 *       naming the field.</li>
 *   <li>Results and media are immutable values too: {@link dev.muse4j.TextResult}, {@link dev.muse4j.Image},
 *       {@link dev.muse4j.Audio}, {@link dev.muse4j.Midi}.</li>
 *   <li>Every failure is an unchecked {@link dev.muse4j.Muse4jException}.</li>
 * </ul>
 *
 * <p><b>Null arguments.</b> Every package is {@code @NullMarked}: a parameter accepts null only where it is annotated
 * {@code @Nullable}. A null anywhere else, in any public method of this package, raises an
 * {@link dev.muse4j.InvalidRequestException} whose {@link dev.muse4j.InvalidRequestException#field() field()} names
 * the argument, before any work is done; the asynchronous methods return a future failed with it instead, as for
 * every invalid request. No method answers a null argument with a {@link java.lang.NullPointerException}.
 *
 * <p>Backends are plugged in through {@link dev.muse4j.spi.BackendProvider} and {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.muse4j;

import org.jspecify.annotations.NullMarked;

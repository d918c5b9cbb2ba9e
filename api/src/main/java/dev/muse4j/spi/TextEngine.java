package dev.muse4j.spi;

import dev.muse4j.SamplingConfig;
import dev.muse4j.TextRequest;

/**
 * One text model as a backend runs it: the narrow part of a {@link dev.muse4j.TextGenerator}. The core owns
 * everything else (closed state, validation, sampling precedence, choices, async, deadlines, the listener); an
 * engine only turns one validated job into text.
 *
 * <p>The core resolves sampling with one rule for every backend: the request, then the generator's default
 * ({@link dev.muse4j.ModelOptions#sampling()}), then {@link #modelDefaults()}, then {@link #engineDefaults()}.
 *
 * <p><strong>Thread-safety:</strong> implementations must be thread-safe; {@link #start} is called from many threads
 * at once. <strong>Closing:</strong> the core closes the engine once, after every run it started has been closed.
 *
 * @since 0.2.0
 */
public interface TextEngine extends AutoCloseable {
  /**
   * What requests this engine takes. The default sets no limit beyond the API's.
   *
   * @return the limits; {@link Limits#contextLength()} is checked against {@code maxTokens}
   */
  default Limits limits() {
    return Limits.none();
  }

  /**
   * The model's own sampling configuration (a {@code generation_config.json}, say).
   *
   * @return the model's defaults; empty by default
   */
  default SamplingConfig modelDefaults() {
    return SamplingConfig.empty();
  }

  /**
   * What fills the knobs nobody set. A local engine gives {@link SamplingConfig#defaults()} (the default); a remote
   * one gives {@link SamplingConfig#empty()}, so that the server's own defaults apply.
   *
   * @return the engine's defaults
   */
  default SamplingConfig engineDefaults() {
    return SamplingConfig.defaults();
  }

  /**
   * How many choices one run can make together. The core asks for {@code count} choices in one run when the count
   * fits and the caller does not stream; otherwise it starts one run per choice, with seeds {@code seed},
   * {@code seed + 1}, ... The default is 1.
   *
   * @return at least 1
   */
  default int choicesPerRun() {
    return 1;
  }

  /**
   * Starts a generation. The core pulls its text with {@link TextRun#next()} on the consumer's thread.
   *
   * @param job the request (plain prompt or chat; {@link TextRequest#count()} is 1, or at most
   *     {@link #choicesPerRun()} when {@code streamed} is false) with resolved sampling, and the cancellation signal
   * @param streamed whether the caller reads the text as it comes; a remote engine may use a non-streaming exchange
   *     when it is not
   * @return the run; the core closes it
   * @throws dev.muse4j.InvalidRequestException if the request does not fit the model (a prompt longer than the
   *     context, say)
   */
  TextRun start(Job<TextRequest> job, boolean streamed);

  /** Frees the model. Called once, by the core. */
  @Override
  void close();
}

package dev.muse4j;

import java.util.concurrent.CompletableFuture;

/**
 * Generates text with one model on one backend: poems, stories, chat replies.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe; many threads may generate and stream at once.
 * Per-call state lives in per-call objects (a {@link TextStream}).
 *
 * <p><strong>Closing:</strong> the caller that opened a generator (with {@link Backend#text(String)}) closes it, which
 * cancels the streams and jobs still running, waits for them to stop, then frees the model's native memory. Calls
 * after {@code close()} throw {@link ClosedException}.
 *
 * @since 0.1.0
 */
public interface TextGenerator extends AutoCloseable {
  /**
   * The model this generator runs, as it was named when opened.
   *
   * @return the model directory or id
   */
  String model();

  /**
   * Generates text and waits for it.
   *
   * @param request what to generate
   * @return the result
   * @throws InvalidRequestException if the request does not fit this model (for example a prompt longer than its
   *     context window)
   * @throws GenerationCancelledException if the calling thread was interrupted
   * @throws GenerationTimeoutException if the request's timeout passed
   * @throws ClosedException if the generator is closed
   */
  TextResult generate(TextRequest request);

  /**
   * Generates a continuation of a plain prompt with the generator's defaults.
   *
   * @param prompt the text to continue
   * @return the result
   */
  default TextResult generate(String prompt) {
    return generate(TextRequest.of(prompt));
  }

  /**
   * Starts generating and returns at once with a stream of chunks. The caller must close the stream; closing it
   * early cancels generation.
   *
   * @param request what to generate; {@link TextRequest#count()} must be 1
   * @return the stream
   * @throws InvalidRequestException if the request is invalid for this model or asks for several completions
   */
  TextStream stream(TextRequest request);

  /**
   * Generates text without blocking the caller. Cancelling the returned future cancels generation.
   *
   * <p>The work runs on the backend's executor ({@link BackendConfig#withExecutor}). Cancelling the future, or the
   * request's {@link TextRequest#withTimeout timeout}, stops generation between tokens (a remote exchange is aborted).
   * A request that is invalid fails the future with an {@link InvalidRequestException}.
   *
   * @param request what to generate
   * @return a future of the result
   */
  CompletableFuture<TextResult> generateAsync(TextRequest request);

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

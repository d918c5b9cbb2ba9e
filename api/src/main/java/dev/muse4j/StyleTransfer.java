package dev.muse4j;

import java.util.concurrent.CompletableFuture;

/**
 * Restyles pictures with one model on one backend.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller that opened
 * it closes it; closing cancels its jobs
 * in flight and waits for them to stop; calls after {@code close()} throw {@link ClosedException}.
 *
 * @since 0.1.0
 */
public interface StyleTransfer extends AutoCloseable {
  /**
   * The model this style transfer runs.
   *
   * @return the model directory or id
   */
  String model();

  /**
   * Restyles the picture and waits for it.
   *
   * @param request what to restyle
   * @return the restyled picture(s)
   */
  ImageResult transfer(StyleRequest request);

  /**
   * Restyles on the backend's executor ({@link BackendConfig#withExecutor}). Cancelling the future
   * ({@code cancel(true)}) or the request's timeout stops the work between steps and frees what it held.
   *
   * @param request what to restyle
   * @return a future of the result
   */
  CompletableFuture<ImageResult> transferAsync(StyleRequest request);

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

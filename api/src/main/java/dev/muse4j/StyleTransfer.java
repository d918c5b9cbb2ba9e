package dev.muse4j;

import dev.muse4j.internal.Async;
import java.util.concurrent.CompletableFuture;

/**
 * Restyles pictures with one model on one backend.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller that opened
 * it closes it; calls after {@code close()} throw {@link IllegalStateException}.
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
   * Restyles on Muse4j's shared daemon pool. Cancelling the future cancels the work.
   *
   * @param request what to restyle
   * @return a future of the result
   */
  default CompletableFuture<ImageResult> transferAsync(StyleRequest request) {
    return Async.supplyCancellable(() -> transfer(request));
  }

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

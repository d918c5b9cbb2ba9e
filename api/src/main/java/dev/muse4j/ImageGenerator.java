package dev.muse4j;

import dev.muse4j.internal.Async;
import java.util.concurrent.CompletableFuture;

/**
 * Makes pictures from prompts (and, where the model allows, from an initial picture) with one model on one backend.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller that opened
 * it closes it; calls after {@code close()} throw {@link IllegalStateException}.
 *
 * @since 0.1.0
 */
public interface ImageGenerator extends AutoCloseable {
  /**
   * The model this generator runs.
   *
   * @return the model directory or id
   */
  String model();

  /**
   * Makes the pictures and waits for them. Interrupting the calling thread cancels between steps with a
   * {@link GenerationCancelledException}.
   *
   * @param request what to draw
   * @return the pictures
   */
  ImageResult generate(ImageRequest request);

  /**
   * Makes the pictures on Muse4j's shared daemon pool. Cancelling the future cancels generation.
   *
   * @param request what to draw
   * @return a future of the pictures
   */
  default CompletableFuture<ImageResult> generateAsync(ImageRequest request) {
    return Async.supplyCancellable(() -> generate(request));
  }

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

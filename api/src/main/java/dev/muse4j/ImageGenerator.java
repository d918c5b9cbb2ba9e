package dev.muse4j;

import java.util.concurrent.CompletableFuture;

/**
 * Makes pictures from prompts (and, where the model allows, from an initial picture) with one model on one backend.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller that opened
 * it closes it; closing cancels its jobs
 * in flight and waits for them to stop; calls after {@code close()} throw {@link ClosedException}.
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
   * Makes the pictures on the backend's executor ({@link BackendConfig#withExecutor}). Cancelling the future
   * ({@code cancel(true)}) or the request's timeout stops the work between steps and frees what it held.
   *
   * @param request what to draw
   * @return a future of the pictures
   */
  CompletableFuture<ImageResult> generateAsync(ImageRequest request);

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

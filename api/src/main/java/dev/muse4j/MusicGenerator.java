package dev.muse4j;

import java.util.concurrent.CompletableFuture;

/**
 * Makes music from prompts with one model on one backend.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller that opened
 * it closes it; closing cancels its jobs
 * in flight and waits for them to stop; calls after {@code close()} throw {@link ClosedException}.
 *
 * @since 0.1.0
 */
public interface MusicGenerator extends AutoCloseable {
  /**
   * The model this generator runs.
   *
   * @return the model directory or id
   */
  String model();

  /**
   * Makes the music and waits for it. Interrupting the calling thread cancels between steps with a
   * {@link GenerationCancelledException}.
   *
   * @param request what to make
   * @return the music
   */
  MusicResult generate(MusicRequest request);

  /**
   * Makes the music on the backend's executor ({@link BackendConfig#withExecutor}). Cancelling the future
   * ({@code cancel(true)}) or the request's timeout stops the work between steps and frees what it held.
   *
   * @param request what to make
   * @return a future of the music
   */
  CompletableFuture<MusicResult> generateAsync(MusicRequest request);

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

package dev.muse4j;

import dev.muse4j.internal.Async;
import java.util.concurrent.CompletableFuture;

/**
 * Makes music from prompts with one model on one backend.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller that opened
 * it closes it; calls after {@code close()} throw {@link IllegalStateException}.
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
   * Makes the music on Muse4j's shared daemon pool. Cancelling the future cancels generation.
   *
   * @param request what to make
   * @return a future of the music
   */
  default CompletableFuture<MusicResult> generateAsync(MusicRequest request) {
    return Async.supplyCancellable(() -> generate(request));
  }

  /** Releases the model. Idempotent. */
  @Override
  void close();
}

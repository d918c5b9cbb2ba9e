package dev.muse4j.spi;

import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;

/**
 * One picture model as a backend runs it: the narrow part behind the core's generator. The engine does only its own
 * work (a diffusion loop, a GAN batch or an HTTP exchange); the core owns closed state, validation against
 * {@link #limits()}, async on the backend's executor, deadlines, progress and the lifecycle listener.
 *
 * <p><strong>Thread-safety:</strong> implementations must be thread-safe. <strong>Closing:</strong> the core closes
 * the engine once, after the jobs it runs have ended.
 *
 * @since 0.2.0
 */
public interface ImageEngine extends AutoCloseable {
  /**
   * What requests this engine takes. The default sets no limit beyond the API's.
   *
   * @return the limits
   */
  default Limits limits() {
    return Limits.none();
  }

  /**
   * Does the work, on the calling thread. Check {@link Job#cancellation()} between steps (and throw
   * {@link dev.muse4j.GenerationCancelledException} through {@link Cancellation#throwIfCancelled()}), and report
   * each finished step with {@link Job#step(int, int)}.
   *
   * @param job the validated request and its cancellation signal
   * @return the result
   */
  ImageResult generate(Job<ImageRequest> job);

  /** Frees the model. Called once, by the core. */
  @Override
  void close();
}

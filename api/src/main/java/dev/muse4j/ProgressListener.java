package dev.muse4j;

/**
 * Receives progress reports from long generations (images, music, style). Called on the generating thread, so it
 * should return quickly. An exception it throws aborts the generation and is rethrown to the caller.
 *
 * <p>Thread-safety: a listener shared by generations that run at once must be thread-safe itself.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores every report. */
  ProgressListener NONE = p -> { };

  /**
   * Reports progress.
   *
   * @param progress how far the generation has come
   */
  void onProgress(Progress progress);
}

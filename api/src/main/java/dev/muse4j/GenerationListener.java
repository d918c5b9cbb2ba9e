package dev.muse4j;

/**
 * Hears about every generation a backend runs: when it starts, when it first produces output, and how it ends. This
 * is where metrics and logs attach; set one per backend with {@link BackendConfig#withListener(GenerationListener)}.
 *
 * <pre>{@code
 * GenerationListener timer = new GenerationListener() {
 *   @Override public void onEnd(GenerationEvent e) {
 *     registry.timer("muse4j.generation", "backend", e.backend(), "kind", e.kind().name())
 *         .record(e.elapsed());
 *   }
 * };
 * Backend onnx = Muse4j.backend("onnx", BackendConfig.empty().withListener(timer));
 * }</pre>
 *
 * <p>Every method has a do-nothing default, and {@link #NOOP} is the listener a backend has unless one is set. Calls
 * come on the thread doing the work, so they must be quick; a listener that throws is logged once (at WARN) and never
 * breaks the generation. Implementations must be thread-safe: generations run concurrently.
 *
 * @since 0.2.0
 */
public interface GenerationListener {
  /** The listener that does nothing. */
  GenerationListener NOOP = new GenerationListener() {
    @Override
    public String toString() {
      return "GenerationListener.NOOP";
    }
  };

  /**
   * A generation was validated and is starting.
   *
   * @param event what is generated; {@link GenerationEvent#elapsed()} is zero
   */
  default void onStart(GenerationEvent event) {}

  /**
   * The generation produced its first output: the first piece of text, or the first finished step of a picture,
   * style or music job.
   *
   * @param event the generation, with the time since it started
   */
  default void onFirstOutput(GenerationEvent event) {}

  /**
   * The generation ended normally, or was cancelled by its caller.
   *
   * @param event the generation, with the finish reason and, for text, usage and timings
   */
  default void onEnd(GenerationEvent event) {}

  /**
   * The generation failed (this includes a timeout).
   *
   * @param event the generation, with the time it ran
   * @param error the failure the caller gets
   */
  default void onFailure(GenerationEvent event, Muse4jException error) {}
}

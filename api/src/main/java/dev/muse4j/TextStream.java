package dev.muse4j;

import java.util.Iterator;

/**
 * A text generation in progress, read chunk by chunk. Obtain one from {@link TextGenerator#stream(TextRequest)} and
 * always close it, best with try-with-resources:
 *
 * <pre>{@code
 * try (TextStream s = poet.stream(TextRequest.of("Ode to the sea"))) {
 *   for (TextChunk c : s) System.out.print(c.text());
 *   TextResult r = s.result();   // finish reason, usage, timings
 * }
 * }</pre>
 *
 * <p><strong>Closing cancels.</strong> {@link #close()} may be called from any thread at any time; the backend stops
 * promptly (a local model between tokens, a remote one by aborting the HTTP exchange) and frees what it held. A
 * closed stream's iteration ends, and {@link #result()} then reports {@link FinishReason#CANCELLED} with the text so
 * far.
 *
 * <p>Thread-safety: one thread iterates; {@link #close()}, {@link #textSoFar()} and {@link #isDone()} may be called
 * from any thread. {@link #iterator()} may be called once.
 *
 * @since 0.1.0
 */
public interface TextStream extends Iterable<TextChunk>, AutoCloseable {
  /**
   * The chunks as they are generated. {@code hasNext()} blocks until the next chunk or the end. If generation fails,
   * {@code hasNext()} throws the failure (a {@link Muse4jException}); the text so far stays available from
   * {@link #textSoFar()}.
   *
   * @return the iterator; only one per stream
   * @throws IllegalStateException if called a second time
   */
  @Override
  Iterator<TextChunk> iterator();

  /**
   * Waits for the end and returns the final result. Chunks not yet iterated are consumed (and counted in the text).
   *
   * @return the result; its text equals the concatenation of all chunks
   * @throws Muse4jException if generation failed
   */
  TextResult result();

  /**
   * The text generated so far; after a failure, everything that arrived before it.
   *
   * @return the text so far
   */
  String textSoFar();

  /**
   * Whether generation has ended (finished, failed or cancelled).
   *
   * @return {@code true} once ended
   */
  boolean isDone();

  /** Cancels generation if it is still running and releases its resources. Idempotent; never throws. */
  @Override
  void close();
}

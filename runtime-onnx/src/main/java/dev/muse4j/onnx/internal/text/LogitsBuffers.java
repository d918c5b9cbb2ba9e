package dev.muse4j.onnx.internal.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Direct, native-order buffers that ONNX Runtime writes logits into (pinned outputs), kept for reuse across the
 * generations of one model. A direct buffer is freed only when the garbage collector finds it, and decoding that
 * allocates almost no heap gives the collector no reason to run, so buffers are recycled here rather than dropped.
 * Buffers are told apart by identity ({@link ByteBuffer#equals} compares contents). Thread-safe.
 */
final class LogitsBuffers {
  /** Buffers kept by default when no generation holds them; more are dropped. */
  private static final int KEEP = 8;
  private final int keep;
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

  LogitsBuffers() {
    this(KEEP);
  }

  /** @param keep how many free buffers to keep (the batched KV caches keep one per layer and kind) */
  LogitsBuffers(int keep) {
    this.keep = keep;
  }

  /** A buffer of at least {@code bytes}, cleared, native order; give it back with {@link #give}. */
  synchronized ByteBuffer take(int bytes) {
    ByteBuffer best = null;
    for (ByteBuffer b : free) {
      if (b.capacity() >= bytes && (best == null || b.capacity() < best.capacity())) {
        best = b;
      }
    }
    if (best != null) {
      removeIdentical(best);
      best.clear();
      return best;
    }
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  /** Returns a buffer from {@link #take}; keeps the largest few ({@value #KEEP} by default). */
  synchronized void give(ByteBuffer buffer) {
    free.add(buffer);
    if (free.size() > keep) {
      ByteBuffer smallest = buffer;
      for (ByteBuffer b : free) {
        if (b.capacity() < smallest.capacity()) {
          smallest = b;
        }
      }
      removeIdentical(smallest);
    }
  }

  private void removeIdentical(ByteBuffer buffer) {
    for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext();) {
      if (it.next() == buffer) {
        it.remove();
        return;
      }
    }
  }
}

package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Integer inputs of a decoder run (ids, positions, the attention mask) in a direct native-order buffer that grows by
 * doubling and is reused at every step; a new buffer holds the fill value everywhere (the mask's ones). Not
 * thread-safe: one per run or batch. The buffer is freed with the object.
 */
final class IntegerInput {
  private final OnnxJavaType type;
  private final int size;
  private final long fill;
  private ByteBuffer buffer;

  IntegerInput(OnnxJavaType type, int capacity, long fill) {
    this.type = type == OnnxJavaType.INT32 ? OnnxJavaType.INT32 : OnnxJavaType.INT64;
    this.size = this.type == OnnxJavaType.INT32 ? 4 : 8;
    this.fill = fill;
    this.buffer = allocate(capacity);
  }

  private ByteBuffer allocate(int capacity) {
    ByteBuffer b = ByteBuffer.allocateDirect(capacity * size).order(ByteOrder.nativeOrder());
    if (fill != 0) {
      for (int i = 0; i < capacity; i++) {
        put(b, i, fill);
      }
    }
    return b;
  }

  /** Room for {@code n} values. */
  void ensure(int n) {
    if (buffer.capacity() < n * size) {
      buffer = allocate(Math.max(n, buffer.capacity() / size * 2));
    }
  }

  void set(int i, long value) {
    put(buffer, i, value);
  }

  private void put(ByteBuffer b, int i, long value) {
    if (size == 4) {
      b.putInt(i * 4, (int) value);
    } else {
      b.putLong(i * 8, value);
    }
  }

  /** A tensor over the first {@code n} values (it reads the buffer as it is when a run starts). */
  OnnxTensor tensor(OrtEnvironment env, long[] shape, int n) throws OrtException {
    buffer.clear().limit(n * size);
    return OnnxTensor.createTensor(env, buffer, shape, type);
  }
}

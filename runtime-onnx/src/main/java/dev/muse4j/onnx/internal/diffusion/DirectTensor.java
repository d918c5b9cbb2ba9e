package dev.muse4j.onnx.internal.diffusion;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A float32 or float16 tensor over a direct buffer that ONNX Runtime reads and writes in place, so the same tensor
 * is fed (or filled, as a pinned output) at every denoising step without allocating. Values are read and written as
 * floats whatever the element type.
 *
 * <p>Not thread-safe; owned by one generation, which closes it.
 */
final class DirectTensor implements AutoCloseable {
  private final OnnxTensor tensor;
  private final @Nullable FloatBuffer floats;
  private final @Nullable ShortBuffer halves;
  private final int size;

  private DirectTensor(OnnxTensor tensor, @Nullable FloatBuffer floats, @Nullable ShortBuffer halves, int size) {
    this.tensor = tensor;
    this.floats = floats;
    this.halves = halves;
    this.size = size;
  }

  /**
   * A zeroed tensor.
   *
   * @param env the environment
   * @param type {@link OnnxJavaType#FLOAT} or {@link OnnxJavaType#FLOAT16}
   * @param shape the shape
   * @return the tensor; the caller closes it
   * @throws OrtException if ONNX Runtime cannot make it
   */
  static DirectTensor create(OrtEnvironment env, OnnxJavaType type, long... shape) throws OrtException {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("tensor of " + count + " elements is too large");
    }
    int n = (int) count;
    boolean half = type == OnnxJavaType.FLOAT16;
    if (!half && type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException("a float tensor is float32 or float16, not " + type);
    }
    ByteBuffer bytes = ByteBuffer.allocateDirect(n * (half ? 2 : 4)).order(ByteOrder.nativeOrder());
    OnnxTensor tensor = OnnxTensor.createTensor(env, bytes, shape, type);
    return half ? new DirectTensor(tensor, null, bytes.asShortBuffer(), n)
        : new DirectTensor(tensor, bytes.asFloatBuffer(), null, n);
  }

  OnnxTensor tensor() {
    return tensor;
  }

  int size() {
    return size;
  }

  float get(int i) {
    FloatBuffer f = floats;
    return f != null ? f.get(i) : Fp16Conversions.fp16ToFloat(java.util.Objects.requireNonNull(halves).get(i));
  }

  void put(int i, float value) {
    FloatBuffer f = floats;
    if (f != null) {
      f.put(i, value);
    } else {
      java.util.Objects.requireNonNull(halves).put(i, Fp16Conversions.floatToFp16(value));
    }
  }

  /**
   * Writes {@code source × scale} at an offset.
   *
   * @param offset the first element written
   * @param source the values
   * @param scale the factor
   */
  void putScaled(int offset, float[] source, float scale) {
    FloatBuffer f = floats;
    if (f != null) {
      for (int i = 0; i < source.length; i++) {
        f.put(offset + i, source[i] * scale);
      }
    } else {
      ShortBuffer h = java.util.Objects.requireNonNull(halves);
      for (int i = 0; i < source.length; i++) {
        h.put(offset + i, Fp16Conversions.floatToFp16(source[i] * scale));
      }
    }
  }

  /**
   * Reads {@code out.length} values from an offset.
   *
   * @param offset the first element read
   * @param out receives the values
   */
  void read(int offset, float[] out) {
    FloatBuffer f = floats;
    if (f != null) {
      f.get(offset, out, 0, out.length);
    } else {
      ShortBuffer h = java.util.Objects.requireNonNull(halves);
      for (int i = 0; i < out.length; i++) {
        out[i] = Fp16Conversions.fp16ToFloat(h.get(offset + i));
      }
    }
  }

  @Override
  public void close() {
    tensor.close();
  }
}

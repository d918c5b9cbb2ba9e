package dev.muse4j.onnx.internal.text;

/**
 * IEEE 754 half-precision conversions (Java 17 has none built in; Java 20 added Float.float16ToFloat). Stateless;
 * shared by the text and MusicGen engines.
 */
public final class Float16 {
  private Float16() {}

  /**
   * The float a half-precision value holds.
   *
   * @param half the 16 bits
   * @return the value
   */
  public static float toFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float value = mantissa / 1024f / 16384f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}

package dev.muse4j.onnx.internal.text;

/** IEEE 754 half-precision conversions (Java 17 has none built in; Java 20 added Float.float16ToFloat). */
final class Float16 {
  private Float16() {}

  static float toFloat(short half) {
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

  static short fromFloat(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = bits & 0x7fffff;
    if (((bits >>> 23) & 0xff) == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    if (exponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (exponent <= 0) {
      if (exponent < -10) {
        return (short) sign;
      }
      mantissa |= 0x800000;
      int shift = 14 - exponent;
      int rounded = (mantissa + (1 << (shift - 1))) >> shift;
      return (short) (sign | rounded);
    }
    int rounded = mantissa + 0x1000;
    if ((rounded & 0x800000) != 0) {
      rounded = 0;
      exponent++;
      if (exponent >= 0x1f) {
        return (short) (sign | 0x7c00);
      }
    }
    return (short) (sign | (exponent << 10) | (rounded >> 13));
  }
}

package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Float16Test {
  @Test
  void knownValuesConvertBothWays() {
    assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1.0f);
    assertThat(Float16.toFloat((short) 0xc000)).isEqualTo(-2.0f);
    assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(5.9604645E-8f);
    assertThat(Float16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float.isNaN(Float16.toFloat((short) 0x7e00))).isTrue();
  }

  @Test
  void everyFiniteHalfMatchesItsExactValue() {
    for (int h = 0; h < 0x10000; h++) {
      int exponent = (h >>> 10) & 0x1f;
      if (exponent == 0x1f) {
        continue;
      }
      double mantissa = exponent == 0 ? (h & 0x3ff) / 1024.0 : 1 + (h & 0x3ff) / 1024.0;
      double value = mantissa * Math.pow(2, (exponent == 0 ? 1 : exponent) - 15) * ((h & 0x8000) != 0 ? -1 : 1);
      assertThat((double) Float16.toFloat((short) h)).as("0x%04x", h).isEqualTo(value);
    }
  }
}

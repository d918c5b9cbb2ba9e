package dev.muse4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Latent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generator draws what {@code torch.Generator("cpu").manual_seed(seed)} draws: values written by Debian's
 * PyTorch 1.13 (its AVX2 kernel) with {@code tools/fixtures/make_noise.py}, matched bit for bit.
 */
class TorchGeneratorTest {

  private static JsonNode fixture() throws IOException {
    try (InputStream in = TorchGeneratorTest.class.getResourceAsStream("/fixtures/noise/torch.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  @TestFactory
  Stream<DynamicTest> drawsWhatPyTorchDraws() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : fixture().path("cases")) {
      int n = 1;
      for (JsonNode d : c.path("shape")) {
        n *= d.asInt();
      }
      int count = n;
      long seed = c.path("seed").asLong();
      String call = c.path("call").asText();
      tests.add(DynamicTest.dynamicTest(call + c.path("shape") + " seed " + seed, () -> {
        TorchGenerator g = new TorchGenerator(seed);
        float[] values = call.equals("rand") ? g.rand(count) : g.randn(count);
        if (c.has("values")) {
          assertSame(values, 0, c.path("values"));
        } else {
          assertSame(values, 0, c.path("head"));
          assertSame(values, count - c.path("tail").size(), c.path("tail"));
          double sum = 0;
          for (float v : values) {
            sum += v;
          }
          assertThat(sum).isCloseTo(c.path("sum").asDouble(), within(1e-9));
        }
        assertSame(g.randn(16), 0, c.path("next16"));
      }));
    }
    return tests.stream();
  }

  /** JSON holds each float32 as the double equal to it, so the float nearest to it is the value itself. */
  private static void assertSame(float[] actual, int from, JsonNode expected) {
    float[] want = new float[expected.size()];
    for (int i = 0; i < want.length; i++) {
      want[i] = (float) expected.get(i).asDouble();
    }
    assertBits(actual, from, want);
  }

  private static void assertBits(float[] actual, int from, float[] expected) {
    for (int i = 0; i < expected.length; i++) {
      int index = from + i;
      assertThat(Float.floatToRawIntBits(actual[index]))
          .as("value %d: %s, PyTorch %s", index, actual[index], expected[i])
          .isEqualTo(Float.floatToRawIntBits(expected[i]));
    }
  }

  private static float[] floats(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  private static String sha256(float[] values) throws NoSuchAlgorithmException {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
  }

  /**
   * The vectorised path (16 values or more) equals PyTorch bit for bit: seeds 0, 1, 42, 1234 and 2<sup>32</sup> + 5
   * at sizes 16, 17, 100, 256, 1000 and 16387 (every value; the largest by SHA-256 of all of them), a 2×4×64×64 draw
   * and a million values in one draw, and the 16 values each generator draws next.
   */
  @TestFactory
  Stream<DynamicTest> vectorisedPathIsBitForBit() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : fixture().path("exact")) {
      int n = 1;
      for (JsonNode d : c.path("shape")) {
        n *= d.asInt();
      }
      int count = n;
      long seed = c.path("seed").asLong();
      tests.add(DynamicTest.dynamicTest("randn" + c.path("shape") + " seed " + seed, () -> {
        TorchGenerator g = new TorchGenerator(seed);
        float[] values = g.randn(count);
        if (c.has("bits")) {
          float[] want = floats(c.path("bits").asText());
          assertThat(want).hasSize(count);
          assertBits(values, 0, want);
        } else {
          assertBits(values, 0, floats(c.path("headBits").asText()));
          float[] tail = floats(c.path("tailBits").asText());
          assertBits(values, count - tail.length, tail);
          assertThat(sha256(values)).as("SHA-256 of all %d values", count).isEqualTo(c.path("sha256").asText());
        }
        assertBits(g.randn(16), 0, floats(c.path("next16Bits").asText()));
      }));
    }
    assertThat(tests).hasSize(32);
    return tests.stream();
  }

  @Test
  void latentRandomIsPyTorchsDraw() throws IOException {
    for (JsonNode c : fixture().path("exact")) {
      if (c.path("shape").size() == 1 && c.has("bits")) {
        int n = c.path("shape").get(0).asInt();
        assertBits(Latent.random(c.path("seed").asLong(), n).values(), 0, floats(c.path("bits").asText()));
      }
    }
  }

  @Test
  void aZeroIsPositiveAndTheCephesFunctionsAreCloseToLibm() {
    // u = 0 gives u1 = 1, log 1 = 0 and r = sqrt(-0) = -0: PyTorch's fma(n, std, mean) stores +0, and so must we
    assertThat(Float.floatToRawIntBits(TorchGenerator.cephesLog(1f))).isZero();
    for (float u = 0x1p-24f; u <= 1f; u *= 1.001f) {
      assertThat((double) TorchGenerator.cephesLog(u)).isCloseTo(Math.log(u), within(4e-7 * Math.max(1, -Math.log(u))));
    }
    for (float theta = 0; theta < 6.2831855f; theta += 0.0007f) {
      long sinCos = TorchGenerator.cephesSinCosBits(theta);
      assertThat((double) Float.intBitsToFloat((int) sinCos)).isCloseTo(Math.cos(theta), within(3e-7));
      assertThat((double) Float.intBitsToFloat((int) (sinCos >>> 32))).isCloseTo(Math.sin(theta), within(3e-7));
    }
  }

  @Test
  void theSameSeedRepeatsAndAnotherSeedDiffers() {
    assertThat(new TorchGenerator(5).randn(64)).containsExactly(new TorchGenerator(5).randn(64));
    assertThat(new TorchGenerator(5).randn(64)).isNotEqualTo(new TorchGenerator(6).randn(64));
  }

  @Test
  void uniformsAreTheLow24BitsOfEachDraw() {
    TorchGenerator bits = new TorchGenerator(9);
    TorchGenerator uniforms = new TorchGenerator(9);
    for (int i = 0; i < 100; i++) {
      float u = uniforms.nextUniformFloat();
      assertThat(u).isEqualTo((bits.nextInt32() & 0xffffff) / 16777216f).isBetween(0f, 1f);
    }
  }
}

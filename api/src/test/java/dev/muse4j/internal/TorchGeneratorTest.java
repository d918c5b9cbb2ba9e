package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generator draws what {@code torch.Generator("cpu").manual_seed(seed)} draws: values written by Debian's
 * PyTorch with {@code tools/fixtures/make_noise.py}, matched within 1e-6.
 */
class TorchGeneratorTest {
  private static final double TOLERANCE = 1e-6;

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
          assertClose(values, 0, c.path("values"));
        } else {
          assertClose(values, 0, c.path("head"));
          assertClose(values, count - c.path("tail").size(), c.path("tail"));
          double sum = 0;
          for (float v : values) {
            sum += v;
          }
          assertThat(sum).isCloseTo(c.path("sum").asDouble(), within(1e-3));
        }
        assertClose(g.randn(16), 0, c.path("next16"));
      }));
    }
    return tests.stream();
  }

  private static void assertClose(float[] actual, int from, JsonNode expected) {
    for (int i = 0; i < expected.size(); i++) {
      double want = expected.get(i).asDouble();
      assertThat((double) actual[from + i]).as("value %d", from + i)
          .isCloseTo(want, within(TOLERANCE * Math.max(1, Math.abs(want))));
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

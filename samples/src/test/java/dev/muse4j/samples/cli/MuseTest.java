package dev.muse4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MuseTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int muse(String... args) {
    return Muse.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void withoutArgumentsItPrintsHelpAndTheBackends() {
    assertThat(muse()).isZero();

    assertThat(out.toString()).contains("Usage: muse").contains("backends").contains("Backends:");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(muse("--no-such-option")).isEqualTo(2);

    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
  }
}

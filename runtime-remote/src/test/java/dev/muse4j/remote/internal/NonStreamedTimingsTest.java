package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Muse4j;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.Timings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A non-streamed answer arrives all at once, so its time to first token is not seen by the client: it is reported
 * where the server tells it (llama-server's {@code timings}) and left empty where it does not.
 */
class NonStreamedTimingsTest {
  private FakeServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Timings timingsOf(FakeServer.Handler answer) throws Exception {
    server = new FakeServer(r -> answer);
    try (Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl()).build());
        TextGenerator g = b.text("m")) {
      return g.generate(TextRequest.of("hi")).timings();
    }
  }

  @Test
  void withoutServerTimingsTheTimeToFirstTokenIsUnknown() throws Exception {
    Timings t = timingsOf(FakeServer.json(200, "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":"
        + "{\"role\":\"assistant\",\"content\":\"fine\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":7}}"));

    assertThat(t.timeToFirstTokenIfKnown()).isEmpty();
    assertThat(t.timeToFirstToken()).isNotEqualTo(t.total());
    assertThat(t.total()).isPositive();
    assertThat(t.generatedTokens()).isEqualTo(7);
    assertThat(t.tokensPerSecond()).isZero();
  }

  @Test
  void llamaServerTimingsGiveTheDecodeSpeed() throws Exception {
    Path wire = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "openai-wire");
    assumeTrue(Files.isDirectory(wire), "shared fixtures absent: " + wire);

    // The captured answer reports 12 tokens predicted in 7.048 ms, 1560.7 per second.
    Timings t = timingsOf(FakeServer.replay(wire, "chat"));

    assertThat(t.timeToFirstTokenIfKnown()).isPresent();
    assertThat(t.timeToFirstToken()).isLessThan(t.total());
    assertThat(t.generatedTokens()).isEqualTo(12);
    assertThat(t.tokensPerSecond()).isCloseTo(1560.7, within(1.0));
  }
}

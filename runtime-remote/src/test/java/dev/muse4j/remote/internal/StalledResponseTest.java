package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.Muse4j;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that starts its answer and then falls silent is a timeout, not a hang: the JDK client's own timeout ends
 * with the response headers, so the backend watches the body for {@code requestTimeout} of silence.
 */
class StalledResponseTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final CountDownLatch release = new CountDownLatch(1);
  private FakeServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  private Backend backend(FakeServer.Handler handler, String requestTimeout, int maxRetries) throws Exception {
    server = new FakeServer(r -> handler);
    return Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
        .set("requestTimeout", requestTimeout).set("maxRetries", maxRetries).build());
  }

  @Test
  void aBodyThatStallsAfterTheHeadersTimesOutWithTheConfiguredValue() throws Exception {
    try (Backend b = backend((r, x) -> {
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, 0);
      FakeServer.write(x.getResponseBody(), "{\"choices\":[");
      release.await(20, TimeUnit.SECONDS);
    }, "300ms", 1); TextGenerator g = b.text("m")) {
      assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> g.generate(TextRequest.of("hi")))
          .isInstanceOf(GenerationTimeoutException.class)
          .hasMessageContaining("sent nothing for the requestTimeout of 300 ms")
          .hasMessageContaining("after 2 attempts")
          .satisfies(e -> assertThat(((GenerationTimeoutException) e).timeout()).isEqualTo(Duration.ofMillis(300))));
    }
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void aStreamThatFallsSilentMidwayTimesOutAndKeepsItsText() throws Exception {
    try (Backend b = backend((r, x) -> {
      OutputStream out = FakeServer.startSse(x);
      FakeServer.write(out, FakeServer.delta("Roses ") + FakeServer.delta("are"));
      release.await(20, TimeUnit.SECONDS);
    }, "300ms", 2); TextGenerator g = b.text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(s::result)
          .isInstanceOf(GenerationTimeoutException.class).hasMessageContaining("300 ms")
          .hasMessageNotContaining("attempts"));
      assertThat(s.textSoFar()).isEqualTo("Roses are");
    }
    assertThat(server.requests).as("a stream that delivered events is not retried").hasSize(1);
  }

  @Test
  void keepAliveCommentsKeepASlowStreamAlive() throws Exception {
    try (Backend b = backend((r, x) -> {
      OutputStream out = FakeServer.startSse(x);
      for (int i = 0; i < 6; i++) {
        FakeServer.write(out, ": still thinking\n\n");
        Thread.sleep(100);
      }
      FakeServer.write(out, FakeServer.delta("late but fine") + "data: {\"choices\":[{\"index\":0,\"delta\":{},"
          + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
      out.close();
    }, "300ms", 0); TextGenerator g = b.text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertTimeoutPreemptively(BOUND, () -> assertThat(s.result().text()).isEqualTo("late but fine"));
    }
  }
}

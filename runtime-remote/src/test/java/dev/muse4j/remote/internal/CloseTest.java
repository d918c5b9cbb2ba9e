package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.muse4j.Backend;
import dev.muse4j.ClosedException;
import dev.muse4j.BackendConfig;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing the backend ends everything it started: calls in flight, calls waiting for a retry, open streams. */
class CloseTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final CountDownLatch release = new CountDownLatch(1);
  private FakeServer server;

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
  }

  private Backend backend(FakeServer.Handler handler) throws Exception {
    server = new FakeServer(r -> handler);
    return TestBackends.open(RemoteSettings.from(BackendConfig.builder().set("baseUrl", server.baseUrl()).build(),
        Map.of()));
  }

  @Test
  void aCallInFlightFailsAsCancelledWhenTheBackendCloses() throws Exception {
    Backend backend = backend((r, x) -> release.await(20, TimeUnit.SECONDS));
    TextGenerator g = backend.text("m");
    CompletableFuture<TextResult> pending = g.generateAsync(TextRequest.of("hi"));
    awaitUntil(() -> !server.requests.isEmpty());

    backend.close();

    assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(pending::join)
        .hasCauseInstanceOf(GenerationCancelledException.class).hasMessageContaining("was closed"));
  }

  @Test
  void aCallWaitingForItsRetryFailsAsCancelledWhenTheBackendCloses() throws Exception {
    // The real scheduler: the server asks for a 50 s wait, which only closing can cut short.
    Backend backend = backend(FakeServer.json(429, "{}", Map.of("Retry-After", "50")));
    TextGenerator g = backend.text("m");
    CompletableFuture<TextResult> pending;
    try (CapturedLog log = new CapturedLog()) {
      pending = g.generateAsync(TextRequest.of("hi"));
      awaitUntil(() -> log.text().contains("retrying in 50000 ms"));
    }

    backend.close();

    assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(pending::join)
        .hasCauseInstanceOf(GenerationCancelledException.class));
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void openStreamsEndAsCancelledAndNewWorkIsRefused() throws Exception {
    Backend backend = backend((r, x) -> {
      FakeServer.write(FakeServer.startSse(x), FakeServer.delta("first"));
      release.await(20, TimeUnit.SECONDS);
    });
    TextGenerator g = backend.text("m");
    TextStream s = g.stream(TextRequest.of("hi"));
    assertThat(s.iterator().next().text()).isEqualTo("first");

    backend.close();

    assertTimeoutPreemptively(BOUND, () -> assertThat(s.result().finishReason()).isEqualTo(FinishReason.CANCELLED));
    assertThatThrownBy(() -> g.generate(TextRequest.of("again"))).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> backend.text("m")).isInstanceOf(ClosedException.class);
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}

package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a non-streamed call reaches the server: the exchange is aborted, so the server sees its connection
 * close (and a real server stops generating), whether the caller cancels the future, interrupts the thread, or the
 * request's own timeout passes. The server here answers slowly, a space at a time, until a write fails.
 */
class CancellationReachesServerTest {
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch connectionClosed = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private FakeServer server;
  private Backend backend;

  @BeforeEach
  void start() throws IOException {
    server = new FakeServer(r -> this::generateForever);
    backend = TestBackends.open(RemoteSettings.from(BackendConfig.builder().set("baseUrl", server.baseUrl())
        .set("maxRetries", 0).build(), Map.of()));
  }

  @AfterEach
  void stop() {
    release.countDown();
    backend.close();
    server.close();
  }

  /** Sends JSON whitespace every 20 ms, as a server still generating would hold the response open. */
  private void generateForever(FakeServer.Request request, HttpExchange x) throws InterruptedException {
    try {
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, 0);
      OutputStream out = x.getResponseBody();
      started.countDown();
      while (!release.await(20, TimeUnit.MILLISECONDS)) {
        out.write(' ');
        out.flush();
      }
    } catch (IOException closedByTheClient) {
      connectionClosed.countDown();
    }
  }

  private boolean serverSawTheClose() throws InterruptedException {
    return connectionClosed.await(10, TimeUnit.SECONDS);
  }

  @Test
  void cancellingGenerateAsyncAbortsTheExchange() throws Exception {
    try (TextGenerator g = backend.text("m")) {
      CompletableFuture<TextResult> future = g.generateAsync(TextRequest.of("hi"));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      future.cancel(true);

      assertThat(serverSawTheClose()).as("the server saw the connection close").isTrue();
      assertThat(future).isCancelled();
    }
  }

  @Test
  void interruptingGenerateAbortsTheExchange() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (TextGenerator g = backend.text("m")) {
      Thread caller = new Thread(() -> {
        try {
          g.generate(TextRequest.of("hi"));
        } catch (RuntimeException e) {
          thrown.set(e);
        }
      });
      caller.start();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      caller.interrupt();

      assertThat(serverSawTheClose()).as("the server saw the connection close").isTrue();
      caller.join(10_000);
      assertThat(thrown.get()).isInstanceOf(GenerationCancelledException.class);
    }
  }

  @Test
  void aRequestsOwnTimeoutAbortsTheExchange() throws Exception {
    try (TextGenerator g = backend.text("m")) {
      // Long enough for the request to reach the server even on a busy machine, where the first call is slow.
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi").withTimeout(Duration.ofSeconds(3))))
          .isInstanceOf(GenerationTimeoutException.class);

      assertThat(started.getCount()).as("the request reached the server").isZero();
      assertThat(serverSawTheClose()).as("the server saw the connection close").isTrue();
    }
  }

  @Test
  void cancellingAnImageRequestAbortsTheExchange() throws Exception {
    try (ImageGenerator g = backend.image("m")) {
      CompletableFuture<ImageResult> future = g.generateAsync(ImageRequest.of("a lighthouse"));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      future.cancel(true);

      assertThat(serverSawTheClose()).as("the server saw the connection close").isTrue();
    }
  }
}

package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.FinishReason;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamingTest {
  @Test
  void closingAStreamAbortsTheExchangeAndTheServerSeesIt() throws Exception {
    CountDownLatch serverSawClose = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger();
    try (FakeServer server = new FakeServer(r -> (req, x) -> {
      x.getResponseHeaders().set("Content-Type", "text/event-stream");
      x.sendResponseHeaders(200, 0);
      OutputStream out = x.getResponseBody();
      try {
        for (int i = 0; i < 2000; i++) {
          out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"}}]}\n\n")
              .getBytes(StandardCharsets.UTF_8));
          out.flush();
          sent.incrementAndGet();
          Thread.sleep(10);
        }
      } catch (IOException brokenPipe) {
        serverSawClose.countDown();
      }
    });
        Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl()).build());
        TextGenerator g = b.text("m")) {
      TextStream s = g.stream(TextRequest.of("go on forever"));
      Iterator<TextChunk> it = s.iterator();
      assertThat(it.next().text()).isEqualTo("w0 ");

      s.close();

      assertThat(serverSawClose.await(10, TimeUnit.SECONDS)).as("server saw the connection close").isTrue();
      assertThat(s.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
      assertThat(sent.get()).isLessThan(2000);
    }
  }

  /**
   * All 200 streams are held open mid-answer at the same moment, each having delivered its first chunk, and the
   * threads are counted then: waiting costs no thread per stream. Then the server finishes them all.
   */
  @Test
  void twoHundredConcurrentStreamsLoseNoChunkAndHoldNoThreadEach() throws Exception {
    int streams = 200;
    int words = 30;
    CountDownLatch go = new CountDownLatch(1);
    try (FakeServer server = new FakeServer(r -> (req, x) -> {
      String id = req.json().at("/messages/0/content").asText();
      OutputStream out = FakeServer.startSse(x);
      FakeServer.write(out, FakeServer.delta(id + ".0 "));
      go.await(60, TimeUnit.SECONDS);
      for (int i = 1; i < words; i++) {
        FakeServer.write(out, FakeServer.delta(id + "." + i + " "));
      }
      FakeServer.write(out, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: [DONE]\n\n");
      out.close();
    });
        Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl()).build());
        TextGenerator g = b.text("m")) {
      int sdkBefore = sdkThreads();
      int clientBefore = clientThreads();
      List<TextStream> open = new ArrayList<>();
      List<Iterator<TextChunk>> readers = new ArrayList<>();
      List<StringBuilder> texts = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        TextStream s = g.stream(TextRequest.of("s" + i).withSampling(SamplingConfig.builder().maxTokens(words)
            .build()));
        open.add(s);
        readers.add(s.iterator());
      }
      for (int i = 0; i < streams; i++) {
        texts.add(new StringBuilder(readers.get(i).next().text()));
      }
      // Every stream is now open and waiting for the server.
      int sdkWaiting = sdkThreads();
      int clientWaiting = clientThreads();
      go.countDown();

      for (int i = 0; i < streams; i++) {
        Iterator<TextChunk> it = readers.get(i);
        while (it.hasNext()) {
          texts.get(i).append(it.next().text());
        }
        StringBuilder expected = new StringBuilder();
        for (int w = 0; w < words; w++) {
          expected.append("s").append(i).append('.').append(w).append(' ');
        }
        try (TextStream s = open.get(i)) {
          assertThat(texts.get(i)).hasToString(expected.toString());
          assertThat(s.result().text()).isEqualTo(expected.toString());
          assertThat(s.result().finishReason()).isEqualTo(FinishReason.STOP);
        }
      }
      // Threads of backends closed by earlier tests may linger until they time out, so count the increase.
      System.out.println("200 concurrent streams, all waiting: SDK threads " + sdkBefore + " -> " + sdkWaiting
          + " (+" + (sdkWaiting - sdkBefore) + "); all client-side JVM threads " + clientBefore + " -> "
          + clientWaiting + " (+" + (clientWaiting - clientBefore) + ")");
      assertThat(sdkWaiting - sdkBefore).isLessThanOrEqualTo(8);
      assertThat(clientWaiting - clientBefore).isLessThanOrEqualTo(10);
    }
  }

  /** The backend's own threads and the JDK HTTP client's. */
  private static int sdkThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("muse4j-http-") || t.getName().startsWith("HttpClient")) {
        n++;
      }
    }
    return n;
  }

  /** Every live thread in the JVM except the fake server's, which stand in for another machine. */
  private static int clientThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.getName().startsWith("fake-server-")) {
        n++;
      }
    }
    return n;
  }
}

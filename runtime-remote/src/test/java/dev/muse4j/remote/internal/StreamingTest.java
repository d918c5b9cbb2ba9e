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

  @Test
  void twoHundredConcurrentStreamsLoseNoChunkAndHoldNoThreadEach() throws Exception {
    int streams = 200;
    int words = 30;
    try (FakeServer server = new FakeServer(r -> (req, x) -> {
      String id = req.json().at("/messages/0/content").asText();
      x.getResponseHeaders().set("Content-Type", "text/event-stream");
      x.sendResponseHeaders(200, 0);
      try (OutputStream out = x.getResponseBody()) {
        for (int i = 0; i < words; i++) {
          out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + id + "." + i + " \"}}]}\n\n")
              .getBytes(StandardCharsets.UTF_8));
          out.flush();
          if (i % 10 == 0) {
            Thread.sleep(5);
          }
        }
        out.write("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
            .getBytes(StandardCharsets.UTF_8));
      }
    });
        Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl()).build());
        TextGenerator g = b.text("m")) {
      int before = sdkThreads();
      List<TextStream> open = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        open.add(g.stream(TextRequest.of("s" + i).withSampling(SamplingConfig.builder().maxTokens(words).build())));
      }
      int peakSdkThreads = 0;
      for (int i = 0; i < streams; i++) {
        peakSdkThreads = Math.max(peakSdkThreads, sdkThreads());
        StringBuilder expected = new StringBuilder();
        for (int w = 0; w < words; w++) {
          expected.append("s").append(i).append('.').append(w).append(' ');
        }
        try (TextStream s = open.get(i)) {
          assertThat(s.result().text()).isEqualTo(expected.toString());
        }
      }
      // Threads of clients closed by earlier tests may linger until they are collected, so count the increase.
      int added = peakSdkThreads - before;
      System.out.println("200 concurrent streams: HTTP threads before " + before + ", peak " + peakSdkThreads
          + " (" + added + " added)");
      assertThat(added).isLessThanOrEqualTo(8);
    }
  }

  private static int sdkThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("muse4j-http-") || t.getName().startsWith("HttpClient")) {
        n++;
      }
    }
    return n;
  }
}

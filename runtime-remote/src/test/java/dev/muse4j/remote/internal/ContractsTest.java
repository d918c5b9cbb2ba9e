package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.muse4j.BackendConfig;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.Muse4j;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.testkit.BackendContract;
import dev.muse4j.testkit.ImageGeneratorContract;
import dev.muse4j.testkit.StyleTransferContract;
import dev.muse4j.testkit.TextGeneratorContract;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The testkit's contracts against the openai backend talking to a deterministic local server: words drawn from the
 * request's seed, streamed as SSE or answered as JSON, and seeded pictures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractsTest {
  private static final String[] WORDS = {"moon", "river", "song", "light", "stone", "wind", "rain", "sea"};
  private final List<dev.muse4j.Backend> backends = new CopyOnWriteArrayList<>();
  private FakeServer server;

  @BeforeAll
  void start() throws IOException {
    server = new FakeServer(r -> r.path.endsWith("/chat/completions") ? ContractsTest::text : ContractsTest::images);
  }

  @AfterAll
  void stop() {
    backends.forEach(dev.muse4j.Backend::close);
    server.close();
  }

  private BackendConfig config() {
    return BackendConfig.builder().set("baseUrl", server.baseUrl()).set("dialect", "vllm").build();
  }

  /** A backend that lives until all contracts ran; the contracts close only the generators they open. */
  private dev.muse4j.Backend backend() {
    dev.muse4j.Backend b = Muse4j.backend("openai", config());
    backends.add(b);
    return b;
  }

  private static void text(FakeServer.Request r, HttpExchange x) throws IOException {
    JsonNode body = r.json();
    int max = body.path("max_tokens").asInt(16);
    SplittableRandom random = new SplittableRandom(body.path("seed").asLong(System.nanoTime())
        ^ body.path("messages").toString().hashCode());
    if (!body.path("stream").asBoolean()) {
      ObjectNode answer = FakeServer.JSON.createObjectNode();
      ArrayNode choices = answer.putArray("choices");
      int n = body.path("n").asInt(1);
      for (int c = 0; c < n; c++) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < max; i++) {
          sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        choices.addObject().put("index", c).put("finish_reason", "length").putObject("message")
            .put("role", "assistant").put("content", sb.toString());
      }
      answer.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", max * n);
      FakeServer.send(x, 200, "application/json", FakeServer.JSON.writeValueAsBytes(answer), Map.of());
      return;
    }
    x.getResponseHeaders().set("Content-Type", "text/event-stream");
    x.sendResponseHeaders(200, 0);
    OutputStream out = x.getResponseBody();
    try {
      for (int i = 0; i < max; i++) {
        String word = (i == 0 ? "" : " ") + WORDS[random.nextInt(WORDS.length)];
        out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"}}]}\n\n")
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (max > 1000) {
          Thread.sleep(2);
        }
      }
      out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
          + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + max + "}}\n\n"
          + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void images(FakeServer.Request r, HttpExchange x) throws IOException {
    int w = 64;
    int h = 64;
    int n = 1;
    long seed = 1;
    if (r.path.endsWith("/generations")) {
      JsonNode body = r.json();
      String[] size = body.path("size").asText("64x64").split("x");
      w = Integer.parseInt(size[0]);
      h = Integer.parseInt(size[1]);
      n = body.path("n").asInt(1);
      seed = body.path("seed").asLong(System.nanoTime()) ^ body.path("prompt").asText().hashCode();
    }
    StringBuilder data = new StringBuilder("{\"data\":[");
    for (int i = 0; i < n; i++) {
      byte[] rgb = new byte[w * h * 3];
      new SplittableRandom(seed + i).nextBytes(rgb);
      data.append(i == 0 ? "" : ",").append("{\"b64_json\":\"")
          .append(Base64.getEncoder().encodeToString(Image.ofRgb(w, h, rgb).toPng())).append("\"}");
    }
    FakeServer.send(x, 200, "application/json", data.append("]}").toString().getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  @Nested
  class Backend extends BackendContract {
    @Override
    protected String backendName() {
      return "openai";
    }

    @Override
    protected BackendConfig config() {
      return ContractsTest.this.config();
    }
  }

  @Nested
  class Text extends TextGeneratorContract {
    @Override
    protected TextGenerator openGenerator() {
      return backend().text("contract-model");
    }
  }

  @Nested
  class Images extends ImageGeneratorContract {
    @Override
    protected ImageGenerator openGenerator() {
      return backend().image("contract-model");
    }
  }

  @Nested
  class Style extends StyleTransferContract {
    @Override
    protected StyleTransfer openStyleTransfer() {
      return backend().style("contract-model");
    }
  }
}

package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server on 127.0.0.1 for the remote backend's tests. Each request goes to a handler that answers it;
 * every request is recorded. Handlers can replay captured traffic from ../shared/fixtures/openai-wire.
 */
final class FakeServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A recorded request. */
  static final class Request {
    final String method;
    final String path;
    final Map<String, List<String>> headers;
    final byte[] body;

    Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** Answers one request. */
  interface Handler {
    void handle(Request request, HttpExchange exchange) throws Exception;
  }

  private final HttpServer server;
  private static final AtomicInteger THREADS = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-server-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private volatile Function<Request, Handler> route;

  FakeServer(Function<Request, Handler> route) throws IOException {
    this.route = route;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(pool);
    server.createContext("/", exchange -> {
      Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
      requests.add(r);
      try {
        this.route.apply(r).handle(r, exchange);
      } catch (IOException e) {
        // The client went away; handlers that care catch this themselves.
      } catch (Exception e) {
        throw new IOException(e);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void route(Function<Request, Handler> route) {
    this.route = route;
  }

  static Handler json(int status, String body) {
    return (r, x) -> send(x, status, "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static Handler json(int status, String body, Map<String, String> headers) {
    return (r, x) -> send(x, status, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  static void send(HttpExchange x, int status, String type, byte[] body, Map<String, String> headers)
      throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  /** Starts a server-sent event stream: status 200, chunked. */
  static OutputStream startSse(HttpExchange x) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream");
    x.sendResponseHeaders(200, 0);
    return x.getResponseBody();
  }

  /** Writes text and flushes it, so the client sees it now. */
  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One chat-completion chunk carrying {@code text}, as a complete event. */
  static String delta(String text) {
    return "data: " + JSON.createObjectNode().set("choices", JSON.createArrayNode().add(JSON.createObjectNode()
        .put("index", 0).set("delta", JSON.createObjectNode().put("content", text)))) + "\n\n";
  }

  /** Replays a captured response: its status line, headers and body. */
  static Handler replay(Path wire, String name) {
    return (r, x) -> {
      List<String> head = Files.readAllLines(wire.resolve(name + ".response.headers"));
      int status = Integer.parseInt(head.get(0).split(" ")[1]);
      byte[] body = Files.readAllBytes(wire.resolve(name + ".response.body"));
      String type = "application/json";
      for (String h : head.subList(1, head.size())) {
        int colon = h.indexOf(':');
        if (colon > 0 && h.substring(0, colon).equalsIgnoreCase("Content-Type")) {
          type = h.substring(colon + 1).trim();
        }
      }
      send(x, status, type, body, Map.of());
    };
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}

package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.Muse4j;
import dev.muse4j.RemoteApiException;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redirects never carry the API key to another origin. The JDK client, left to itself, forwards the
 * {@code Authorization} header to any host a redirect names, so the backend follows redirects itself.
 */
class RedirectTest {
  private static final String OK = "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"content\":"
      + "\"moved\"}}]}";
  private FakeServer server;
  private FakeServer elsewhere;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (elsewhere != null) {
      elsewhere.close();
    }
  }

  private Backend backend() {
    return Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
        .set("apiKey", "sk-redirect-secret").build());
  }

  private static FakeServer.Handler redirect(int status, String location) {
    return (r, x) -> FakeServer.send(x, status, "text/plain", new byte[0], Map.of("Location", location));
  }

  @Test
  void aPermanentRedirectWithinTheServerIsFollowedWithTheBodyAndKey() throws Exception {
    server = new FakeServer(r -> r.path.startsWith("/v1/") ? redirect(308, "/v2/chat/completions")
        : FakeServer.json(200, OK));
    try (Backend b = backend(); TextGenerator g = b.text("m")) {
      assertThat(g.generate(TextRequest.of("hi")).text()).isEqualTo("moved");
    }
    assertThat(server.requests).extracting(r -> r.path).containsExactly("/v1/chat/completions",
        "/v2/chat/completions");
    FakeServer.Request followed = server.requests.stream().skip(1).findFirst().orElseThrow();
    assertThat(followed.method).isEqualTo("POST");
    assertThat(followed.json().path("messages").get(0).path("content").asText()).isEqualTo("hi");
    assertThat(followed.header("Authorization")).isEqualTo("Bearer sk-redirect-secret");
  }

  @Test
  void aRedirectToAnotherOriginIsRefusedAndTheKeyStaysHome() throws Exception {
    elsewhere = new FakeServer(r -> FakeServer.json(200, OK));
    String target = elsewhere.baseUrl() + "/chat/completions";
    server = new FakeServer(r -> redirect(307, target));
    try (Backend b = backend(); TextGenerator g = b.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi")))
          .isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("redirected (HTTP 307) to " + target)
          .hasMessageContaining("another origin")
          .hasMessageContaining("Set baseUrl")
          .hasMessageNotContaining("sk-redirect-secret")
          .satisfies(e -> assertThat(((RemoteApiException) e).retryable()).isFalse());
    }
    assertThat(elsewhere.requests).isEmpty();
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aRedirectThatWouldTurnAPostIntoAGetIsRefused() throws Exception {
    server = new FakeServer(r -> redirect(302, "/v1/elsewhere"));
    try (Backend b = backend(); TextGenerator g = b.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).hasMessageContaining("HTTP 302 would turn the POST "
          + "into a GET");
    }
  }

  @Test
  void aRedirectLoopStopsAfterFiveHops() throws Exception {
    server = new FakeServer(r -> redirect(307, r.path + "x"));
    try (Backend b = backend(); TextGenerator g = b.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).hasMessageContaining("at most 5 are followed");
    }
    assertThat(server.requests).hasSize(6);
  }

  @Test
  void anImageUrlMayRedirectAnywhereBecauseItsDownloadCarriesNoKey() throws Exception {
    byte[] png = Image.ofRgb(2, 2, new byte[12]).toPng();
    elsewhere = new FakeServer(r -> (req, x) -> FakeServer.send(x, 200, "image/png", png, Map.of()));
    String cdn = elsewhere.baseUrl().replace("/v1", "/cdn/img.png");
    server = new FakeServer(r -> r.path.startsWith("/files") ? redirect(302, cdn)
        : FakeServer.json(200, "{\"data\":[{\"url\":\"" + server.baseUrl().replace("/v1", "/files/img.png")
            + "\"}]}"));
    try (Backend b = backend(); ImageGenerator g = b.image("m")) {
      assertThat(g.generate(ImageRequest.of("x")).image().width()).isEqualTo(2);
    }
    assertThat(server.requests).extracting(r -> r.path).containsExactly("/v1/images/generations", "/files/img.png");
    assertThat(server.requests.stream().skip(1).findFirst().orElseThrow().header("Authorization")).isNull();
    assertThat(elsewhere.requests).singleElement().satisfies(r -> assertThat(r.header("Authorization")).isNull());
  }
}

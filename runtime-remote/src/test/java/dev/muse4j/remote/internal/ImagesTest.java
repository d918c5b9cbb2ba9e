package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4j;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What picture requests send, by server kind: OpenAI rejects fields it does not document, vLLM-Omni and generic
 * servers take the diffusion options, and gpt-image models reject {@code response_format}.
 */
class ImagesTest {
  private static final Image PICTURE = Image.ofRgb(4, 4, new byte[48]);
  private FakeServer server;

  @BeforeEach
  void start() throws Exception {
    String answer = "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(PICTURE.toPng()) + "\"}]}";
    server = new FakeServer(r -> FakeServer.json(200, answer));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Backend backend(String dialect) {
    return Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
        .set("dialect", dialect).build());
  }

  private static ImageRequest.Builder everyOption() {
    return ImageRequest.builder("a lighthouse").negativePrompt("blur").size(512, 384).steps(4).guidanceScale(1.5)
        .scheduler("euler").seed(7).count(2);
  }

  @Test
  void openAiGetsOnlyTheFieldsItDocuments() {
    try (Backend b = backend("openai"); ImageGenerator g = b.image("dall-e-3")) {
      g.generate(everyOption().build());
    }
    JsonNode body = server.requests.peek().json();
    assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("model", "prompt", "n", "size",
        "response_format");
    assertThat(body.path("size").asText()).isEqualTo("512x384");
    assertThat(body.path("n").asInt()).isEqualTo(2);
    assertThat(body.path("response_format").asText()).isEqualTo("b64_json");
  }

  @Test
  void gptImageModelsAreNotAskedForAResponseFormatTheyReject() {
    try (Backend b = backend("openai"); ImageGenerator g = b.image("gpt-image-1");
        StyleTransfer s = b.style("gpt-image-1")) {
      g.generate(ImageRequest.of("a lighthouse"));
      s.transfer(StyleRequest.builder(PICTURE).stylePrompt("woodcut").build());
    }
    assertThat(server.requests.poll().json().has("response_format")).isFalse();
    assertThat(new String(server.requests.poll().body, StandardCharsets.ISO_8859_1))
        .doesNotContain("response_format").contains("name=\"prompt\"\r\n\r\nwoodcut\r\n");
  }

  @Test
  void vllmAndGenericServersGetTheDiffusionOptionsAsNumbers() {
    for (String dialect : new String[] {"vllm", "generic"}) {
      try (Backend b = backend(dialect); ImageGenerator g = b.image("Qwen/Qwen-Image")) {
        g.generate(everyOption().build());
      }
      JsonNode body = server.requests.poll().json();
      assertThat(body.path("negative_prompt").asText()).isEqualTo("blur");
      assertThat(body.path("num_inference_steps").isInt()).isTrue();
      assertThat(body.path("num_inference_steps").asInt()).isEqualTo(4);
      assertThat(body.path("guidance_scale").asDouble()).isEqualTo(1.5);
      assertThat(body.path("seed").isIntegralNumber()).isTrue();
      assertThat(body.path("seed").asLong()).isEqualTo(7);
      assertThat(body.has("scheduler")).as("no server takes a scheduler").isFalse();
    }
  }

  @Test
  void anInitialImageGoesToTheEditsEndpoint() {
    try (Backend b = backend("vllm"); ImageGenerator g = b.image("Qwen/Qwen-Image-Edit")) {
      ImageResult r = g.generate(ImageRequest.builder("make it winter").initImage(PICTURE, 0.6).seed(3).build());
      assertThat(r.image()).isEqualTo(PICTURE);
    }
    FakeServer.Request request = server.requests.peek();
    String form = new String(request.body, StandardCharsets.ISO_8859_1);
    assertThat(request.path).isEqualTo("/v1/images/edits");
    assertThat(request.header("Content-Type")).startsWith("multipart/form-data; boundary=muse4j-");
    assertThat(form).contains("name=\"prompt\"\r\n\r\nmake it winter\r\n")
        .contains("name=\"strength\"\r\n\r\n0.6\r\n").contains("name=\"seed\"\r\n\r\n3\r\n")
        .contains("name=\"image\"; filename=\"init.png\"").contains("name=\"response_format\"\r\n\r\nb64_json");
  }

  @Test
  void strengthZeroKeepsThePictureWithoutAskingTheServer() {
    Image content = Image.ofRgb(2, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    try (Backend b = backend("openai"); ImageGenerator g = b.image("gpt-image-1");
        StyleTransfer s = b.style("gpt-image-1")) {
      assertThat(s.transfer(StyleRequest.builder(content).strength(0.0).build()).image()).isEqualTo(content);
      assertThat(g.generate(ImageRequest.builder("x").initImage(content, 0.0).count(2).build()).images())
          .containsExactly(content, content);
    }
    assertThat(server.requests).isEmpty();
  }
}

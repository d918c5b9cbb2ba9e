package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.RemoteApiException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Turns an error response into a {@link RemoteApiException}: OpenAI's {@code {"error":{message,type,param,code}}}
 * (code a string or a number, as llama-server sends), the flat {@code {"object":"error",...}} of vLLM, or any other
 * body (an HTML proxy page) shown by its first bytes. Stateless.
 */
final class ErrorBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorBodies() {}

  static RemoteApiException.Builder parse(int status, byte[] body, @Nullable String requestId, String what) {
    JsonNode error = null;
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.isObject()) {
        error = root.path("error").isObject() ? root.path("error")
            : root.path("error").isTextual() ? JSON.createObjectNode().put("message", root.path("error").asText())
            : root.has("message") ? root : null;
      }
    } catch (java.io.IOException notJson) {
      error = null;
    }
    String message;
    String type = null;
    String code = null;
    String param = null;
    if (error != null) {
      message = error.path("message").asText("(no message)");
      type = text(error.path("type"));
      code = text(error.path("code"));
      param = text(error.path("param"));
    } else {
      String start = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ")
          .trim();
      message = "the response was not a JSON error (" + body.length + " bytes" + (start.isEmpty() ? ""
          : ", starting: " + start) + ")";
    }
    return RemoteApiException.builder(what + " failed with HTTP " + status + ": " + message
        + (requestId != null ? " (request id " + requestId + ")" : "") + hint(status))
        .status(status).type(type).code(code).param(param).requestId(requestId);
  }

  private static String hint(int status) {
    switch (status) {
      case 401: return ". Check the apiKey setting or OPENAI_API_KEY.";
      case 403: return ". The key lacks access to this model or endpoint.";
      case 404: return ". Check baseUrl (it usually ends in /v1) and the model id; the server may not offer this "
          + "endpoint.";
      case 429: return ". The server is rate limiting; retries back off, or lower the request rate.";
      default: return status >= 500 ? ". The server had a problem; it may succeed later." : "";
    }
  }

  private static @Nullable String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}

package dev.muse4j.remote.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.RemoteApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns an error response into a {@link RemoteApiException}. Understands OpenAI's
 * {@code {"error":{message,type,param,code}}} (code a string or a number, as llama-server sends), the flat
 * {@code {"object":"error",message,type,param,code}} of vLLM, {@code {"error":"...","error_type":"..."}} of
 * Hugging Face TGI and {@code {"detail":...}} of FastAPI servers; any other body (an HTML proxy page) is shown by its
 * first bytes. Whatever the server wrote is passed through {@link RemoteSettings#redact(String)}, so a server that
 * echoes the API key cannot put it into a message. Stateless.
 */
final class ErrorBodies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SHOWN_BYTES = 200;

  private ErrorBodies() {}

  static RemoteApiException.Builder parse(int status, byte[] body, @Nullable String requestId, String what,
      RemoteSettings settings) {
    JsonNode root = null;
    try {
      root = JSON.readTree(body);
    } catch (IOException notJson) {
      root = null;
    }
    String message = null;
    String type = null;
    String code = null;
    String param = null;
    if (root != null && root.isObject()) {
      JsonNode error = root.path("error");
      JsonNode fields = error.isObject() ? error : root;
      if (error.isTextual()) {
        message = error.asText();
        type = text(root.path("error_type"));
      } else if (fields.path("message").isTextual()) {
        message = fields.path("message").asText();
      } else if (error.isObject()) {
        message = error.toString();
      } else if (root.has("detail")) {
        message = root.path("detail").isTextual() ? root.path("detail").asText() : root.path("detail").toString();
      }
      if (message != null) {
        type = type != null ? type : text(fields.path("type"));
        code = text(fields.path("code"));
        param = text(fields.path("param"));
      }
    }
    if (message == null) {
      message = "the response was not a JSON error (" + body.length + " bytes" + firstBytes(body) + ")";
    }
    return RemoteApiException.builder(settings.redact(what + " failed with HTTP " + status + ": " + message
        + (requestId != null ? " (request id " + requestId + ")" : "") + hint(status)))
        .status(status).type(type).code(code).param(param).requestId(requestId);
  }

  /** The start of a body for a message, on one line, or nothing for an empty body. */
  static String firstBytes(byte[] body) {
    String start = new String(body, 0, Math.min(body.length, SHOWN_BYTES), StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ").trim();
    return start.isEmpty() ? "" : ", starting: " + start + (body.length > SHOWN_BYTES ? "..." : "");
  }

  /** Why a body did not parse, in Jackson's words without its location dump. */
  static String reason(IOException e) {
    return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
        : String.valueOf(e.getMessage());
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

  /**
   * A text request's error as the caller should see it: a server's "the prompt does not fit the context" becomes the
   * {@link InvalidRequestException} the local backend raises for the same mistake, with the server's answer (status,
   * type, code, message) kept as its cause. Anything else is returned unchanged.
   */
  static RuntimeException forText(RemoteApiException error) {
    if (!contextOverflow(error)) {
      return error;
    }
    InvalidRequestException mapped = new InvalidRequestException("prompt", "The prompt does not fit the model's "
        + "context window on the server; shorten the prompt or lower maxTokens. The server's answer (its "
        + "RemoteApiException is the cause): " + error.getMessage(), error);
    return mapped;
  }

  /**
   * Whether an error is a context overflow: llama-server's {@code exceed_context_size_error}, OpenAI's
   * {@code context_length_exceeded}, or vLLM's 400 "maximum context length" (or "maximum model length") message.
   */
  static boolean contextOverflow(RemoteApiException error) {
    int status = error.status().orElse(0);
    if (status / 100 != 4) {
      return false;
    }
    String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    return error.code().filter("context_length_exceeded"::equals).isPresent()
        || error.type().filter("exceed_context_size_error"::equals).isPresent()
        || message.contains("maximum context length") || message.contains("maximum model length")
        || message.contains("exceeds the available context size");
  }

  static @Nullable String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
  }
}

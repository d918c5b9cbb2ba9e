package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes text requests as OpenAI JSON bodies in the configured dialect: the token-limit field and the non-standard
 * sampling fields as the server kind spells them, or dropped (with one WARN per field) where the server has none;
 * then the caller's raw extras on top. Thread-safe.
 */
final class RequestBodies {
  private final ObjectMapper json;
  private final Dialect dialect;
  private final DroppedFields dropped;

  RequestBodies(ObjectMapper json, Dialect dialect, DroppedFields dropped) {
    this.json = json;
    this.dialect = dialect;
    this.dropped = dropped;
  }

  ObjectNode text(String model, TextRequest request, SamplingConfig sampling, boolean legacyCompletions,
      boolean stream) {
    ObjectNode body = json.createObjectNode();
    body.put("model", model);
    if (legacyCompletions) {
      if (request.isChat()) {
        throw new InvalidRequestException("messages", "This backend is configured for the legacy /completions "
            + "endpoint (textEndpoint=completions), which takes a plain prompt, not chat messages. Use "
            + "textEndpoint=chat, or send TextRequest.of(prompt).");
      }
      body.put("prompt", request.prompt().orElseThrow());
    } else {
      ArrayNode messages = body.putArray("messages");
      if (request.isChat()) {
        for (ChatMessage m : request.messages()) {
          messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
      } else {
        messages.addObject().put("role", "user").put("content", request.prompt().orElseThrow());
      }
    }
    if (request.count() > 1) {
      body.put("n", request.count());
    }
    sampling.temperature().ifPresent(t -> body.put("temperature", t));
    sampling.topP().ifPresent(p -> body.put("top_p", p));
    sampling.presencePenalty().ifPresent(p -> body.put("presence_penalty", p));
    sampling.frequencyPenalty().ifPresent(p -> body.put("frequency_penalty", p));
    sampling.seed().ifPresent(s -> body.put("seed", s));
    sampling.stop().filter(s -> !s.isEmpty()).ifPresent(s -> s.forEach(body.withArray("stop")::add));
    sampling.maxTokens().ifPresent(m -> body.put(legacyCompletions ? "max_tokens" : dialect.maxTokensField, m));
    sampling.topK().ifPresent(k -> optional(body, dialect.topKField, "SamplingConfig.topK", k));
    sampling.minP().ifPresent(p -> optional(body, dialect.minPField, "SamplingConfig.minP", p));
    sampling.repetitionPenalty().ifPresent(p -> optional(body, dialect.repetitionPenaltyField,
        "SamplingConfig.repetitionPenalty", p));
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    for (Map.Entry<String, Object> e : sampling.extras().entrySet()) {
      body.set(e.getKey(), json.valueToTree(e.getValue()));
    }
    return body;
  }

  private void optional(ObjectNode body, @Nullable String field, String option, Number value) {
    if (field == null) {
      dropped.drop(option, "the " + dialect.settingName + " dialect has no field for it. Put it in SamplingConfig "
          + "extras if your server takes it under some name, or set the dialect of your server.");
    } else if (value instanceof Integer) {
      body.put(field, value.intValue());
    } else {
      body.put(field, value.doubleValue());
    }
  }
}

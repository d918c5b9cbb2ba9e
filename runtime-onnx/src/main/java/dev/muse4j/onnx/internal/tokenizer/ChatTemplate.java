package dev.muse4j.onnx.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Renders chat messages into a prompt with the model's Jinja {@code chat_template} (Hugging Face conventions:
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, {@code raise_exception}).
 * Immutable and thread-safe: each render uses its own interpreter. Holds no resources.
 *
 * @since 0.1.0
 */
public final class ChatTemplate {
  private static final Jinjava JINJAVA = createJinjava();

  private final String source;
  private final String bosToken;
  private final String eosToken;

  private ChatTemplate(String source, String bosToken, String eosToken) {
    this.source = source;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
  }

  private static Jinjava createJinjava() {
    // Hugging Face renders chat templates with trim_blocks and lstrip_blocks on; templates are written for that
    // (a newline after {% endif %} is layout, not output).
    Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
        .withFailOnUnknownTokens(false).build());
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
        ChatTemplate.class, "raiseException", String.class));
    return jinjava;
  }

  /**
   * Called by templates as {@code raise_exception('...')}.
   *
   * @param message the template's message
   * @return never
   * @throws InvalidRequestException always, with the template's message
   */
  public static String raiseException(String message) {
    throw new InvalidRequestException("messages", "The model's chat template rejected the messages: " + message);
  }

  /**
   * The template to use: the caller's, else the one in {@code tokenizer_config.json} (a string, or a list of named
   * templates of which {@code default} is taken).
   *
   * @param override the template from {@code ModelOptions.chatTemplate()}, or null
   * @param tokenizerConfig the model's {@code tokenizer_config.json}, or a missing node
   * @return the template, or empty when there is none
   */
  public static Optional<ChatTemplate> find(@Nullable String override, JsonNode tokenizerConfig) {
    String source = override;
    if (source == null) {
      JsonNode t = tokenizerConfig.path("chat_template");
      if (t.isTextual()) {
        source = t.asText();
      } else if (t.isArray()) {
        for (JsonNode named : t) {
          if (named.path("name").asText().equals("default")) {
            source = named.path("template").asText();
          }
        }
      }
    }
    if (source == null || source.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new ChatTemplate(source, token(tokenizerConfig.path("bos_token")),
        token(tokenizerConfig.path("eos_token"))));
  }

  private static String token(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    return node.path("content").asText("");
  }

  /**
   * Renders messages into a prompt that ends where the assistant's reply begins.
   *
   * @param messages the conversation
   * @return the prompt text, special tokens written out as the template writes them
   * @throws InvalidRequestException if the template rejects the messages or cannot be rendered
   */
  public String render(List<ChatMessage> messages) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ChatMessage m : messages) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("role", m.role().wireName());
      map.put("content", m.content());
      list.add(map);
    }
    Map<String, Object> context = new HashMap<>();
    context.put("messages", list);
    context.put("add_generation_prompt", true);
    context.put("bos_token", bosToken);
    context.put("eos_token", eosToken);
    RenderResult result;
    try {
      result = JINJAVA.renderForResult(source, context);
    } catch (InvalidRequestException e) {
      throw e;
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause != cause.getCause()) {
        cause = cause.getCause();
        if (cause instanceof InvalidRequestException) {
          throw (InvalidRequestException) cause;
        }
      }
      throw new InvalidRequestException("messages", "The chat template could not be rendered: " + e.getMessage());
    }
    for (TemplateError error : result.getErrors()) {
      if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
        Throwable ex = error.getException();
        while (ex != null) {
          if (ex instanceof InvalidRequestException) {
            throw (InvalidRequestException) ex;
          }
          ex = ex.getCause() == ex ? null : ex.getCause();
        }
        throw new InvalidRequestException("messages", "The chat template could not be rendered: "
            + error.getMessage());
      }
    }
    return result.getOutput();
  }
}

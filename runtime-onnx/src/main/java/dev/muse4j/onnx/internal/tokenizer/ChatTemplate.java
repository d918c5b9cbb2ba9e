package dev.muse4j.onnx.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.template.Template;
import dev.muse4j.onnx.internal.template.TemplateRenderException;
import dev.muse4j.onnx.internal.template.TemplateSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Renders chat messages into a prompt with the model's Jinja chat template, exactly as Hugging Face transformers
 * renders it ({@code apply_chat_template}: {@code messages}, {@code add_generation_prompt}, the special tokens,
 * {@code tools} and {@code documents} as None, {@code raise_exception} and {@code strftime_now}). The template is
 * parsed when the model loads. Immutable and thread-safe. Holds no resources.
 *
 * <p>Where the template comes from, first found wins:
 * <ol>
 *   <li>the caller's template ({@code ModelOptions.withChatTemplate});</li>
 *   <li>with a template name ({@code ModelOptions.withChatTemplateName}) other than {@code default}: that entry of
 *       the {@code chat_template} list in {@code tokenizer_config.json}, or
 *       {@code additional_chat_templates/<name>.jinja};</li>
 *   <li>{@code chat_template.jinja} in the model directory (as newer transformers save it);</li>
 *   <li>{@code chat_template} in {@code tokenizer_config.json}: a string, or the {@code default} entry of a list of
 *       named templates.</li>
 * </ol>
 * A GenAI package keeps the same files beside {@code genai_config.json}, so the same order applies.
 *
 * @since 0.1.0
 */
public final class ChatTemplate {
  private static final String[] SPECIAL_TOKENS = {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
      "cls_token", "mask_token"};

  private final Template template;
  private final String origin;
  private final Map<String, Object> specialTokens;
  private final Clock clock;

  private ChatTemplate(Template template, String origin, Map<String, Object> specialTokens, Clock clock) {
    this.template = template;
    this.origin = origin;
    this.specialTokens = specialTokens;
    this.clock = clock;
  }

  /**
   * The caller's template, else the model's: see the class description for the order.
   *
   * @param model the model's name, for errors
   * @param override the template from {@code ModelOptions.chatTemplate()}, or null
   * @param name the template name from {@code ModelOptions.chatTemplateName()}, or null for the default
   * @param directory the model directory, or null when there are no files beside the config
   * @param tokenizerConfig the model's {@code tokenizer_config.json}, or a missing node
   * @return the template, or empty when there is none
   * @throws ModelLoadException if the template does not parse (naming the file and line), if a named template is
   *     not there, or if a template file cannot be read
   */
  public static Optional<ChatTemplate> find(String model, @Nullable String override, @Nullable String name,
      @Nullable Path directory, JsonNode tokenizerConfig) {
    String source = null;
    String origin = null;
    JsonNode configured = tokenizerConfig.path("chat_template");
    if (override != null) {
      source = override;
      origin = "the chat template given in ModelOptions";
    } else if (name != null && !name.equals("default")) {
      for (JsonNode named : configured.isArray() ? configured : List.<JsonNode>of()) {
        if (named.path("name").asText().equals(name)) {
          source = named.path("template").asText();
          origin = file(directory, "tokenizer_config.json") + " (chat_template '" + name + "')";
        }
      }
      Path extra = directory == null ? null : directory.resolve("additional_chat_templates").resolve(name + ".jinja");
      if (source == null && extra != null && Files.isRegularFile(extra)) {
        source = read(model, extra);
        origin = extra.toString();
      }
      if (source == null) {
        throw new ModelLoadException(model, "The model has no chat template named '" + name + "'. Templates "
            + "available: " + names(directory, configured) + ". Choose one with "
            + "ModelOptions.withChatTemplateName(...).");
      }
    } else if (directory != null && Files.isRegularFile(directory.resolve("chat_template.jinja"))) {
      source = read(model, directory.resolve("chat_template.jinja"));
      origin = directory.resolve("chat_template.jinja").toString();
    } else if (configured.isTextual()) {
      source = configured.asText();
      origin = file(directory, "tokenizer_config.json") + " (chat_template)";
    } else if (configured.isArray()) {
      for (JsonNode named : configured) {
        if (named.path("name").asText().equals("default")) {
          source = named.path("template").asText();
          origin = file(directory, "tokenizer_config.json") + " (chat_template 'default')";
        }
      }
      if (source == null) {
        throw new ModelLoadException(model, "tokenizer_config.json lists chat templates but none is named "
            + "'default'. Templates available: " + names(directory, configured) + ". Choose one with "
            + "ModelOptions.withChatTemplateName(...).");
      }
    }
    if (source == null || origin == null || source.isBlank()) {
      return Optional.empty();
    }
    Template parsed;
    try {
      parsed = Template.parse(source);
    } catch (TemplateSyntaxException e) {
      throw new ModelLoadException(model, "The chat template in " + origin + " has a syntax error at line "
          + e.line() + ", column " + e.column() + ": " + e.reason(), e);
    }
    Map<String, Object> tokens = new LinkedHashMap<>();
    for (String key : SPECIAL_TOKENS) {
      JsonNode node = tokenizerConfig.path(key);
      String token = token(node);
      if (token != null) {
        tokens.put(key, token);
      }
    }
    JsonNode additional = tokenizerConfig.path("additional_special_tokens");
    if (additional.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode n : additional) {
        String token = token(n);
        if (token != null) {
          list.add(token);
        }
      }
      tokens.put("additional_special_tokens", list);
    }
    return Optional.of(new ChatTemplate(parsed, origin, tokens, Clock.systemDefaultZone()));
  }

  /**
   * The template from {@code tokenizer_config.json} alone, or the caller's (for tests and callers without files).
   *
   * @param override the caller's template, or null
   * @param tokenizerConfig the model's {@code tokenizer_config.json}, or a missing node
   * @return the template, or empty when there is none
   */
  public static Optional<ChatTemplate> find(@Nullable String override, JsonNode tokenizerConfig) {
    return find("model", override, null, null, tokenizerConfig);
  }

  private static String file(@Nullable Path directory, String name) {
    return directory == null ? name : directory.resolve(name).toString();
  }

  private static String read(String model, Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelLoadException(model, "Could not read the chat template " + file + ": " + e.getMessage(), e);
    }
  }

  private static String names(@Nullable Path directory, JsonNode configured) {
    TreeSet<String> names = new TreeSet<>();
    if (configured.isArray()) {
      configured.forEach(n -> names.add(n.path("name").asText()));
    } else if (configured.isTextual()) {
      names.add("default");
    }
    if (directory != null && Files.isRegularFile(directory.resolve("chat_template.jinja"))) {
      names.add("default");
    }
    Path extra = directory == null ? null : directory.resolve("additional_chat_templates");
    if (extra != null && Files.isDirectory(extra)) {
      try (Stream<Path> files = Files.list(extra)) {
        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jinja"))
            .forEach(f -> names.add(f.substring(0, f.length() - ".jinja".length())));
      } catch (IOException e) {
        // the listing is only for the message
      }
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** A special token: a string, or an AddedToken object whose "content" is the text; null when absent. */
  private static @Nullable String token(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isObject() && node.path("content").isTextual()) {
      return node.path("content").asText();
    }
    return null;
  }

  /**
   * This template, with {@code strftime_now} reading the given clock (tests fix the date).
   *
   * @param clock the clock, in the zone whose local time the template sees
   * @return a copy
   */
  public ChatTemplate withClock(Clock clock) {
    return new ChatTemplate(template, origin, specialTokens, clock);
  }

  /**
   * Where the template came from, for messages: a file, or the options.
   *
   * @return the origin
   */
  public String origin() {
    return origin;
  }

  /**
   * Renders messages into a prompt that ends where the assistant's reply begins.
   *
   * @param messages the conversation
   * @return the prompt text, special tokens written out as the template writes them
   * @throws InvalidRequestException if the template rejects the messages ({@code raise_exception}, with its
   *     message) or fails while rendering
   */
  public String render(List<ChatMessage> messages) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ChatMessage m : messages) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("role", m.role().wireName());
      map.put("content", m.content());
      list.add(map);
    }
    Map<String, @Nullable Object> context = new LinkedHashMap<>(specialTokens);
    context.put("messages", list);
    context.put("tools", null);
    context.put("documents", null);
    context.put("add_generation_prompt", true);
    try {
      return template.render(context, clock);
    } catch (TemplateRenderException e) {
      if (e.raisedByTemplate()) {
        throw new InvalidRequestException("messages", "The model's chat template rejected the messages: "
            + e.reason());
      }
      throw new InvalidRequestException("messages", "The chat template (" + origin + ") failed at line " + e.line()
          + ": " + e.reason());
    }
  }
}

package dev.muse4j.onnx.internal.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.onnx.internal.JsonErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A model directory on disk, recognised as one of the layouts the onnx backend loads:
 * <ul>
 *   <li>a Hugging Face Optimum / onnx-community decoder export: {@code model.onnx}, {@code onnx/model*.onnx} or the
 *       legacy {@code decoder_model_merged.onnx}, with {@code config.json} and {@code generation_config.json};</li>
 *   <li>an ONNX Runtime GenAI package: {@code genai_config.json} naming the decoder file and its inputs and
 *       outputs.</li>
 * </ul>
 * Immutable.
 */
final class ModelDirectory {
  enum Format { OPTIMUM, GENAI }

  static final List<String> OPTIMUM_FILES = List.of("model.onnx", "decoder_model_merged.onnx", "onnx/model.onnx",
      "onnx/decoder_model_merged.onnx");

  final String name;
  final Path dir;
  final Format format;
  final Path modelFile;
  /** config.json, or the "model" object of genai_config.json. */
  final JsonNode config;
  final JsonNode generationConfig;
  final JsonNode tokenizerConfig;

  private ModelDirectory(String name, Path dir, Format format, Path modelFile, JsonNode config,
      JsonNode generationConfig, JsonNode tokenizerConfig) {
    this.name = name;
    this.dir = dir;
    this.format = format;
    this.modelFile = modelFile;
    this.config = config;
    this.generationConfig = generationConfig;
    this.tokenizerConfig = tokenizerConfig;
  }

  static ModelDirectory inspect(String name, Path dir, @Nullable String modelFileSetting, ObjectMapper json) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(name, "The onnx backend loads a model directory, but '" + name + "' "
          + (Files.exists(dir) ? "is a file; pass the directory that holds it." : "does not exist.")
          + " See docs/models.md for the layouts it reads and how to get one; the small embedded poet loads as "
          + "classpath:dev/muse4j/models/poet from the artifact dev.muse4j:muse4j-model-poet.");
    }
    JsonNode tokenizerConfig = readOptional(dir.resolve("tokenizer_config.json"), name, json);
    Path genai = dir.resolve("genai_config.json");
    if (Files.isRegularFile(genai)) {
      JsonNode root = read(genai, name, json);
      JsonNode model = root.path("model");
      String file = model.path("decoder").path("filename").asText("");
      if (file.isEmpty()) {
        throw new ModelLoadException(name, "genai_config.json has no model.decoder.filename; it must name the "
            + "decoder's .onnx file.");
      }
      Path modelFile = dir.resolve(modelFileSetting != null ? modelFileSetting : file);
      if (!Files.isRegularFile(modelFile)) {
        throw new ModelLoadException(name, "genai_config.json names the decoder " + file + ", but " + modelFile
            + " does not exist. Files found: " + listing(dir) + ".");
      }
      // "search" sits beside "model" at the top of genai_config.json: the sampling defaults and max_length.
      return new ModelDirectory(name, dir, Format.GENAI, modelFile, model, root.path("search"), tokenizerConfig);
    }
    Path modelFile = null;
    if (modelFileSetting != null) {
      modelFile = dir.resolve(modelFileSetting);
      if (!Files.isRegularFile(modelFile)) {
        throw new ModelLoadException(name, "The modelFile setting names " + modelFileSetting + ", which is not in "
            + dir + ". Files found: " + listing(dir) + ".");
      }
    } else {
      for (String candidate : OPTIMUM_FILES) {
        if (Files.isRegularFile(dir.resolve(candidate))) {
          modelFile = dir.resolve(candidate);
          break;
        }
      }
      if (modelFile == null && Files.isDirectory(dir.resolve("onnx"))) {
        try (Stream<Path> files = Files.list(dir.resolve("onnx"))) {
          modelFile = files.filter(f -> f.getFileName().toString().matches("model.*\\.onnx")).sorted().findFirst()
              .orElse(null);
        } catch (IOException e) {
          throw new ModelLoadException(name, "Could not list " + dir.resolve("onnx") + ": " + e.getMessage(), e);
        }
      }
    }
    if (modelFile == null) {
      throw new ModelLoadException(name, "'" + name + "' is not a model directory the onnx backend recognises. "
          + "Files found: " + listing(dir) + ". Expected either a Hugging Face Optimum decoder export (one of "
          + String.join(", ", OPTIMUM_FILES) + " or onnx/model*.onnx, with config.json, generation_config.json and "
          + "tokenizer.json) or an ONNX Runtime GenAI package (genai_config.json). See docs/models.md.");
    }
    JsonNode config = readOptional(dir.resolve("config.json"), name, json);
    JsonNode generation = readOptional(dir.resolve("generation_config.json"), name, json);
    return new ModelDirectory(name, dir, Format.OPTIMUM, modelFile, config, generation, tokenizerConfig);
  }

  private static JsonNode read(Path file, String name, ObjectMapper json) {
    try {
      return json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(name, file.getFileName() + " in " + file.getParent() + " is not valid JSON: "
          + JsonErrors.describe(e) + ". Fix the file, or download it again.", e);
    }
  }

  private static JsonNode readOptional(Path file, String name, ObjectMapper json) {
    return Files.isRegularFile(file) ? read(file, name, json) : MissingNode.getInstance();
  }

  /** The most entries a listing in a message names; the rest are counted. */
  static final int LISTING_LIMIT = 20;

  /** Up to {@value #LISTING_LIMIT} files of {@code dir} (two levels deep), for messages; the rest are counted. */
  static String listing(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      List<String> names = files.filter(f -> !f.equals(dir)).limit(10_000).map(f -> dir.relativize(f).toString())
          .sorted().collect(Collectors.toList());
      if (names.isEmpty()) {
        return "none";
      }
      if (names.size() <= LISTING_LIMIT) {
        return String.join(", ", names);
      }
      return String.join(", ", names.subList(0, LISTING_LIMIT)) + " and " + (names.size() - LISTING_LIMIT)
          + (names.size() == 10_000 ? " or more" : "") + " more";
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(could not list: " + e.getMessage() + ")";
    }
  }

  Path tokenizerFile() {
    return dir.resolve("tokenizer.json");
  }

  /** The first of these integer fields that the config has. */
  int configInt(int fallback, String... fields) {
    for (String f : fields) {
      JsonNode n = config.path(f);
      if (n.isInt() || n.isLong()) {
        return n.asInt();
      }
    }
    JsonNode decoder = config.path("decoder");
    for (String f : fields) {
      JsonNode n = decoder.path(f);
      if (n.isInt() || n.isLong()) {
        return n.asInt();
      }
    }
    return fallback;
  }

  /**
   * The most tokens, prompt and reply together, the model takes: its context window, or for a GenAI package the
   * smaller of that and {@code search.max_length} (GenAI's own cap on the whole sequence). {@link Integer#MAX_VALUE}
   * when the configs do not say.
   */
  int contextLength() {
    int window = configInt(Integer.MAX_VALUE, "context_length", "n_positions", "max_position_embeddings", "n_ctx");
    JsonNode maxLength = generationConfig.path("max_length");
    if (format == Format.GENAI && maxLength.isIntegralNumber() && maxLength.asInt() > 0) {
      return Math.min(window, maxLength.asInt());
    }
    return window;
  }

  /** The file and key that declare the context window, for messages: {@code config.json's n_positions}. */
  String contextWindowKey() {
    String file = format == Format.GENAI ? "genai_config.json" : "config.json";
    for (String f : List.of("context_length", "n_positions", "max_position_embeddings", "n_ctx")) {
      if (config.path(f).isIntegralNumber() || config.path("decoder").path(f).isIntegralNumber()) {
        return f + " in " + file;
      }
    }
    return "no key in " + file;
  }

  /** Where {@link #contextLength()} comes from, for messages. */
  String contextLengthSource() {
    JsonNode maxLength = generationConfig.path("max_length");
    int window = configInt(Integer.MAX_VALUE, "context_length", "n_positions", "max_position_embeddings", "n_ctx");
    if (format == Format.GENAI && maxLength.isIntegralNumber() && maxLength.asInt() > 0
        && maxLength.asInt() < window) {
      return "length limit (search.max_length in genai_config.json)";
    }
    return "context window";
  }

  /** Every end-of-sequence id the model's configs name; an id may be a number or a list of numbers. */
  Set<Long> eosIds() {
    Set<Long> ids = new LinkedHashSet<>();
    for (JsonNode source : List.of(generationConfig, config)) {
      JsonNode eos = source.path("eos_token_id");
      if (eos.isIntegralNumber()) {
        ids.add(eos.asLong());
      } else if (eos.isArray()) {
        eos.forEach(e -> ids.add(e.asLong()));
      }
    }
    return ids;
  }

  /**
   * The model's own sampling defaults, from generation_config.json or the GenAI "search" section.
   *
   * @throws ModelLoadException naming the file and the key when a value is out of range (a negative temperature)
   */
  SamplingConfig samplingDefaults() {
    JsonNode g = generationConfig;
    SamplingConfig.Builder b = SamplingConfig.builder();
    if (g.path("temperature").isNumber()) {
      setting(b, "temperature", x -> x.temperature(g.path("temperature").asDouble()));
    }
    if (g.path("top_k").isIntegralNumber() && g.path("top_k").asInt() > 0) {
      setting(b, "top_k", x -> x.topK(g.path("top_k").asInt()));
    }
    if (g.path("top_p").isNumber() && g.path("top_p").asDouble() > 0) {
      setting(b, "top_p", x -> x.topP(Math.min(1.0, g.path("top_p").asDouble())));
    }
    if (g.path("min_p").isNumber()) {
      setting(b, "min_p", x -> x.minP(g.path("min_p").asDouble()));
    }
    if (g.path("repetition_penalty").isNumber() && g.path("repetition_penalty").asDouble() > 0) {
      setting(b, "repetition_penalty", x -> x.repetitionPenalty(g.path("repetition_penalty").asDouble()));
    }
    if (g.path("max_new_tokens").isIntegralNumber() && g.path("max_new_tokens").asInt() > 0) {
      setting(b, "max_new_tokens", x -> x.maxTokens(g.path("max_new_tokens").asInt()));
    }
    if (g.path("do_sample").isBoolean() && !g.path("do_sample").asBoolean()) {
      b.temperature(0.0);
    }
    return b.build();
  }

  /** The file the sampling defaults come from, for messages. */
  String generationConfigFile() {
    return format == Format.GENAI ? "genai_config.json (section \"search\")" : "generation_config.json";
  }

  /** Applies one value from the generation config, turning a rejected value into an error naming file and key. */
  private void setting(SamplingConfig.Builder target, String key, Consumer<SamplingConfig.Builder> apply) {
    try {
      SamplingConfig.Builder alone = SamplingConfig.builder();
      apply.accept(alone);
      alone.build();
    } catch (InvalidRequestException e) {
      throw new ModelLoadException(name, "The model's " + generationConfigFile() + " in " + dir + " has an invalid "
          + key + ": " + generationConfig.path(key) + ". " + e.getMessage() + " Fix or remove the key \"" + key
          + "\" in that file.", e);
    }
    apply.accept(target);
  }

  /** The names GenAI gives an input or output, or the Optimum default. */
  String genaiName(String section, String key, String fallback) {
    return config.path("decoder").path(section).path(key).asText(fallback);
  }

}

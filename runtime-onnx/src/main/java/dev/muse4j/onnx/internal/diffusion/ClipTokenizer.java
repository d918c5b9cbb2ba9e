package dev.muse4j.onnx.internal.diffusion;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.JsonErrors;
import dev.muse4j.onnx.internal.natives.VendorTelemetry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLIP tokenizer of a Stable Diffusion pipeline, as its {@code tokenizer/} folder describes it, run by DJL's
 * Hugging Face tokenizers. Real folders hold {@code vocab.json}, {@code merges.txt} and
 * {@code special_tokens_map.json} rather than a {@code tokenizer.json}; from those this class builds the same
 * tokenizer the {@code tokenizer.json} of a CLIP model describes (NFC, whitespace collapsed, lower case; CLIP's
 * split pattern then byte-level; BPE with the {@code </w>} end-of-word suffix; start and end tokens around the
 * text). A {@code tokenizer.json}, when present, is used as it is.
 *
 * <p>{@link #encode} gives exactly {@value #LENGTH} ids as diffusers' pipelines feed the text encoder: start token,
 * at most 75 text tokens, end token, then the pad token the folder declares ({@code <|endoftext|>} for SD 1.x,
 * {@code !} for SD 2.x).
 *
 * <p>Thread-safe (the native tokenizer is); the engine closes it.
 */
final class ClipTokenizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClipTokenizer.class);
  /** The text encoder's fixed sequence length. */
  static final int LENGTH = 77;
  private static final String START = "<|startoftext|>";
  private static final String END = "<|endoftext|>";
  private static final String SPLIT = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+"
      + "|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

  private final HuggingFaceTokenizer tokenizer;
  private final long startId;
  private final long endId;
  private final long padId;
  private final String padToken;

  private ClipTokenizer(HuggingFaceTokenizer tokenizer, long startId, long endId, long padId, String padToken) {
    this.tokenizer = tokenizer;
    this.startId = startId;
    this.endId = endId;
    this.padId = padId;
    this.padToken = padToken;
  }

  /**
   * Loads the tokenizer of a pipeline.
   *
   * @param folder the pipeline's {@code tokenizer/} folder
   * @param modelName the model as the user named it, for messages
   * @param json parses the files
   * @return the tokenizer; the caller closes it
   * @throws ModelLoadException naming the file that is missing or wrong
   */
  static ClipTokenizer load(Path folder, String modelName, ObjectMapper json) {
    if (!Files.isDirectory(folder)) {
      throw new ModelLoadException(modelName, "The Stable Diffusion pipeline has no tokenizer folder (looked for " + folder + "). A "
          + "Stable Diffusion pipeline needs tokenizer/ with vocab.json and merges.txt (or a tokenizer.json).");
    }
    VendorTelemetry.optOutOfDjlTracking();
    Path tokenizerJson = folder.resolve("tokenizer.json");
    ObjectNode spec;
    if (Files.isRegularFile(tokenizerJson)) {
      spec = (ObjectNode) read(tokenizerJson, modelName, json);
    } else {
      spec = fromVocabAndMerges(folder, modelName, json);
    }
    JsonNode vocab = spec.path("model").path("vocab");
    String pad = padToken(folder, modelName, json);
    long start = id(spec, vocab, START, folder, modelName);
    long end = id(spec, vocab, END, folder, modelName);
    long padId = id(spec, vocab, pad, folder, modelName);
    try {
      byte[] bytes = json.writeValueAsBytes(spec);
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes),
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
      return new ClipTokenizer(tokenizer, start, end, padId, pad);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(modelName, "Could not build the CLIP tokenizer from " + folder + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The {@value #LENGTH} ids of a prompt: start, text, end, padding. A longer prompt is cut to fit, with one WARN
   * naming how many tokens were dropped and the words they were.
   *
   * @param prompt the prompt; may be empty
   * @return {@value #LENGTH} ids
   */
  long[] encode(String prompt) {
    long[] text = textIds(prompt);
    int room = LENGTH - 2;
    if (text.length > room) {
      String dropped = tokenizer.decode(Arrays.copyOfRange(text, room, text.length), true).replace("</w>", " ");
      LOG.warn("The prompt is {} tokens long; CLIP takes {}, so the last {} tokens were dropped: \"{}\"", text.length,
          room, text.length - room, dropped.strip().replaceAll(" +", " "));
    }
    long[] ids = new long[LENGTH];
    Arrays.fill(ids, padId);
    ids[0] = startId;
    int n = Math.min(room, text.length);
    System.arraycopy(text, 0, ids, 1, n);
    ids[n + 1] = endId;
    return ids;
  }

  /**
   * The prompt's tokens without start, end or padding.
   *
   * @param prompt the prompt
   * @return the ids
   */
  long[] textIds(String prompt) {
    Encoding encoding = tokenizer.encode(prompt, false, false);
    return encoding.getIds();
  }

  /**
   * The padding token the folder declares.
   *
   * @return the token text
   */
  String padToken() {
    return padToken;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static ObjectNode fromVocabAndMerges(Path folder, String modelName, ObjectMapper json) {
    Path vocabFile = folder.resolve("vocab.json");
    Path mergesFile = folder.resolve("merges.txt");
    for (Path file : List.of(vocabFile, mergesFile)) {
      if (!Files.isRegularFile(file)) {
        throw new ModelLoadException(modelName, "The tokenizer folder has no " + file.getFileName() + " (looked for "
            + file + "). A CLIP tokenizer needs vocab.json and merges.txt, or a tokenizer.json.");
      }
    }
    JsonNode vocab = read(vocabFile, modelName, json);
    if (!vocab.isObject() || vocab.size() == 0) {
      throw new ModelLoadException(modelName, vocabFile + " should be a JSON object from token to id, but is "
          + (vocab.isObject() ? "empty" : "a " + vocab.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + ".");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelLoadException(modelName, "Could not read " + mergesFile + ": " + e.getMessage(), e);
    }
    ArrayNode merges = json.createArrayNode();
    List<String> skipped = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("#version") || line.isBlank()) {
        continue;
      }
      String[] pair = line.strip().split(" ");
      // CLIP's merges.txt lists more merges than its vocabulary holds (the original tokenizer reads only the first
      // 48,894); a merge is usable only when both parts and the result are tokens.
      if (pair.length == 2 && vocab.has(pair[0]) && vocab.has(pair[1]) && vocab.has(pair[0] + pair[1])) {
        merges.add(pair[0] + " " + pair[1]);
      } else if (skipped.size() < 3) {
        skipped.add(line);
      }
    }
    if (merges.isEmpty()) {
      throw new ModelLoadException(modelName, mergesFile + " has no merge whose parts are in vocab.json; it should "
          + "hold lines of two tokens separated by a space, after a '#version' line.");
    }
    ObjectNode spec = json.createObjectNode();
    spec.put("version", "1.0");
    spec.putNull("truncation");
    spec.putNull("padding");
    ArrayNode added = spec.putArray("added_tokens");
    for (String special : List.of(START, END)) {
      if (vocab.has(special)) {
        ObjectNode token = added.addObject();
        token.put("id", vocab.get(special).asLong());
        token.put("content", special);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", special.equals(START));
        token.put("special", true);
      }
    }
    ObjectNode normalizer = spec.putObject("normalizer");
    normalizer.put("type", "Sequence");
    ArrayNode normalizers = normalizer.putArray("normalizers");
    normalizers.addObject().put("type", "NFC");
    ObjectNode whitespace = normalizers.addObject();
    whitespace.put("type", "Replace");
    whitespace.putObject("pattern").put("Regex", "\\s+");
    whitespace.put("content", " ");
    normalizers.addObject().put("type", "Lowercase");
    ObjectNode preTokenizer = spec.putObject("pre_tokenizer");
    preTokenizer.put("type", "Sequence");
    ArrayNode pre = preTokenizer.putArray("pretokenizers");
    ObjectNode split = pre.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", SPLIT);
    split.put("behavior", "Removed");
    split.put("invert", true);
    ObjectNode byteLevel = pre.addObject();
    byteLevel.put("type", "ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", true);
    byteLevel.put("use_regex", false);
    spec.putNull("post_processor");
    ObjectNode decoder = spec.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", true);
    decoder.put("trim_offsets", true);
    ObjectNode model = spec.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", END);
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "</w>");
    model.put("fuse_unk", false);
    model.set("vocab", vocab);
    model.set("merges", merges);
    return spec;
  }

  /** The pad token from special_tokens_map.json or tokenizer_config.json; CLIP's end token when neither says. */
  private static String padToken(Path folder, String modelName, ObjectMapper json) {
    for (String name : List.of("special_tokens_map.json", "tokenizer_config.json")) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        JsonNode pad = read(file, modelName, json).path("pad_token");
        String token = pad.isTextual() ? pad.asText() : pad.path("content").isTextual() ? pad.path("content").asText()
            : null;
        if (token != null) {
          return token;
        }
      }
    }
    return END;
  }

  private static long id(JsonNode spec, JsonNode vocab, String token, Path folder, String modelName) {
    if (vocab.has(token)) {
      return vocab.get(token).asLong();
    }
    for (JsonNode added : spec.path("added_tokens")) {
      if (token.equals(added.path("content").asText(null))) {
        return added.path("id").asLong();
      }
    }
    throw new ModelLoadException(modelName, "The tokenizer in " + folder + " has no token '" + token + "'; a CLIP "
        + "tokenizer needs " + START + ", " + END + " and its pad token in vocab.json.");
  }

  private static JsonNode read(Path file, String modelName, ObjectMapper json) {
    try {
      return json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(modelName, file + " is not valid JSON (" + JsonErrors.describe(e) + ").", e);
    }
  }

  @Override
  public String toString() {
    return "ClipTokenizer[pad=" + padToken + "]";
  }
}

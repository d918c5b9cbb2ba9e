package dev.muse4j.onnx.internal.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's tokenizers (the Rust library, bundled natively). Thread-safe;
 * the owner closes it, which frees the native tokenizer.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int size;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int size) {
    this.tokenizer = tokenizer;
    this.size = size;
  }

  public static TextTokenizer load(Path file, String modelName, ObjectMapper json) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(modelName, "The model directory has no tokenizer.json (looked for " + file
          + "). Muse4j needs the Hugging Face tokenizer file next to the model; export it with the model "
          + "(optimum-cli export onnx does) or copy it from the model's repository.");
    }
    int size;
    try {
      size = vocabularySize(json.readTree(file.toFile()));
    } catch (IOException e) {
      throw new ModelLoadException(modelName, "tokenizer.json is not valid JSON (" + e.getMessage() + ").", e);
    }
    try {
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file,
          Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
      return new TextTokenizer(tokenizer, size);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(modelName, "Could not load tokenizer.json: " + e.getMessage(), e);
    }
  }

  /** Entries in the vocabulary plus added tokens: one more than the largest id. */
  static int vocabularySize(JsonNode root) {
    int max = -1;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
        max = Math.max(max, id.asInt());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1;
    }
    for (JsonNode added : root.path("added_tokens")) {
      max = Math.max(max, added.path("id").asInt());
    }
    return max + 1;
  }

  /** Token ids of a text; with {@code addSpecialTokens} the tokenizer's post-processor adds BOS and the like. */
  public long[] encode(String text, boolean addSpecialTokens) {
    Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
    return encoding.getIds();
  }

  /** The text of token ids, special tokens skipped. */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  public int size() {
    return size;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

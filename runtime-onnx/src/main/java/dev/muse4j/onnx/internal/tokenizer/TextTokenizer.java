package dev.muse4j.onnx.internal.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.JsonErrors;
import dev.muse4j.onnx.internal.natives.VendorTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's tokenizers (the Rust library, bundled natively in DJL's jar).
 *
 * <p>Thread-safe: encode and decode may be called from many threads at once. The owner (a text generator) closes it,
 * which frees the native tokenizer; it must not be used after that.
 *
 * @since 0.1.0
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int size;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int size) {
    this.tokenizer = tokenizer;
    this.size = size;
  }

  /**
   * Loads a tokenizer file.
   *
   * @param file the {@code tokenizer.json}
   * @param modelName the model as the user named it, for messages
   * @param json reads the file's vocabulary size
   * @return the tokenizer; the caller closes it
   * @throws ModelLoadException if the file is missing or not a tokenizer
   */
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
      throw new ModelLoadException(modelName, "tokenizer.json is not valid JSON (" + JsonErrors.describe(e) + ").", e);
    }
    VendorTelemetry.optOutOfDjlTracking();
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

  /**
   * Token ids of a text.
   *
   * @param text the text
   * @param addSpecialTokens whether the tokenizer's post-processor adds BOS and the like
   * @return the ids
   */
  public long[] encode(String text, boolean addSpecialTokens) {
    Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
    return encoding.getIds();
  }

  /**
   * The text of token ids, special tokens skipped. Bytes of an unfinished UTF-8 character come out as U+FFFD.
   *
   * @param ids the ids
   * @return the text
   */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  /**
   * The vocabulary size: one more than the largest id, added tokens included.
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

package dev.muse4j.onnx.internal.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.CapturedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLIP tokenizer built from a Stable Diffusion {@code tokenizer/} folder (vocab.json, merges.txt,
 * special_tokens_map.json) against the real CLIP {@code tokenizer.json} from ../shared as the oracle.
 */
class ClipTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PROMPTS = List.of("Roses are red, violets are blue.",
      "a photograph of an astronaut riding a horse, 8k, trending on artstation",
      "  Mixed   CASE\twith\nwhitespace  ", "don't stop — it's 2026!!! café naïve",
      "emoji 🌸🌊 and 春眠不觉晓", "", "<|endoftext|> inside the text", "numbers 12345 and 3.14159");

  @TempDir Path temp;

  @Test
  void vocabAndMergesGiveTheSameIdsAsTheRealTokenizerJson() throws IOException {
    Path folder = sdFolder("<|endoftext|>");
    try (ClipTokenizer clip = ClipTokenizer.load(folder, "clip", JSON);
        HuggingFaceTokenizer oracle = HuggingFaceTokenizer.newInstance(realClip(),
            Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
      for (String prompt : PROMPTS) {
        long[] expected = oracle.encode(prompt).getIds();
        long[] ids = clip.encode(prompt);
        assertThat(ids).hasSize(ClipTokenizer.LENGTH);
        assertThat(Arrays.copyOf(ids, expected.length)).as(prompt).containsExactly(expected);
        assertThat(Arrays.copyOfRange(ids, expected.length, ids.length)).as("padding of " + prompt)
            .containsOnly(49407L);
      }
      assertThat(Arrays.copyOf(clip.encode("Roses are red, violets are blue."), 10))
          .containsExactly(49406, 9061, 631, 736, 267, 42861, 631, 1746, 269, 49407);
    }
  }

  @Test
  void sd2FoldersPadWithTheExclamationMark() throws IOException {
    try (ClipTokenizer clip = ClipTokenizer.load(sdFolder("!"), "clip", JSON)) {
      long[] ids = clip.encode("a cat");
      assertThat(clip.padToken()).isEqualTo("!");
      assertThat(ids[3]).isEqualTo(49407L);
      assertThat(Arrays.copyOfRange(ids, 4, ids.length)).containsOnly(0L);
    }
  }

  @Test
  void aLongPromptIsCutTo77WithOneWarningSayingWhatWasDropped() throws IOException {
    String prompt = "word ".repeat(80) + "tail";
    try (ClipTokenizer clip = ClipTokenizer.load(sdFolder("<|endoftext|>"), "clip", JSON);
        CapturedLog log = new CapturedLog()) {
      long[] ids = clip.encode(prompt);
      assertThat(ids).hasSize(77);
      assertThat(ids[76]).isEqualTo(49407L);
      assertThat(ids[0]).isEqualTo(49406L);
      assertThat(log.warnings()).isEqualTo(1);
      assertThat(log.text()).contains("81 tokens", "last 6 tokens", "tail");
    }
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("tokenizer"));
    Files.writeString(folder.resolve("vocab.json"), "{\"a\": 0}");
    assertThatThrownBy(() -> ClipTokenizer.load(folder, "m", JSON)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("merges.txt");
    assertThatThrownBy(() -> ClipTokenizer.load(temp.resolve("absent"), "m", JSON))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("tokenizer folder");
    Files.writeString(folder.resolve("merges.txt"), "#version: 0.2\nx y\n");
    assertThatThrownBy(() -> ClipTokenizer.load(folder, "m", JSON)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no merge");
  }

  /** Writes the files a Stable Diffusion tokenizer folder holds, taken apart from the real tokenizer.json. */
  private Path sdFolder(String pad) throws IOException {
    JsonNode real = JSON.readTree(realClip().toFile());
    Path folder = Files.createDirectories(temp.resolve("tokenizer-" + (pad.equals("!") ? "sd2" : "sd1")));
    JSON.writeValue(folder.resolve("vocab.json").toFile(), real.path("model").path("vocab"));
    List<String> lines = new ArrayList<>();
    lines.add("#version: 0.2");
    for (JsonNode merge : real.path("model").path("merges")) {
      lines.add(merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText());
    }
    lines.add("zzzz qqqq");
    Files.write(folder.resolve("merges.txt"), lines, StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("special_tokens_map.json"), "{\"bos_token\": {\"content\": \"<|startoftext|>\"},"
        + " \"eos_token\": {\"content\": \"<|endoftext|>\"}, \"pad_token\": \"" + pad + "\"}");
    return folder;
  }

  private static Path realClip() {
    Path file = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "tokenizers", "clip",
        "tokenizer.json");
    assumeTrue(Files.isRegularFile(file), "shared tokenizer " + file + " is not present");
    return file;
  }
}

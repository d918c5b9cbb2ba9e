package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.onnx.Fixtures;
import dev.muse4j.onnx.internal.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Releasing streamed text token by token: whole characters only, leading spaces kept, stop strings held back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTextTest {
  private TextTokenizer byteLevel;
  private TextTokenizer sentencePiece;

  @BeforeAll
  void load() {
    ObjectMapper json = new ObjectMapper();
    byteLevel = TextTokenizer.load(Path.of(Fixtures.model("gpt2-optimum"), "tokenizer.json"), "bpe", json);
    sentencePiece = TextTokenizer.load(Path.of(Fixtures.model("llama-gqa"), "tokenizer.json"), "sp", json);
  }

  @AfterAll
  void close() {
    byteLevel.close();
    sentencePiece.close();
  }

  @Test
  void aCjkCharacterSplitAcrossByteTokensIsReleasedWhole() {
    long[] ids = byteLevel.encode("春🌸", false);
    assertThat(ids).hasSize(7);
    StreamingText text = new StreamingText(byteLevel, byteLevel.encode("the", false), List.of());

    StringBuilder released = new StringBuilder();
    for (int i = 0; i < ids.length; i++) {
      String piece = text.append(ids[i]);
      assertThat(piece).doesNotContain("\uFFFD");
      if (i == 0 || i == 1 || (i > 2 && i < 6)) {
        assertThat(piece).as("after token %d", i).isEmpty();
      }
      released.append(piece);
    }
    released.append(text.finish());

    assertThat(released.toString()).isEqualTo("春🌸").isEqualTo(text.text());
  }

  @Test
  void aSentencePieceWordAfterThePromptKeepsItsLeadingSpace() {
    long[] prompt = sentencePiece.encode("the", true);
    long[] sea = sentencePiece.encode("sea", false);
    StreamingText text = new StreamingText(sentencePiece, prompt, List.of());

    StringBuilder released = new StringBuilder();
    for (long id : sea) {
      released.append(text.append(id));
    }
    released.append(text.finish());

    assertThat(released.toString()).isEqualTo(" sea");
  }

  @Test
  void aPossibleStopStringIsHeldBackUntilItResolves() {
    StreamingText text = new StreamingText(byteLevel, new long[0], List.of("en!"));

    StringBuilder released = new StringBuilder();
    for (long id : byteLevel.encode(" the en", false)) {
      released.append(text.append(id));
    }
    assertThat(released.toString()).as("'en' could still become 'en!'").isEqualTo(" the ");
    for (long id : byteLevel.encode("d", false)) {
      released.append(text.append(id));
    }
    assertThat(released.toString()).isEqualTo(" the end");
    released.append(text.finish());

    assertThat(released.toString()).isEqualTo(" the end");
    assertThat(text.stopped()).isFalse();
  }

  @Test
  void aStopStringCutsTheTextAndEndsIt() {
    StreamingText text = new StreamingText(byteLevel, new long[0], List.of("he e"));

    StringBuilder released = new StringBuilder();
    for (long id : byteLevel.encode(" the end", false)) {
      released.append(text.append(id));
      if (text.stopped()) {
        break;
      }
    }

    assertThat(text.stopped()).isTrue();
    assertThat(released.toString()).isEqualTo(" t").isEqualTo(text.text());
  }

  /**
   * With real tokenizers (GPT-2's byte-level BPE and T5's SentencePiece Unigram, from ../shared when present):
   * streaming a text token by token releases exactly what decoding the whole generation after the prompt gives,
   * never a broken character, for CJK, emoji, accents and words that begin with a space.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-bpe", "t5-small"})
  void realTokenizersStreamExactlyTheWholeDecode(String name) {
    Path file = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "tokenizers", name,
        "tokenizer.json");
    assumeTrue(Files.isRegularFile(file), "shared tokenizer " + file + " is not present");
    try (TextTokenizer tokenizer = TextTokenizer.load(file, name, new ObjectMapper())) {
      long[] prompt = tokenizer.encode("Write a line:", false);
      for (String generated : List.of(" 春眠不觉晓，处处闻啼鸟。", " the sea 🌊🌸 and 👩‍👩‍👧 café", " naïve façade — ok",
          "plain words only")) {
        long[] ids = tokenizer.encode(generated, false);
        long[] all = new long[prompt.length + ids.length];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(ids, 0, all, prompt.length, ids.length);
        String whole = tokenizer.decode(all).substring(tokenizer.decode(prompt).length());

        StreamingText text = new StreamingText(tokenizer, prompt, List.of());
        List<String> pieces = new ArrayList<>();
        for (long id : ids) {
          pieces.add(text.append(id));
        }
        pieces.add(text.finish());

        assertThat(String.join("", pieces)).as("%s: %s", name, generated).isEqualTo(whole).isEqualTo(text.text());
        assertThat(pieces).as("no piece splits a character").noneMatch(p -> p.contains("\uFFFD"));
      }
    }
  }
}

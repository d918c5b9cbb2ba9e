package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.onnx.Fixtures;
import dev.muse4j.onnx.internal.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
}

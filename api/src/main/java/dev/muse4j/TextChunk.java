package dev.muse4j;

import dev.muse4j.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * A piece of streamed text. The chunks of a stream concatenate to exactly the text of the final result. A chunk never
 * splits a character (no half of a UTF-8 sequence or surrogate pair). Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TextChunk {
  private final String text;

  private TextChunk(String text) {
    this.text = text;
  }

  /**
   * Creates a chunk.
   *
   * @param text the new text; not empty
   * @return the chunk
   */
  public static TextChunk of(String text) {
    Checks.notNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a chunk's text must not be empty");
    }
    return new TextChunk(text);
  }

  /**
   * The new text.
   *
   * @return the text, never empty
   */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TextChunk && ((TextChunk) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One message of a chat conversation: a role and its text. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ChatMessage {
  /**
   * Who says a message.
   *
   * @since 0.1.0
   */
  public enum Role {
    /** Instructions that frame the conversation. */
    SYSTEM,
    /** The person asking. */
    USER,
    /** The model's earlier replies. */
    ASSISTANT;

    /**
     * The role's name as chat templates and OpenAI-compatible servers spell it.
     *
     * @return {@code "system"}, {@code "user"} or {@code "assistant"}
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Role role;
  private final String content;

  private ChatMessage(Role role, String content) {
    this.role = Checks.notNull(role, "role");
    this.content = Checks.notNull(content, "content");
  }

  /**
   * A message with the given role.
   *
   * @param role who says it
   * @param content the text
   * @return the message
   */
  public static ChatMessage of(Role role, String content) {
    Checks.notNull(role, "role");
    if (content == null) {
      throw new InvalidRequestException("messages", "A chat message's content must not be null.");
    }
    return new ChatMessage(role, content);
  }

  /**
   * A system message.
   *
   * @param content the instructions
   * @return the message
   */
  public static ChatMessage system(String content) {
    return of(Role.SYSTEM, content);
  }

  /**
   * A user message.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage user(String content) {
    return of(Role.USER, content);
  }

  /**
   * An assistant message (an earlier reply).
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage assistant(String content) {
    return of(Role.ASSISTANT, content);
  }

  /**
   * Who says the message.
   *
   * @return the role
   */
  public Role role() {
    return role;
  }

  /**
   * The message's text.
   *
   * @return the content
   */
  public String content() {
    return content;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChatMessage && ((ChatMessage) o).role == role && ((ChatMessage) o).content.equals(content);
  }

  @Override
  public int hashCode() {
    return role.hashCode() * 31 + content.hashCode();
  }

  @Override
  public String toString() {
    return role.wireName() + ": " + content;
  }
}

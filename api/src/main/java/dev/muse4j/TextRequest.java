package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to generate text from: a plain prompt to continue, or chat messages with roles; plus the sampling config and
 * how many alternative completions to produce.
 *
 * <p>Immutable and thread-safe: the {@code with...} methods return changed copies.
 *
 * <pre>{@code
 * TextRequest.of("The autumn leaves are falling,")
 *     .withSampling(SamplingConfig.builder().temperature(0.8).maxTokens(80).seed(42).build());
 * TextRequest.chat(ChatMessage.system("You are a poet."), ChatMessage.user("A haiku about rain"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TextRequest {
  /** At most this many alternative completions per request. */
  public static final int MAX_COUNT = 16;

  private final @Nullable String prompt;
  private final List<ChatMessage> messages;
  private final SamplingConfig sampling;
  private final int count;
  private final @Nullable Duration timeout;

  private TextRequest(@Nullable String prompt, List<ChatMessage> messages, SamplingConfig sampling, int count,
      @Nullable Duration timeout) {
    this.prompt = prompt;
    this.messages = messages;
    this.sampling = sampling;
    this.count = count;
    this.timeout = timeout;
  }

  /**
   * A request to continue a plain prompt.
   *
   * @param prompt the text to continue; not empty
   * @return the request
   * @throws InvalidRequestException if the prompt is null or blank
   */
  public static TextRequest of(String prompt) {
    return new TextRequest(Checks.notBlank(prompt, "prompt"), List.of(), SamplingConfig.empty(), 1, null);
  }

  /**
   * A chat request.
   *
   * @param messages the conversation so far, oldest first; at least one
   * @return the request
   * @throws InvalidRequestException if there are no messages
   */
  public static TextRequest chat(List<ChatMessage> messages) {
    Checks.notNull(messages, "messages");
    if (messages.isEmpty()) {
      throw new InvalidRequestException("messages", "A chat request needs at least one message, for example "
          + "ChatMessage.user(\"Write a limerick\").");
    }
    for (int i = 0; i < messages.size(); i++) {
      Checks.notNull(messages.get(i), "messages[" + i + "]");
    }
    return new TextRequest(null, List.copyOf(messages), SamplingConfig.empty(), 1, null);
  }

  /**
   * A chat request.
   *
   * @param messages the conversation so far, oldest first; at least one
   * @return the request
   */
  public static TextRequest chat(ChatMessage... messages) {
    return chat(Arrays.asList(Checks.notNull(messages, "messages")));
  }

  /**
   * A copy with another sampling config.
   *
   * @param sampling the config for this request; its set fields override the generator's defaults
   * @return the changed copy
   */
  public TextRequest withSampling(SamplingConfig sampling) {
    return new TextRequest(prompt, messages, Checks.notNull(sampling, "sampling"), count, timeout);
  }

  /**
   * A copy that asks for {@code count} alternative completions (1 to {@value #MAX_COUNT}). Streaming supports only 1.
   *
   * @param count how many completions
   * @return the changed copy
   */
  public TextRequest withCount(int count) {
    return new TextRequest(prompt, messages, sampling,
        Checks.inRange(count, 1, MAX_COUNT, "count", "Ask for fewer completions, or send several requests."), timeout);
  }

  /**
   * A copy with a deadline: if the whole generation (every choice, or the whole stream) takes longer, it is cancelled
   * and a {@link GenerationTimeoutException} is raised, keeping the text so far in a stream.
   *
   * @param timeout positive, at most {@value dev.muse4j.internal.Checks#MAX_TIMEOUT_DAYS} days
   * @return the changed copy
   * @throws InvalidRequestException if the timeout is null, zero, negative or too long
   * @since 0.2.0
   */
  public TextRequest withTimeout(Duration timeout) {
    return new TextRequest(prompt, messages, sampling, count, Checks.timeout(timeout));
  }

  /**
   * The deadline for the whole generation, if one was set.
   *
   * @return the timeout
   * @since 0.2.0
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * Whether this is a chat request rather than a plain prompt.
   *
   * @return {@code true} for a chat request
   */
  public boolean isChat() {
    return prompt == null;
  }

  /**
   * The plain prompt, for a prompt request.
   *
   * @return the prompt, or empty for a chat request
   */
  public Optional<String> prompt() {
    return Optional.ofNullable(prompt);
  }

  /**
   * The chat messages, for a chat request.
   *
   * @return the messages; empty for a prompt request
   */
  public List<ChatMessage> messages() {
    return messages;
  }

  /**
   * The request's sampling config (not yet merged with any default).
   *
   * @return the config
   */
  public SamplingConfig sampling() {
    return sampling;
  }

  /**
   * How many alternative completions to produce.
   *
   * @return at least 1
   */
  public int count() {
    return count;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TextRequest)) {
      return false;
    }
    TextRequest that = (TextRequest) o;
    return Objects.equals(prompt, that.prompt) && messages.equals(that.messages)
        && sampling.equals(that.sampling) && count == that.count && Objects.equals(timeout, that.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, messages, sampling, count, timeout);
  }

  @Override
  public String toString() {
    return "TextRequest{" + (prompt != null ? "prompt=" + prompt : "messages=" + messages) + ", " + sampling
        + (count > 1 ? ", count=" + count : "") + (timeout != null ? ", timeout=" + timeout : "") + "}";
  }
}

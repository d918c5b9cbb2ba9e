package dev.muse4j.onnx.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.ChatMessage;
import dev.muse4j.InvalidRequestException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real chat template in {@code src/test/resources/chat-templates}, with every conversation of
 * {@code conversations.json}, renders character for character as Python Jinja2 renders it under transformers'
 * settings (the files in {@code expected/}, made by {@code tools/fixtures/render_chat_templates.py}); where Jinja2
 * raised, an {@link InvalidRequestException} carries the same message.
 */
class ChatTemplateCorpusTest {
  /** The local time the fixture script gives {@code strftime_now}. */
  static final Clock FIXTURE_TIME = Clock.fixed(LocalDateTime.of(2026, 7, 26, 14, 5, 9)
      .atZone(ZoneId.systemDefault()).toInstant(), ZoneId.systemDefault());

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path corpus() {
    try {
      return Path.of(Objects.requireNonNull(ChatTemplateCorpusTest.class.getResource("/chat-templates")).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> templates() throws IOException {
    try (Stream<Path> dirs = Files.list(corpus())) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("template.jinja"))).sorted().toList();
    }
  }

  @Test
  void theCorpusHasAtLeastTwentyTemplatesAndFourConversations() throws IOException {
    assertThat(templates()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(JSON.readTree(corpus().resolve("conversations.json").toFile())).hasSizeGreaterThanOrEqualTo(4);
  }

  @TestFactory
  Stream<DynamicContainer> everyTemplateRendersEveryConversationAsJinja2Does() throws IOException {
    JsonNode conversations = JSON.readTree(corpus().resolve("conversations.json").toFile());
    List<DynamicContainer> containers = new ArrayList<>();
    for (Path dir : templates()) {
      List<DynamicTest> tests = new ArrayList<>();
      for (JsonNode conversation : conversations) {
        String id = conversation.path("id").asText();
        tests.add(DynamicTest.dynamicTest(id, () -> check(dir, conversation)));
      }
      containers.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), tests));
    }
    return containers.stream();
  }

  private static void check(Path dir, JsonNode conversation) throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("tokens.json").toFile());
    config.put("chat_template", Files.readString(dir.resolve("template.jinja"), StandardCharsets.UTF_8));
    ChatTemplate template = ChatTemplate.find(null, config).orElseThrow().withClock(FIXTURE_TIME);
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : conversation.path("messages")) {
      messages.add(ChatMessage.of(role(m.path("role").asText()), m.path("content").asText()));
    }
    String id = conversation.path("id").asText();
    Path expected = dir.resolve("expected").resolve(id + ".txt");
    Path error = dir.resolve("expected").resolve(id + ".error.txt");
    if (Files.isRegularFile(error)) {
      String message = Files.readString(error, StandardCharsets.UTF_8).strip();
      assertThatThrownBy(() -> template.render(messages)).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining(message);
    } else {
      assertThat(template.render(messages)).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }
  }

  private static ChatMessage.Role role(String wire) {
    for (ChatMessage.Role r : ChatMessage.Role.values()) {
      if (r.wireName().equals(wire)) {
        return r;
      }
    }
    throw new IllegalArgumentException(wire);
  }
}

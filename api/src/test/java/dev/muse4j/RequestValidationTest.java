package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RequestValidationTest {
  private static void rejects(ThrowingCallable call, String field, String message) {
    assertThatThrownBy(call).isInstanceOf(InvalidRequestException.class).hasMessageContaining(message)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo(field);
  }

  @Test
  void textRequestsNeedAPromptOrMessages() {
    rejects(() -> TextRequest.of(""), "prompt", "prompt must not be empty or blank");
    rejects(() -> TextRequest.of("  \n"), "prompt", "must not be empty or blank");
    rejects(() -> TextRequest.of(null), "prompt", "prompt must not be null");
    rejects(() -> TextRequest.chat(List.of()), "messages", "needs at least one message");
    rejects(() -> TextRequest.of("x").withCount(0), "count", "count must be between 1 and 16 but was 0");
    rejects(() -> TextRequest.of("x").withCount(17), "count", "but was 17");
    rejects(() -> TextRequest.of("x").withSampling(null), "sampling", "sampling must not be null");
  }

  @Test
  void textRequestsAreValuesWithCopyingWithers() {
    TextRequest base = TextRequest.of("Ode to the sea");
    TextRequest changed = base.withCount(3).withSampling(SamplingConfig.greedy());

    assertThat(base.count()).isEqualTo(1);
    assertThat(base.isChat()).isFalse();
    assertThat(changed.count()).isEqualTo(3);
    assertThat(changed.prompt()).hasValue("Ode to the sea");
    assertThat(changed).isEqualTo(TextRequest.of("Ode to the sea").withSampling(SamplingConfig.greedy())
        .withCount(3));
    TextRequest chat = TextRequest.chat(ChatMessage.system("poet"), ChatMessage.user("rain"));
    assertThat(chat.isChat()).isTrue();
    assertThat(chat.prompt()).isEmpty();
    assertThat(chat.messages()).extracting(ChatMessage::role)
        .containsExactly(ChatMessage.Role.SYSTEM, ChatMessage.Role.USER);
    assertThat(ChatMessage.Role.ASSISTANT.wireName()).isEqualTo("assistant");
  }

  @Test
  void imageRequestsCheckSizeStepsGuidanceCountAndStrength() {
    rejects(() -> ImageRequest.builder("x").size(500, 512).build(), "width",
        "width must be a multiple of 8 between 8 and 4096 but was 500; try 504.");
    rejects(() -> ImageRequest.builder("x").size(512, 0).build(), "height", "but was 0; try 8.");
    rejects(() -> ImageRequest.builder("x").size(8192, 512).build(), "width", "try 4096");
    rejects(() -> ImageRequest.builder("x").steps(0).build(), "steps", "steps must be between 1 and 1000");
    rejects(() -> ImageRequest.builder("x").guidanceScale(-1.0).build(), "guidanceScale", "between 0 and 50");
    rejects(() -> ImageRequest.builder("x").count(0).build(), "count", "count must be between 1 and 64");
    rejects(() -> ImageRequest.builder("x").initImage(solid(), 1.5).build(), "strength", "but was 1.5");
    rejects(() -> ImageRequest.builder("x").initImage(null, 0.5), "initImage", "initImage must not be null");
    rejects(() -> ImageRequest.builder(" "), "prompt", "must not be empty");
  }

  @Test
  void imageRequestsKeepWhatWasSetAndLeaveTheRestToTheModel() {
    ImageRequest r = ImageRequest.builder("lighthouse").size(256, 128).steps(4).seed(7).count(2)
        .negativePrompt("blurry").scheduler("euler").guidanceScale(0.0).build();

    assertThat(r.width()).hasValue(256);
    assertThat(r.height()).hasValue(128);
    assertThat(r.toBuilder().build().seed()).hasValue(7L);
    assertThat(r.negativePrompt()).hasValue("blurry");
    assertThat(ImageRequest.of("x").steps()).isEmpty();
    assertThat(ImageRequest.of("x").progressListener()).isSameAs(ProgressListener.NONE);
  }

  @Test
  void musicRequestsCheckDurationAndGuidance() {
    rejects(() -> MusicRequest.of("x", Duration.ZERO), "duration", "duration must be more than 0");
    rejects(() -> MusicRequest.of("x", Duration.ofSeconds(-1)), "duration", "but was -1000 ms");
    rejects(() -> MusicRequest.of("x", Duration.ofMinutes(6)), "duration", "at most 5 minutes");
    rejects(() -> MusicRequest.builder("x").guidanceScale(99.0).build(), "guidanceScale", "but was 99");
    assertThat(MusicRequest.builder("x").build().duration()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void styleRequestsNeedContentAndAStrengthInRange() {
    rejects(() -> StyleRequest.builder(null), "content", "content must not be null");
    rejects(() -> StyleRequest.builder(solid()).strength(-0.1).build(), "strength", "between 0 and 1");
    rejects(() -> StyleRequest.builder(solid()).style(null), "style", "style must not be null");
    StyleRequest r = StyleRequest.builder(solid()).style(solid()).stylePrompt("woodcut").strength(0.5).build();
    assertThat(r.strength()).isEqualTo(0.5);
    assertThat(r.stylePrompt()).hasValue("woodcut");
    assertThat(StyleRequest.of(solid()).strength()).isEqualTo(1.0);
  }

  @Test
  void modelOptionsAreValuesToo() {
    ModelOptions o = ModelOptions.defaults().withSampling(SamplingConfig.greedy()).withChatTemplate("{{ x }}")
        .withSetting("variant", "fp16");

    assertThat(ModelOptions.defaults().sampling().isEmpty()).isTrue();
    assertThat(o.chatTemplate()).hasValue("{{ x }}");
    assertThat(o.settings()).containsEntry("variant", "fp16");
    assertThat(o.toString()).contains("chatTemplate=<7 chars>");
    rejects(() -> ModelOptions.defaults().withChatTemplate(""), "chatTemplate", "must not be empty");
  }

  @Test
  void modelOptionsPickANamedChatTemplate() {
    ModelOptions named = ModelOptions.defaults().withChatTemplateName("tool_use");

    assertThat(ModelOptions.defaults().chatTemplateName()).isEmpty();
    assertThat(named.chatTemplateName()).hasValue("tool_use");
    assertThat(named.withSampling(SamplingConfig.greedy()).withSetting("a", "b").chatTemplateName())
        .hasValue("tool_use");
    assertThat(named).isEqualTo(ModelOptions.defaults().withChatTemplateName("tool_use"))
        .hasSameHashCodeAs(ModelOptions.defaults().withChatTemplateName("tool_use"))
        .isNotEqualTo(ModelOptions.defaults().withChatTemplateName("rag"));
    assertThat(named.toString()).contains("chatTemplateName=tool_use");
    rejects(() -> ModelOptions.defaults().withChatTemplateName(" "), "chatTemplateName", "must not be empty");
  }

  private static Image solid() {
    return Image.ofRgb(1, 1, new byte[3]);
  }
}

package dev.muse4j.onnx.internal.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/** Renders a template the way the spec tests state it: source, variables as JSON, the fixture script's clock. */
final class Render {
  static final Clock FIXED = Clock.fixed(LocalDateTime.of(2026, 7, 26, 14, 5, 9).atZone(ZoneId.systemDefault())
      .toInstant(), ZoneId.systemDefault());

  private Render() {
  }

  static String render(String template) {
    return render(template, "{}");
  }

  static String render(String template, String variablesJson) {
    try {
      Map<String, Object> vars = new ObjectMapper().readValue(variablesJson, new TypeReference<Map<String, Object>>() {
      });
      return Template.parse(template).render(vars, FIXED);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The message of the error the template raises. */
  static String fails(String template) {
    return fails(template, "{}");
  }

  static String fails(String template, String variablesJson) {
    String[] message = new String[1];
    assertThatThrownBy(() -> render(template, variablesJson)).isInstanceOfSatisfying(TemplateRenderException.class,
        e -> message[0] = e.reason());
    return message[0];
  }
}

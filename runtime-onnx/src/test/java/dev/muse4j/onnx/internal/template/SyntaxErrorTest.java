package dev.muse4j.onnx.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A template that Jinja2 would not compile fails when it is parsed, with the line and column. */
class SyntaxErrorTest {
  private static TemplateSyntaxException syntaxError(String template) {
    TemplateSyntaxException[] error = new TemplateSyntaxException[1];
    assertThatThrownBy(() -> Template.parse(template)).isInstanceOfSatisfying(TemplateSyntaxException.class,
        e -> error[0] = e);
    return error[0];
  }

  @Test
  void anUnclosedBlockSaysWhichTagsCouldCloseIt() {
    TemplateSyntaxException e = syntaxError("{% for m in messages %}\n{% if m %}\nx\n{% endfor %}");

    assertThat(e.line()).isEqualTo(4);
    assertThat(e.reason()).isEqualTo("Encountered unknown tag 'endfor'. Jinja was looking for the following tags: "
        + "'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.");
    assertThat(syntaxError("{% if x %}unclosed").reason()).isEqualTo("Unexpected end of template. Jinja was looking "
        + "for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.");
  }

  @Test
  void aBrokenExpressionNamesItsLineAndColumn() {
    TemplateSyntaxException e = syntaxError("line one\n{{ x + }}");

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(8);
    assertThat(e.getMessage()).contains("line 2, column 8");
  }

  @Test
  void unknownTagsFiltersAndTestsAreRefusedAtParse() {
    assertThat(syntaxError("{% foo %}").reason()).contains("unknown tag 'foo'");
    assertThat(syntaxError("{% endif %}").reason()).isEqualTo("Encountered unknown tag 'endif'.");
    assertThat(syntaxError("\n{{ x|nosuchfilter }}").reason()).contains("No filter named 'nosuchfilter'");
    assertThat(syntaxError("\n{{ x|nosuchfilter }}").line()).isEqualTo(2);
    assertThat(syntaxError("{{ x is nosuchtest }}").reason()).contains("No test named 'nosuchtest'");
  }

  @Test
  void unterminatedStringsCommentsAndTags() {
    assertThat(syntaxError("{{ 'unterminated }}").reason()).contains("Unterminated string");
    assertThat(syntaxError("{# unclosed comment").reason()).contains("Missing end of comment tag");
    assertThat(syntaxError("{{ x ").reason()).contains("never closed");
    assertThat(syntaxError("{{ (1, 2 }}").reason()).contains("'}'");
  }

  @Test
  void loopControlsOnlyInsideALoop() {
    assertThat(syntaxError("{% break %}").reason()).contains("'break' outside of a loop");
    assertThat(Template.parse("{% for i in x %}{% if i %}{% break %}{% endif %}{% endfor %}")).isNotNull();
  }

  @Test
  void qwen3sConstructsParse() {
    assertThat(Template.parse("{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}"
        + "{%- for message in messages[::-1] %}{%- set index = (messages|length - 1) - loop.index0 %}"
        + "{%- if ns.multi_step_tool and message.role == \"user\" and not(message.content.startswith('<tool_response>')"
        + " and message.content.endswith('</tool_response>')) %}{%- set ns.multi_step_tool = false %}"
        + "{%- set ns.last_query_index = index %}{%- endif %}{%- endfor %}"
        + "{{ message.content.split('</think>')[-1].lstrip('\\n') }}")).isNotNull();
  }
}

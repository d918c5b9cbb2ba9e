package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per-model options for opening a generator: default sampling, a chat template to use when the model has none, and
 * backend-specific model settings (documented by each backend). Immutable and thread-safe; the {@code with...}
 * methods return changed copies.
 *
 * <pre>{@code
 * TextGenerator poet = backend.text("models/gpt2",
 *     ModelOptions.defaults().withSampling(SamplingConfig.builder().temperature(0.9).build()));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ModelOptions {
  private static final ModelOptions DEFAULTS = new ModelOptions(SamplingConfig.empty(), null, null, Map.of());

  private final SamplingConfig sampling;
  private final @Nullable String chatTemplate;
  private final @Nullable String chatTemplateName;
  private final Map<String, String> settings;

  private ModelOptions(SamplingConfig sampling, @Nullable String chatTemplate, @Nullable String chatTemplateName,
      Map<String, String> settings) {
    this.sampling = sampling;
    this.chatTemplate = chatTemplate;
    this.chatTemplateName = chatTemplateName;
    this.settings = settings;
  }

  /**
   * No options: the model's own defaults.
   *
   * @return the default options
   */
  public static ModelOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with a default sampling config for every request to this generator. A request's own set fields win.
   *
   * @param sampling the generator default
   * @return the changed copy
   */
  public ModelOptions withSampling(SamplingConfig sampling) {
    return new ModelOptions(Checks.notNull(sampling, "sampling"), chatTemplate, chatTemplateName, settings);
  }

  /**
   * A copy with a Jinja chat template, used for chat requests when the model does not bring its own (or to replace
   * it).
   *
   * @param chatTemplate the template source, in the Hugging Face {@code chat_template} dialect
   * @return the changed copy
   */
  public ModelOptions withChatTemplate(String chatTemplate) {
    return new ModelOptions(sampling, Checks.notBlank(chatTemplate, "chatTemplate"), chatTemplateName, settings);
  }

  /**
   * A copy that picks one of the model's named chat templates. Some models ship several ({@code default},
   * {@code tool_use}, {@code rag}, ...): a list under {@code chat_template} in {@code tokenizer_config.json}, or
   * files in {@code additional_chat_templates/}. Without a name the model's {@code default} template is used. A
   * template given with {@link #withChatTemplate(String)} wins over any name.
   *
   * <pre>{@code
   * TextGenerator chat = backend.text("models/command-r", ModelOptions.defaults().withChatTemplateName("rag"));
   * }</pre>
   *
   * @param name the template's name; loading fails, listing the names there are, if the model has none by this name
   * @return the changed copy
   * @since 0.2.0
   */
  public ModelOptions withChatTemplateName(String name) {
    return new ModelOptions(sampling, chatTemplate, Checks.notBlank(name, "chatTemplateName"), settings);
  }

  /**
   * A copy with one backend-specific model setting. The backend rejects names it does not know.
   *
   * @param name the setting's name
   * @param value its value
   * @return the changed copy
   */
  public ModelOptions withSetting(String name, String value) {
    Checks.notBlank(name, "settings");
    Map<String, String> copy = new LinkedHashMap<>(settings);
    copy.put(name, Checks.notNull(value, "settings." + name));
    return new ModelOptions(sampling, chatTemplate, chatTemplateName, Map.copyOf(copy));
  }

  /**
   * The generator's default sampling config.
   *
   * @return the config, possibly empty
   */
  public SamplingConfig sampling() {
    return sampling;
  }

  /**
   * The chat template to use, if one was given.
   *
   * @return the template, or empty
   */
  public Optional<String> chatTemplate() {
    return Optional.ofNullable(chatTemplate);
  }

  /**
   * The name of the model's chat template to use, if one was chosen.
   *
   * @return the name, or empty for the model's default template
   * @since 0.2.0
   */
  public Optional<String> chatTemplateName() {
    return Optional.ofNullable(chatTemplateName);
  }

  /**
   * Backend-specific model settings.
   *
   * @return an unmodifiable map, possibly empty
   */
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ModelOptions && ((ModelOptions) o).sampling.equals(sampling)
        && Objects.equals(((ModelOptions) o).chatTemplate, chatTemplate)
        && Objects.equals(((ModelOptions) o).chatTemplateName, chatTemplateName)
        && ((ModelOptions) o).settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampling, chatTemplate, chatTemplateName, settings);
  }

  @Override
  public String toString() {
    return "ModelOptions{" + sampling + (chatTemplate != null ? ", chatTemplate=<" + chatTemplate.length()
        + " chars>" : "") + (chatTemplateName != null ? ", chatTemplateName=" + chatTemplateName : "")
        + (settings.isEmpty() ? "" : ", settings=" + settings) + "}";
  }
}

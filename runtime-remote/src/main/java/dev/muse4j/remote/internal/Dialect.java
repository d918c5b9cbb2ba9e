package dev.muse4j.remote.internal;

import dev.muse4j.ConfigurationException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a server kind spells what the OpenAI API does not standardise: the token-limit field, the sampling fields
 * beyond temperature and top-p, and the picture fields beyond prompt, count and size. A {@code null} field name
 * means the server kind has no such field: the value is not sent, and the backend says so once in a WARN.
 *
 * <p>OpenAI rejects unknown fields ({@code Unknown parameter}), so its dialect sends nothing it does not document.
 * vLLM's names are those of its sampling parameters and of vLLM-Omni's image API; llama-server's are its own
 * ({@code repeat_penalty}); Ollama's OpenAI endpoint takes only the OpenAI fields; {@code generic} sends the most
 * common names, for LocalAI, LM Studio and other servers that ignore fields they do not know.
 */
enum Dialect {
  OPENAI("openai", "max_completion_tokens", null, null, null, false),
  VLLM("vllm", "max_tokens", "top_k", "min_p", "repetition_penalty", true),
  LLAMA_CPP("llama.cpp", "max_tokens", "top_k", "min_p", "repeat_penalty", false),
  OLLAMA("ollama", "max_tokens", null, null, null, false),
  GENERIC("generic", "max_tokens", "top_k", "min_p", "repetition_penalty", true);

  final String settingName;
  final String maxTokensField;
  final @Nullable String topKField;
  final @Nullable String minPField;
  final @Nullable String repetitionPenaltyField;
  final @Nullable String imageSeedField;
  final @Nullable String negativePromptField;
  final @Nullable String stepsField;
  final @Nullable String guidanceField;
  final @Nullable String strengthField;

  Dialect(String settingName, String maxTokensField, @Nullable String topKField, @Nullable String minPField,
      @Nullable String repetitionPenaltyField, boolean diffusionFields) {
    this.settingName = settingName;
    this.maxTokensField = maxTokensField;
    this.topKField = topKField;
    this.minPField = minPField;
    this.repetitionPenaltyField = repetitionPenaltyField;
    this.imageSeedField = diffusionFields ? "seed" : null;
    this.negativePromptField = diffusionFields ? "negative_prompt" : null;
    this.stepsField = diffusionFields ? "num_inference_steps" : null;
    this.guidanceField = diffusionFields ? "guidance_scale" : null;
    this.strengthField = diffusionFields ? "strength" : null;
  }

  static Dialect parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Dialect d : values()) {
      if (d.settingName.equals(n) || (d == LLAMA_CPP && (n.equals("llamacpp") || n.equals("llama-server")))) {
        return d;
      }
    }
    throw new ConfigurationException("dialect", "Setting 'dialect' must be one of openai, vllm, llama.cpp, ollama, "
        + "generic, but was '" + name + "'.");
  }
}

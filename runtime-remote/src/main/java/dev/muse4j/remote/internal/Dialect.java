package dev.muse4j.remote.internal;

import dev.muse4j.ConfigurationException;
import java.util.Locale;

/**
 * How a server kind spells what the OpenAI API does not standardise: the token-limit field and the sampling fields
 * beyond temperature and top-p.
 */
public enum Dialect {
  OPENAI("openai", "max_completion_tokens", null, null, null),
  VLLM("vllm", "max_tokens", "top_k", "min_p", "repetition_penalty"),
  LLAMA_CPP("llama.cpp", "max_tokens", "top_k", "min_p", "repeat_penalty"),
  OLLAMA("ollama", "max_tokens", null, null, null),
  GENERIC("generic", "max_tokens", "top_k", "min_p", "repetition_penalty");

  final String settingName;
  final String maxTokensField;
  final String topKField;
  final String minPField;
  final String repetitionPenaltyField;

  Dialect(String settingName, String maxTokensField, String topKField, String minPField,
      String repetitionPenaltyField) {
    this.settingName = settingName;
    this.maxTokensField = maxTokensField;
    this.topKField = topKField;
    this.minPField = minPField;
    this.repetitionPenaltyField = repetitionPenaltyField;
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

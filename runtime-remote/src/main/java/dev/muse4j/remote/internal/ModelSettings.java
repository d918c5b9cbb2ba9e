package dev.muse4j.remote.internal;

import dev.muse4j.ConfigurationException;
import dev.muse4j.ModelOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@link ModelOptions} a generator is opened with. The openai backend has no model settings (the server
 * loads the model and applies its chat template), so any {@code withSetting} name is a mistake, and so is a chat
 * template: both are rejected rather than silently ignored. Sampling defaults are the core's and always apply.
 * Stateless.
 */
final class ModelSettings {
  private static final String BACKEND_SETTING = "a backend setting of openai: give it in the BackendConfig passed to "
      + "Muse4j.backend(\"openai\", ...)";
  /** Names a user may have meant, with where they belong instead. */
  private static final Map<String, String> ELSEWHERE = Map.ofEntries(
      Map.entry("modelFile", "a setting of the onnx backend; a server loads its own model files, so pass the "
          + "server's model id to text(...) instead"),
      Map.entry("baseUrl", BACKEND_SETTING), Map.entry("apiKey", BACKEND_SETTING),
      Map.entry("organization", BACKEND_SETTING), Map.entry("project", BACKEND_SETTING),
      Map.entry("extraHeaders", BACKEND_SETTING), Map.entry("connectTimeout", BACKEND_SETTING),
      Map.entry("requestTimeout", BACKEND_SETTING), Map.entry("totalTimeout", BACKEND_SETTING),
      Map.entry("maxRetries", BACKEND_SETTING), Map.entry("maxRetryWait", BACKEND_SETTING),
      Map.entry("dialect", BACKEND_SETTING), Map.entry("textEndpoint", BACKEND_SETTING));

  private ModelSettings() {}

  /** Why backend settings are not model settings. */
  private static final class BackendSettings {
    static final String NOTE = "a backend setting of openai: give it in the BackendConfig passed to "
        + "Muse4j.backend(\"openai\", ...)";
  }

  /**
   * @param text whether the options open a text generator (the only kind a chat template could apply to)
   * @throws ConfigurationException naming the first unknown setting, with a "did you mean" hint where one is close
   */
  static void check(ModelOptions options, boolean text) {
    if (!options.settings().isEmpty()) {
      String name = options.settings().keySet().iterator().next();
      String near = closest(name, List.copyOf(ELSEWHERE.keySet()));
      String hint = near == null ? "" : " Did you mean '" + near + "'? That is " + ELSEWHERE.get(near) + ".";
      throw new ConfigurationException(name, "The openai backend has no model setting '" + name + "': it takes "
          + "none (ModelOptions.withSetting), since the server loads the model." + hint);
    }
    if (options.chatTemplate().isPresent()) {
      throw new ConfigurationException("chatTemplate", "The openai backend cannot use ModelOptions.withChatTemplate"
          + (text ? "" : " (and image models have no chat template)") + ": the server applies the chat template. "
          + "Configure it on the server (llama-server --chat-template-file, vllm serve --chat-template) and "
          + "leave it out of the ModelOptions.");
    }
  }

  /** The candidate within a likely-typo distance of {@code input} (at most a third of its letters, at most 3). */
  static @Nullable String closest(String input, List<String> candidates) {
    String needle = input.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(needle, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance || d == bestDistance && best != null && candidate.compareTo(best) < 0) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.min(3, Math.max(1, needle.length() / 3)) ? best : null;
  }

  /** Edit distance counting a swap of neighbouring letters as one edit. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int v = Math.min(Math.min(d[i - 1][j], d[i][j - 1]) + 1, d[i - 1][j - 1]
            + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}

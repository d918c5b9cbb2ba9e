package dev.muse4j.remote;

import dev.muse4j.Backend;
import dev.muse4j.remote.internal.OpenAiConnection;
import java.util.List;

/**
 * Lists the models an OpenAI-compatible server offers ({@code GET /models}). Stateless and thread-safe.
 *
 * <pre>{@code
 * try (Backend remote = Muse4j.backend("openai", config)) {
 *   List<String> ids = OpenAiModels.list(remote);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class OpenAiModels {
  private OpenAiModels() {}

  /**
   * The model ids the server lists.
   *
   * @param backend a backend opened with {@code Muse4j.backend("openai", ...)}
   * @return the ids, in the server's order
   * @throws IllegalArgumentException if the backend is not an openai backend
   * @throws dev.muse4j.RemoteApiException if the server answers with an error
   */
  public static List<String> list(Backend backend) {
    return backend.extension(OpenAiConnection.class).orElseThrow(() -> new IllegalArgumentException(
        "OpenAiModels.list needs a backend opened as 'openai', but got '" + backend.name() + "'.")).models();
  }
}

package dev.muse4j.remote;

import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.remote.internal.OpenAiConnection;
import dev.muse4j.remote.internal.RemoteSettings;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import java.util.List;
import java.util.Set;

/**
 * The provider of the remote backend {@code openai}: any OpenAI-compatible server. Found by
 * {@link java.util.ServiceLoader}; applications use {@code Muse4j.backend("openai", config)}. Opening the backend
 * makes no network call.
 *
 * <p>Thread-safe and stateless. Each backend it opens is closed by the caller.
 *
 * @since 0.1.0
 */
public final class OpenAiBackendProvider implements BackendProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public OpenAiBackendProvider() {}

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public String description() {
    return "Any OpenAI-compatible server: OpenAI, vLLM, llama-server, Ollama, LocalAI";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TEXT, Capability.IMAGE, Capability.STYLE);
  }

  @Override
  public List<BackendSetting> settings() {
    return List.of(
        BackendSetting.of("baseUrl", "The server's API root, e.g. http://localhost:8000/v1.",
            "https://api.openai.com/v1"),
        BackendSetting.of("apiKey", "Bearer token; defaults to the OPENAI_API_KEY environment variable.", null)
            .secret(),
        BackendSetting.of("organization", "OpenAI-Organization header.", null),
        BackendSetting.of("project", "OpenAI-Project header.", null),
        BackendSetting.of("extraHeaders", "More headers as comma-separated Name=value pairs; not Authorization "
            + "or OpenAI-*.", null),
        BackendSetting.of("connectTimeout", "Time to connect, e.g. 10s.", "10s"),
        BackendSetting.of("requestTimeout", "Time until the response starts, and the longest silence within it "
            + "(between stream events), e.g. 120s.", "120s"),
        BackendSetting.of("totalTimeout", "The longest a whole request may take, retries and waits included, "
            + "e.g. 10m; a request's own timeout can shorten it.", "10m"),
        BackendSetting.of("maxRetries", "Retries after connection errors, timeouts, 408, 409, 429 and 5xx.", "2"),
        BackendSetting.of("maxRetryWait", "The longest wait a server's Retry-After may ask for.", "60s"),
        BackendSetting.of("dialect", "Server kind, for non-standard fields: openai, vllm, llama.cpp, ollama, "
            + "generic.", "openai"),
        BackendSetting.of("textEndpoint", "chat (/chat/completions) or completions (the legacy /completions).",
            "chat"));
  }

  @Override
  public Availability availability() {
    return Availability.available();
  }

  @Override
  public EngineSet open(BackendConfig config) {
    return OpenAiConnection.open(RemoteSettings.from(config, System.getenv())).engines();
  }
}

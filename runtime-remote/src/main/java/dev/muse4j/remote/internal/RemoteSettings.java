package dev.muse4j.remote.internal;

import dev.muse4j.BackendConfig;
import dev.muse4j.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The openai backend's settings, checked once when it opens, so that a bad value fails at
 * {@code Muse4j.backend(...)} and not at the first request. Immutable and thread-safe; {@link #toString()} hides the
 * key.
 */
public final class RemoteSettings {
  /** Headers the backend sets itself; {@code extraHeaders} may not replace them. */
  private static final Set<String> OWN_HEADERS = Set.of("authorization", "openai-organization", "openai-project",
      "content-type", "accept");
  /** Keys shorter than this are not searched for in server text: too short to be secret, too likely to collide. */
  private static final int SHORTEST_REDACTED_KEY = 4;
  /** The longest timeout or wait a setting may give, as for a request's own timeout. */
  private static final Duration LONGEST = Duration.ofDays(7);

  final URI baseUrl;
  final @Nullable String apiKey;
  final @Nullable String organization;
  final @Nullable String project;
  final Map<String, String> extraHeaders;
  final Duration connectTimeout;
  final Duration requestTimeout;
  final Duration totalTimeout;
  final int maxRetries;
  final Duration maxRetryWait;
  final Dialect dialect;
  final boolean legacyCompletions;

  private RemoteSettings(URI baseUrl, @Nullable String apiKey, @Nullable String organization, @Nullable String project,
      Map<String, String> extraHeaders, Duration connectTimeout, Duration requestTimeout, Duration totalTimeout,
      int maxRetries, Duration maxRetryWait, Dialect dialect, boolean legacyCompletions) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.organization = organization;
    this.project = project;
    this.extraHeaders = Map.copyOf(extraHeaders);
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.totalTimeout = totalTimeout;
    this.maxRetries = maxRetries;
    this.maxRetryWait = maxRetryWait;
    this.dialect = dialect;
    this.legacyCompletions = legacyCompletions;
  }

  /** Reads the settings; the API key falls back to {@code OPENAI_API_KEY} from {@code environment}. */
  public static RemoteSettings from(BackendConfig config, Map<String, String> environment) {
    String base = config.getString("baseUrl", "https://api.openai.com/v1").trim();
    URI uri;
    try {
      uri = new URI(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    } catch (URISyntaxException e) {
      throw new ConfigurationException("baseUrl", "Setting 'baseUrl' is not a URL: " + e.getMessage()
          + ". For example: http://localhost:8000/v1.");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigurationException("baseUrl", "Setting 'baseUrl' must be an http or https URL with a host, "
          + "such as http://localhost:8000/v1, but was '" + base + "'.");
    }
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw new ConfigurationException("baseUrl", "Setting 'baseUrl' has port " + uri.getPort() + ", but a port "
          + "must be between 1 and 65535 (or left out for 80 and 443): '" + base + "'.");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigurationException("baseUrl", "Setting 'baseUrl' must not have a query or a fragment (the "
          + "endpoint paths are appended to it), but was '" + base + "'.");
    }
    try {
      HttpRequest.newBuilder(URI.create(uri + "/models"));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("baseUrl", "Setting 'baseUrl' is not a URL the JDK HTTP client can send to ("
          + e.getMessage() + "): '" + base + "'. For example: http://localhost:8000/v1.", e);
    }
    String key = config.get("apiKey").orElse(environment.get("OPENAI_API_KEY"));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String item : config.getList("extraHeaders")) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new ConfigurationException("extraHeaders", "Setting 'extraHeaders' takes comma-separated Name=value "
            + "pairs, e.g. X-Team=poetry, but had '" + item + "'.");
      }
      String name = item.substring(0, eq).trim();
      String value = item.substring(eq + 1).trim();
      if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new ConfigurationException("extraHeaders", "Setting 'extraHeaders' may not set " + name + ": the "
            + "backend sets it itself (use apiKey, organization or project for the credentials).");
      }
      try {
        HttpRequest.newBuilder().header(name, value);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("extraHeaders", "Setting 'extraHeaders' has a header the JDK HTTP client "
            + "will not send: '" + name + "' (" + e.getMessage() + ").", e);
      }
      headers.put(name, value);
    }
    int retries = config.getInt("maxRetries", 2);
    if (retries < 0 || retries > 10) {
      throw new ConfigurationException("maxRetries", "Setting 'maxRetries' must be between 0 and 10 but was "
          + retries + ".");
    }
    String endpoint = config.getString("textEndpoint", "chat");
    if (!endpoint.equals("chat") && !endpoint.equals("completions")) {
      throw new ConfigurationException("textEndpoint", "Setting 'textEndpoint' must be 'chat' (/chat/completions) "
          + "or 'completions' (the legacy /completions), but was '" + endpoint + "'.");
    }
    Duration connect = positive(config, "connectTimeout", Duration.ofSeconds(10));
    Duration request = positive(config, "requestTimeout", Duration.ofSeconds(120));
    Duration total = positive(config, "totalTimeout", Duration.ofMinutes(10));
    Duration retryWait = config.getDuration("maxRetryWait", Duration.ofSeconds(60));
    if (retryWait.compareTo(LONGEST) > 0) {
      throw new ConfigurationException("maxRetryWait", "Setting 'maxRetryWait' must be between 0 and 7 days, e.g. "
          + "60s, but was " + config.getString("maxRetryWait", "") + ".");
    }
    return new RemoteSettings(uri, blankToNull(key), blankToNull(config.get("organization").orElse(null)),
        blankToNull(config.get("project").orElse(null)), headers, connect, request, total, retries, retryWait,
        Dialect.parse(config.getString("dialect", "openai")), endpoint.equals("completions"));
  }

  /** A timeout: more than 0 and at most 7 days (longer would overflow the clocks that watch it). */
  private static Duration positive(BackendConfig config, String name, Duration fallback) {
    Duration d = config.getDuration(name, fallback);
    if (d.isZero() || d.compareTo(LONGEST) > 0) {
      throw new ConfigurationException(name, "Setting '" + name + "' must be more than 0 and at most 7 days, "
          + "e.g. 30s, but was " + config.getString(name, "") + ".");
    }
    return d;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  URI endpoint(String path) {
    return URI.create(baseUrl + path);
  }

  Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /**
   * Text that came from a server or a library, with the API key masked, for messages: a proxy that echoes the
   * {@code Authorization} header must not carry the key into an exception or a log.
   */
  String redact(String text) {
    String key = apiKey;
    return key == null || key.length() < SHORTEST_REDACTED_KEY ? text : text.replace(key, "****");
  }

  @Override
  public String toString() {
    return "RemoteSettings{baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "****") + ", dialect="
        + dialect.settingName + ", maxRetries=" + maxRetries + "}";
  }
}

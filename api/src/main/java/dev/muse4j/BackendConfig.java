package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A backend's settings: string values by name, with typed getters. Built in code, from {@link Properties}, or from
 * environment variables. Each backend declares the settings it understands (see {@link BackendInfo#settings()});
 * {@link Muse4j#backend(String, BackendConfig)} rejects unknown names with a "did you mean" hint.
 *
 * <pre>{@code
 * BackendConfig.builder().set("executionProvider", "cuda,cpu").set("intraOpThreads", 4).build();
 * BackendConfig.fromProperties(props, "muse4j.onnx.");   // muse4j.onnx.executionProvider=cpu
 * BackendConfig.fromEnvironment("openai");               // MUSE4J_OPENAI_BASE_URL -> baseUrl
 * }</pre>
 *
 * <p>Besides the named settings, a config carries two objects for the core: the {@link #executor() executor} that
 * runs asynchronous work, and the {@link #listener() lifecycle listener}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks secrets: any setting whose name ends in {@code key},
 * {@code secret}, {@code password}, {@code token} or {@code credentials} (any case) shows as {@code ****}. A
 * malformed value raises a {@link ConfigurationException} that names the setting but not a secret's value.
 *
 * @since 0.1.0
 */
public final class BackendConfig {
  private static final BackendConfig EMPTY = new BackendConfig(Map.of(), null, GenerationListener.NOOP);
  private static final Pattern SECRET = Pattern.compile("(?i).*(key|secret|password|token|credentials)");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

  private final Map<String, String> values;
  private final @Nullable Executor executor;
  private final GenerationListener listener;

  private BackendConfig(Map<String, String> values, @Nullable Executor executor, GenerationListener listener) {
    this.values = values;
    this.executor = executor;
    this.listener = listener;
  }

  /**
   * No settings: every backend default applies.
   *
   * @return the empty config
   */
  public static BackendConfig empty() {
    return EMPTY;
  }

  /**
   * Starts an empty builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads settings from properties whose names start with {@code prefix}; the rest of the name is the setting.
   *
   * @param properties the properties
   * @param prefix for example {@code "muse4j.onnx."}; empty to take every property
   * @return the config
   */
  public static BackendConfig fromProperties(Properties properties, String prefix) {
    Checks.notNull(properties, "properties");
    Checks.notNull(prefix, "prefix");
    Builder b = builder();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        b.set(name.substring(prefix.length()), properties.getProperty(name).trim());
      }
    }
    return b.build();
  }

  /**
   * Reads every property as a setting.
   *
   * @param properties the properties
   * @return the config
   */
  public static BackendConfig fromProperties(Properties properties) {
    return fromProperties(properties, "");
  }

  /**
   * Reads settings for one backend from the process environment: {@code MUSE4J_<BACKEND>_<SETTING>} in upper snake
   * case, for example {@code MUSE4J_OPENAI_BASE_URL} for the {@code openai} backend's {@code baseUrl}, or
   * {@code MUSE4J_ONNX_EXECUTION_PROVIDER} for {@code onnx}'s {@code executionProvider}.
   *
   * @param backend the backend's name
   * @return the config
   */
  public static BackendConfig fromEnvironment(String backend) {
    Checks.notNull(backend, "backend");
    return fromEnvironment(backend, System.getenv());
  }

  /**
   * Like {@link #fromEnvironment(String)}, reading from the given variables instead of the process environment.
   *
   * @param backend the backend's name
   * @param environment variable names to values
   * @return the config
   */
  public static BackendConfig fromEnvironment(String backend, Map<String, String> environment) {
    Checks.notNull(backend, "backend");
    Checks.notNull(environment, "environment");
    String prefix = "MUSE4J_" + backend.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
    Builder b = builder();
    for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
      String var = e.getKey();
      if (var.startsWith(prefix) && var.length() > prefix.length()) {
        b.set(camelCase(var.substring(prefix.length())), e.getValue().trim());
      }
    }
    return b.build();
  }

  static String camelCase(String upperSnake) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = sb.length() > 0;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /**
   * A copy with one more (or a replaced) setting.
   *
   * @param name the setting
   * @param value its value
   * @return the changed copy
   */
  public BackendConfig with(String name, String value) {
    return toBuilder().set(name, value).build();
  }

  /**
   * A copy whose backend runs {@code generateAsync} and {@code transferAsync} work on {@code executor}. Without one,
   * each backend keeps its own small pool of daemon threads, which it shuts down when it closes. Muse4j never shuts
   * down an executor the user gave.
   *
   * @param executor the executor
   * @return the changed copy
   * @since 0.2.0
   */
  public BackendConfig withExecutor(Executor executor) {
    return toBuilder().executor(executor).build();
  }

  /**
   * A copy whose backend tells {@code listener} when each generation starts, first produces output, ends or fails;
   * this is where metrics and logs attach (see {@link GenerationListener}).
   *
   * @param listener the listener
   * @return the changed copy
   * @since 0.2.0
   */
  public BackendConfig withListener(GenerationListener listener) {
    return toBuilder().listener(listener).build();
  }

  /**
   * The executor for asynchronous work, if one was set.
   *
   * @return the executor
   * @since 0.2.0
   */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /**
   * The lifecycle listener; {@link GenerationListener#NOOP} unless one was set.
   *
   * @return the listener
   * @since 0.2.0
   */
  public GenerationListener listener() {
    return listener;
  }

  /**
   * A copy where {@code overrides}' settings replace this config's.
   *
   * @param overrides the settings that win
   * @return the merged config
   */
  public BackendConfig merge(BackendConfig overrides) {
    Checks.notNull(overrides, "overrides");
    Builder b = toBuilder();
    overrides.values.forEach(b::set);
    return b.build();
  }

  /**
   * A builder holding this config's settings.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    b.executor = executor;
    b.listener = listener;
    return b;
  }

  /**
   * The names of the settings present.
   *
   * @return the names, sorted
   */
  public Set<String> names() {
    return values.keySet();
  }

  /**
   * Whether a setting is present.
   *
   * @param name the setting
   * @return {@code true} if present
   */
  public boolean has(String name) {
    Checks.notNull(name, "name");
    return values.containsKey(name);
  }

  /**
   * A setting's raw value.
   *
   * @param name the setting
   * @return the value, or empty
   */
  public Optional<String> get(String name) {
    Checks.notNull(name, "name");
    return Optional.ofNullable(values.get(name));
  }

  /**
   * A string setting.
   *
   * @param name the setting
   * @param defaultValue used when absent
   * @return the value
   */
  public String getString(String name, String defaultValue) {
    Checks.notNull(name, "name");
    Checks.notNull(defaultValue, "defaultValue");
    return values.getOrDefault(name, defaultValue);
  }

  /**
   * An integer setting.
   *
   * @param name the setting
   * @param defaultValue used when absent
   * @return the value
   * @throws ConfigurationException if present but not an integer
   */
  public int getInt(String name, int defaultValue) {
    String v = values.get(Checks.notNull(name, "name"));
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw malformed(name, v, "an integer", "4", e);
    }
  }

  /**
   * A long setting.
   *
   * @param name the setting
   * @param defaultValue used when absent
   * @return the value
   * @throws ConfigurationException if present but not an integer
   */
  public long getLong(String name, long defaultValue) {
    String v = values.get(Checks.notNull(name, "name"));
    if (v == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw malformed(name, v, "an integer", "42", e);
    }
  }

  /**
   * A decimal setting.
   *
   * @param name the setting
   * @param defaultValue used when absent
   * @return the value
   * @throws ConfigurationException if present but not a finite number
   */
  public double getDouble(String name, double defaultValue) {
    String v = values.get(Checks.notNull(name, "name"));
    if (v == null) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException("not finite");
      }
      return d;
    } catch (NumberFormatException e) {
      throw malformed(name, v, "a finite number", "0.5", e);
    }
  }

  /**
   * A boolean setting: {@code true}/{@code false}, {@code yes}/{@code no} or {@code 1}/{@code 0}, any case.
   *
   * @param name the setting
   * @param defaultValue used when absent
   * @return the value
   * @throws ConfigurationException if present but not a boolean
   */
  public boolean getBoolean(String name, boolean defaultValue) {
    String v = values.get(Checks.notNull(name, "name"));
    if (v == null) {
      return defaultValue;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "1":
        return true;
      case "false": case "no": case "0":
        return false;
      default:
        throw malformed(name, v, "true or false", "true", null);
    }
  }

  /**
   * A duration setting: a whole number with an optional unit ({@code ms}, {@code s}, {@code m}, {@code h}; no unit
   * means seconds), or ISO-8601 such as {@code PT30S}.
   *
   * @param name the setting
   * @param defaultValue used when absent
   * @return the value
   * @throws ConfigurationException if present but not a duration, or negative
   */
  public Duration getDuration(String name, Duration defaultValue) {
    Checks.notNull(defaultValue, "defaultValue");
    String v = values.get(Checks.notNull(name, "name"));
    if (v == null) {
      return defaultValue;
    }
    Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
          case "ms": return Duration.ofMillis(n);
          case "m": return Duration.ofMinutes(n);
          case "h": return Duration.ofHours(n);
          default: return Duration.ofSeconds(n);
        }
      }
      Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
      if (d.isNegative()) {
        throw malformed(name, v, "a duration that is not negative", "30s", null);
      }
      return d;
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      throw malformed(name, v, "a duration such as 500ms, 30s, 2m or PT30S", "30s", e);
    }
  }

  /**
   * A comma-separated list setting; items are trimmed and empty items dropped.
   *
   * @param name the setting
   * @return the items; empty when absent
   */
  public List<String> getList(String name) {
    String v = values.get(Checks.notNull(name, "name"));
    if (v == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    for (String item : v.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return Collections.unmodifiableList(items);
  }

  /**
   * Whether a setting's name marks it as secret (its value is never shown).
   *
   * @param name the setting
   * @return {@code true} for names such as {@code apiKey}
   */
  public static boolean isSecret(String name) {
    Checks.notNull(name, "name");
    return SECRET.matcher(name).matches();
  }

  private ConfigurationException malformed(
      String name, String value, String expected, String example, @Nullable Throwable cause) {
    String shown = isSecret(name) ? "a value (hidden, it is a secret)" : "'" + value + "'";
    return new ConfigurationException(name, "Setting '" + name + "' must be " + expected + ", but was " + shown
        + ". For example: " + name + "=" + example + ".", cause);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof BackendConfig)) {
      return false;
    }
    BackendConfig other = (BackendConfig) o;
    return other.values.equals(values) && other.executor == executor && other.listener == listener;
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Lists the settings with secret values masked, for example {@code BackendConfig{apiKey=****, baseUrl=...}}. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "BackendConfig{", "}");
    values.forEach((k, v) -> j.add(k + "=" + (isSecret(k) ? "****" : v)));
    if (executor != null) {
      j.add("executor=" + executor.getClass().getName());
    }
    if (listener != GenerationListener.NOOP) {
      j.add("listener=" + listener.getClass().getName());
    }
    return j.toString();
  }

  /**
   * Builds a {@link BackendConfig}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, String> values = new TreeMap<>();
    private @Nullable Executor executor;
    private GenerationListener listener = GenerationListener.NOOP;

    private Builder() {}

    /**
     * Sets the executor for asynchronous work; see {@link BackendConfig#withExecutor(Executor)}.
     *
     * @param executor the executor
     * @return this builder
     * @since 0.2.0
     */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull(executor, "executor");
      return this;
    }

    /**
     * Sets the lifecycle listener; see {@link BackendConfig#withListener(GenerationListener)}.
     *
     * @param listener the listener
     * @return this builder
     * @since 0.2.0
     */
    public Builder listener(GenerationListener listener) {
      this.listener = Checks.notNull(listener, "listener");
      return this;
    }

    /**
     * Sets a setting.
     *
     * @param name the setting's name: letters, digits, {@code . _ -}, starting with a letter
     * @param value its value
     * @return this builder
     */
    public Builder set(String name, String value) {
      Checks.notNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new ConfigurationException(name, "Setting name '" + name + "' is not valid: use letters, digits, "
            + "'.', '_' or '-', starting with a letter (for example executionProvider).");
      }
      if (value == null) {
        throw new InvalidRequestException("value", "The value of setting '" + name + "' must not be null; leave "
            + "the setting out instead.");
      }
      values.put(name, value);
      return this;
    }

    /**
     * Sets a numeric or boolean setting from its string form.
     *
     * @param name the setting's name
     * @param value its value
     * @return this builder
     */
    public Builder set(String name, Object value) {
      return set(name, String.valueOf(Checks.notNull(value, "value")));
    }

    /**
     * Removes a setting.
     *
     * @param name the setting's name
     * @return this builder
     */
    public Builder remove(String name) {
      Checks.notNull(name, "name");
      values.remove(name);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     */
    public BackendConfig build() {
      if (values.isEmpty() && executor == null && listener == GenerationListener.NOOP) {
        return EMPTY;
      }
      return new BackendConfig(Collections.unmodifiableMap(new TreeMap<>(values)), executor, listener);
    }
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * How tokens are chosen: temperature, truncation (top-k, top-p, min-p), penalties, length, stop strings and seed.
 *
 * <p>Every field may be unset. An unset field is filled from the next source in a fixed order of precedence:
 * <strong>the request's config, then the generator's default config, then the model's own generation config</strong>
 * (for example {@code generation_config.json}); see {@link #resolve(SamplingConfig, SamplingConfig, SamplingConfig)}.
 * A local backend fills whatever is still unset from {@link #defaults()}; a remote backend leaves it to the server.
 *
 * <p>Instances are immutable and thread-safe; {@link #toBuilder()} derives a changed copy. Values are validated by
 * {@link Builder#build()}, which throws an {@link InvalidRequestException} naming the field, the bad value and the
 * allowed range.
 *
 * <pre>{@code
 * SamplingConfig poetic = SamplingConfig.builder().temperature(0.8).topP(0.95).maxTokens(80).seed(42).build();
 * SamplingConfig longer = poetic.toBuilder().maxTokens(200).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SamplingConfig {
  /** At most this many stop strings. */
  public static final int MAX_STOP_SEQUENCES = 16;

  private static final SamplingConfig EMPTY = new Builder().build();
  private static final SamplingConfig GREEDY = new Builder().temperature(0.0).build();
  private static final SamplingConfig DEFAULTS =
      new Builder().temperature(1.0).topP(1.0).maxTokens(256).build();

  private final @Nullable Double temperature;
  private final @Nullable Integer topK;
  private final @Nullable Double topP;
  private final @Nullable Double minP;
  private final @Nullable Double repetitionPenalty;
  private final @Nullable Double presencePenalty;
  private final @Nullable Double frequencyPenalty;
  private final @Nullable Integer maxTokens;
  private final @Nullable List<String> stop;
  private final @Nullable Long seed;
  private final Map<String, Object> extras;

  private SamplingConfig(Builder b) {
    this.temperature = b.temperature;
    this.topK = b.topK;
    this.topP = b.topP;
    this.minP = b.minP;
    this.repetitionPenalty = b.repetitionPenalty;
    this.presencePenalty = b.presencePenalty;
    this.frequencyPenalty = b.frequencyPenalty;
    this.maxTokens = b.maxTokens;
    this.stop = b.stop == null ? null : List.copyOf(b.stop);
    this.seed = b.seed;
    this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(b.extras));
  }

  /**
   * A config with every field unset: everything comes from the generator default or the model.
   *
   * @return the empty config
   */
  public static SamplingConfig empty() {
    return EMPTY;
  }

  /**
   * Greedy decoding: temperature 0, so the most likely token is always chosen and a seed does not matter.
   *
   * @return the greedy config
   */
  public static SamplingConfig greedy() {
    return GREEDY;
  }

  /**
   * The built-in fallback a local backend uses for fields still unset after precedence: temperature 1.0, top-p 1.0
   * (no truncation) and at most 256 new tokens. Everything else stays unset, which means "off".
   *
   * @return the built-in defaults
   */
  public static SamplingConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts an empty builder.
   *
   * @return a builder with every field unset
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this config's values.
   *
   * @return a builder to derive a changed copy
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topK = topK;
    b.topP = topP;
    b.minP = minP;
    b.repetitionPenalty = repetitionPenalty;
    b.presencePenalty = presencePenalty;
    b.frequencyPenalty = frequencyPenalty;
    b.maxTokens = maxTokens;
    b.stop = stop;
    b.seed = seed;
    b.extras.putAll(extras);
    return b;
  }

  /**
   * Applies the precedence rule once: each field comes from {@code request} if set there, else from
   * {@code generatorDefault}, else from {@code modelDefault}. Extras merge key by key with the same precedence.
   *
   * @param request the per-request config
   * @param generatorDefault the generator's default config
   * @param modelDefault the model's own generation config
   * @return the resolved config
   */
  public static SamplingConfig resolve(
      SamplingConfig request, SamplingConfig generatorDefault, SamplingConfig modelDefault) {
    Checks.notNull(request, "request");
    Checks.notNull(generatorDefault, "generatorDefault");
    Checks.notNull(modelDefault, "modelDefault");
    return request.withDefaults(generatorDefault).withDefaults(modelDefault);
  }

  /**
   * Fills every unset field of this config from {@code fallback}; set fields win.
   *
   * @param fallback where unset fields come from
   * @return the combined config (this instance if nothing changes)
   */
  public SamplingConfig withDefaults(SamplingConfig fallback) {
    Checks.notNull(fallback, "fallback");
    if (fallback.isEmpty() || fallback == this) {
      return this;
    }
    Builder b = toBuilder();
    b.temperature = first(temperature, fallback.temperature);
    b.topK = first(topK, fallback.topK);
    b.topP = first(topP, fallback.topP);
    b.minP = first(minP, fallback.minP);
    b.repetitionPenalty = first(repetitionPenalty, fallback.repetitionPenalty);
    b.presencePenalty = first(presencePenalty, fallback.presencePenalty);
    b.frequencyPenalty = first(frequencyPenalty, fallback.frequencyPenalty);
    b.maxTokens = first(maxTokens, fallback.maxTokens);
    b.stop = first(stop, fallback.stop);
    b.seed = first(seed, fallback.seed);
    b.extras.clear();
    b.extras.putAll(fallback.extras);
    b.extras.putAll(extras);
    return b.build();
  }

  private static <T> @Nullable T first(@Nullable T a, @Nullable T b) {
    return a != null ? a : b;
  }

  /**
   * Whether no field is set.
   *
   * @return {@code true} for the empty config
   */
  public boolean isEmpty() {
    return equals(EMPTY);
  }

  /**
   * Whether this config always picks the most likely token (temperature 0 or top-k 1).
   *
   * @return {@code true} if decoding is greedy
   */
  public boolean isGreedy() {
    return (temperature != null && temperature == 0.0) || (topK != null && topK == 1);
  }

  /**
   * Softmax temperature; 0 means greedy (argmax). Higher is more adventurous.
   *
   * @return the temperature, if set
   */
  public OptionalDouble temperature() {
    return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
  }

  /**
   * Keep only the {@code k} most likely tokens.
   *
   * @return top-k, if set
   */
  public OptionalInt topK() {
    return topK == null ? OptionalInt.empty() : OptionalInt.of(topK);
  }

  /**
   * Nucleus sampling: keep the smallest set of tokens whose probabilities add up to at least {@code p}.
   *
   * @return top-p, if set
   */
  public OptionalDouble topP() {
    return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
  }

  /**
   * Drop tokens whose probability is below {@code minP} times the most likely token's.
   *
   * @return min-p, if set
   */
  public OptionalDouble minP() {
    return minP == null ? OptionalDouble.empty() : OptionalDouble.of(minP);
  }

  /**
   * Multiplicative penalty for tokens already seen (prompt included); 1 is off, above 1 discourages repeats.
   *
   * @return the repetition penalty, if set
   */
  public OptionalDouble repetitionPenalty() {
    return repetitionPenalty == null ? OptionalDouble.empty() : OptionalDouble.of(repetitionPenalty);
  }

  /**
   * OpenAI-style additive penalty for any generated token that already appeared in the output.
   *
   * @return the presence penalty, if set
   */
  public OptionalDouble presencePenalty() {
    return presencePenalty == null ? OptionalDouble.empty() : OptionalDouble.of(presencePenalty);
  }

  /**
   * OpenAI-style additive penalty proportional to how often a token already appeared in the output.
   *
   * @return the frequency penalty, if set
   */
  public OptionalDouble frequencyPenalty() {
    return frequencyPenalty == null ? OptionalDouble.empty() : OptionalDouble.of(frequencyPenalty);
  }

  /**
   * The most new tokens to generate.
   *
   * @return the limit, if set
   */
  public OptionalInt maxTokens() {
    return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
  }

  /**
   * Strings that end generation; the output is cut before the first match.
   *
   * @return the stop strings, if set (an empty list means "none", overriding defaults)
   */
  public Optional<List<String>> stop() {
    return Optional.ofNullable(stop);
  }

  /**
   * The random seed. With a seed, a local backend repeats its output exactly on the same machine and build.
   *
   * @return the seed, if set
   */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /**
   * Backend-specific extras that have no field here (for a remote backend, raw JSON body fields). Values are JSON-like:
   * strings, numbers, booleans, lists and maps of those.
   *
   * @return an unmodifiable map, possibly empty
   */
  public Map<String, Object> extras() {
    return extras;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SamplingConfig)) {
      return false;
    }
    SamplingConfig that = (SamplingConfig) o;
    return Objects.equals(temperature, that.temperature)
        && Objects.equals(topK, that.topK)
        && Objects.equals(topP, that.topP)
        && Objects.equals(minP, that.minP)
        && Objects.equals(repetitionPenalty, that.repetitionPenalty)
        && Objects.equals(presencePenalty, that.presencePenalty)
        && Objects.equals(frequencyPenalty, that.frequencyPenalty)
        && Objects.equals(maxTokens, that.maxTokens)
        && Objects.equals(stop, that.stop)
        && Objects.equals(seed, that.seed)
        && extras.equals(that.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty,
        maxTokens, stop, seed, extras);
  }

  /** Lists the set fields only, for example {@code SamplingConfig{temperature=0.8, seed=42}}. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "SamplingConfig{", "}");
    add(j, "temperature", temperature);
    add(j, "topK", topK);
    add(j, "topP", topP);
    add(j, "minP", minP);
    add(j, "repetitionPenalty", repetitionPenalty);
    add(j, "presencePenalty", presencePenalty);
    add(j, "frequencyPenalty", frequencyPenalty);
    add(j, "maxTokens", maxTokens);
    add(j, "stop", stop);
    add(j, "seed", seed);
    if (!extras.isEmpty()) {
      j.add("extras=" + extras);
    }
    return j.toString();
  }

  private static void add(StringJoiner j, String name, @Nullable Object value) {
    if (value != null) {
      j.add(name + "=" + value);
    }
  }

  /**
   * Builds a {@link SamplingConfig}. Passing {@code null} to a setter unsets that field. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Double temperature;
    private @Nullable Integer topK;
    private @Nullable Double topP;
    private @Nullable Double minP;
    private @Nullable Double repetitionPenalty;
    private @Nullable Double presencePenalty;
    private @Nullable Double frequencyPenalty;
    private @Nullable Integer maxTokens;
    private @Nullable List<String> stop;
    private @Nullable Long seed;
    private final Map<String, Object> extras = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the temperature, at least 0 (0 = greedy).
     *
     * @param temperature the temperature, or {@code null} to unset
     * @return this builder
     */
    public Builder temperature(@Nullable Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Sets top-k, at least 1.
     *
     * @param topK top-k, or {@code null} to unset
     * @return this builder
     */
    public Builder topK(@Nullable Integer topK) {
      this.topK = topK;
      return this;
    }

    /**
     * Sets top-p, greater than 0 and at most 1.
     *
     * @param topP top-p, or {@code null} to unset
     * @return this builder
     */
    public Builder topP(@Nullable Double topP) {
      this.topP = topP;
      return this;
    }

    /**
     * Sets min-p, between 0 and 1.
     *
     * @param minP min-p, or {@code null} to unset
     * @return this builder
     */
    public Builder minP(@Nullable Double minP) {
      this.minP = minP;
      return this;
    }

    /**
     * Sets the repetition penalty, greater than 0 (1 = off).
     *
     * @param repetitionPenalty the penalty, or {@code null} to unset
     * @return this builder
     */
    public Builder repetitionPenalty(@Nullable Double repetitionPenalty) {
      this.repetitionPenalty = repetitionPenalty;
      return this;
    }

    /**
     * Sets the presence penalty, between -2 and 2.
     *
     * @param presencePenalty the penalty, or {@code null} to unset
     * @return this builder
     */
    public Builder presencePenalty(@Nullable Double presencePenalty) {
      this.presencePenalty = presencePenalty;
      return this;
    }

    /**
     * Sets the frequency penalty, between -2 and 2.
     *
     * @param frequencyPenalty the penalty, or {@code null} to unset
     * @return this builder
     */
    public Builder frequencyPenalty(@Nullable Double frequencyPenalty) {
      this.frequencyPenalty = frequencyPenalty;
      return this;
    }

    /**
     * Sets the most new tokens, at least 1.
     *
     * @param maxTokens the limit, or {@code null} to unset
     * @return this builder
     */
    public Builder maxTokens(@Nullable Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sets the stop strings: at most {@value SamplingConfig#MAX_STOP_SEQUENCES}, none empty.
     *
     * @param stop the stop strings, or {@code null} to unset
     * @return this builder
     */
    public Builder stop(@Nullable List<String> stop) {
      this.stop = stop == null ? null : new ArrayList<>(stop);
      return this;
    }

    /**
     * Sets the stop strings.
     *
     * @param stop the stop strings
     * @return this builder
     */
    public Builder stop(String... stop) {
      return stop(Arrays.asList(Checks.notNull(stop, "stop")));
    }

    /**
     * Sets the random seed; any value is allowed.
     *
     * @param seed the seed, or {@code null} to unset
     * @return this builder
     */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the random seed.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Adds a backend-specific extra, for example a raw JSON body field for a remote server.
     *
     * @param name the extra's name
     * @param value a string, number, boolean, or a list or map of those; {@code null} removes the extra
     * @return this builder
     */
    public Builder extra(String name, @Nullable Object value) {
      Checks.notBlank(name, "extras");
      if (value == null) {
        extras.remove(name);
      } else {
        extras.put(name, jsonValue(value, "extras." + name));
      }
      return this;
    }

    /**
     * Validates the values and builds the config.
     *
     * @return the config
     * @throws InvalidRequestException naming the first invalid field
     */
    public SamplingConfig build() {
      if (temperature != null) {
        Checks.inRange(temperature, 0.0, Double.MAX_VALUE, "temperature",
            "Use 0 for greedy decoding, or a value such as 0.7 for varied text.");
      }
      if (topK != null) {
        Checks.inRange(topK, 1, Integer.MAX_VALUE, "topK", "Use 1 for greedy, or a value such as 40.");
      }
      if (topP != null) {
        Checks.inHalfOpenRange(topP, 0.0, 1.0, "topP", "Use 1 to turn nucleus sampling off.");
      }
      if (minP != null) {
        Checks.inRange(minP, 0.0, 1.0, "minP", "Use 0 to turn min-p off, or a value such as 0.05.");
      }
      if (repetitionPenalty != null) {
        Checks.inHalfOpenRange(repetitionPenalty, 0.0, Double.MAX_VALUE, "repetitionPenalty",
            "Use 1 to turn it off, or a value such as 1.1 to discourage repeats.");
      }
      if (presencePenalty != null) {
        Checks.inRange(presencePenalty, -2.0, 2.0, "presencePenalty", "Use 0 to turn it off.");
      }
      if (frequencyPenalty != null) {
        Checks.inRange(frequencyPenalty, -2.0, 2.0, "frequencyPenalty", "Use 0 to turn it off.");
      }
      if (maxTokens != null) {
        Checks.inRange(maxTokens, 1, Integer.MAX_VALUE, "maxTokens", "");
      }
      if (stop != null) {
        if (stop.size() > MAX_STOP_SEQUENCES) {
          throw new InvalidRequestException("stop", "stop may hold at most " + MAX_STOP_SEQUENCES
              + " strings but held " + stop.size() + "; merge or drop some.");
        }
        for (int i = 0; i < stop.size(); i++) {
          String s = stop.get(i);
          if (s == null || s.isEmpty()) {
            throw new InvalidRequestException("stop", "stop[" + i + "] must be a non-empty string but was "
                + (s == null ? "null" : "empty") + "; remove it.");
          }
        }
      }
      return new SamplingConfig(this);
    }

    private static Object jsonValue(Object value, String path) {
      if (value instanceof String || value instanceof Boolean) {
        return value;
      }
      if (value instanceof Number) {
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new InvalidRequestException("extras", path + " must be a finite number but was " + value + ".");
        }
        return value;
      }
      if (value instanceof List) {
        List<Object> copy = new ArrayList<>();
        int i = 0;
        for (Object o : (List<?>) value) {
          copy.add(jsonValue(Checks.notNull(o, path + "[" + i + "]"), path + "[" + i + "]"));
          i++;
        }
        return Collections.unmodifiableList(copy);
      }
      if (value instanceof Map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          if (!(e.getKey() instanceof String)) {
            throw new InvalidRequestException("extras", path + " must have string keys but had " + e.getKey() + ".");
          }
          String key = (String) e.getKey();
          copy.put(key, jsonValue(Checks.notNull(e.getValue(), path + "." + key), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
      }
      throw new InvalidRequestException("extras", path + " must be a string, number, boolean, list or map but was a "
          + value.getClass().getName() + ".");
    }
  }
}

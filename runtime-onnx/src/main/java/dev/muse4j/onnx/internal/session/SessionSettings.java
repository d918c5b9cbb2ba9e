package dev.muse4j.onnx.internal.session;

import dev.muse4j.BackendConfig;
import dev.muse4j.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The onnx backend's session settings, parsed and checked once when the backend opens: the execution provider
 * preference list and fallback policy, the GPU index, thread counts and the graph optimization level.
 *
 * <p>Immutable and thread-safe; holds no resources.
 *
 * @since 0.1.0
 */
public final class SessionSettings {
  /**
   * What to do when a preferred execution provider is missing or does not start.
   *
   * @since 0.1.0
   */
  public enum Fallback {
    /** Use the next provider in the list, with a WARN log line saying why. */
    WARN,
    /** Refuse with a {@link dev.muse4j.BackendUnavailableException} saying what to change. */
    FAIL
  }

  private final List<ExecutionProvider> providers;
  private final Fallback fallback;
  private final int deviceId;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final String optimizationLevel;

  private SessionSettings(List<ExecutionProvider> providers, Fallback fallback, int deviceId, int intraOpThreads,
      int interOpThreads, String optimizationLevel) {
    this.providers = List.copyOf(providers);
    this.fallback = fallback;
    this.deviceId = deviceId;
    this.intraOpThreads = intraOpThreads;
    this.interOpThreads = interOpThreads;
    this.optimizationLevel = optimizationLevel;
  }

  /**
   * Reads and checks the settings.
   *
   * @param config the backend's configuration
   * @return the settings
   * @throws ConfigurationException naming the setting and the allowed values when one is wrong
   */
  public static SessionSettings from(BackendConfig config) {
    List<ExecutionProvider> providers = new ArrayList<>();
    List<String> names = config.getList("executionProvider");
    for (String name : names.isEmpty() ? List.of("cpu") : names) {
      ExecutionProvider p = ExecutionProvider.parse(name);
      if (!providers.contains(p)) {
        providers.add(p);
      }
    }
    String fallbackName = config.getString("executionProviderFallback", "warn").toLowerCase(Locale.ROOT);
    Fallback fallback;
    switch (fallbackName) {
      case "warn": fallback = Fallback.WARN; break;
      case "fail": fallback = Fallback.FAIL; break;
      default:
        throw new ConfigurationException("executionProviderFallback", "Setting 'executionProviderFallback' must be "
            + "'warn' (use the next provider and log why) or 'fail', but was '" + fallbackName + "'.");
    }
    int intra = config.getInt("intraOpThreads", 0);
    int inter = config.getInt("interOpThreads", 0);
    int device = config.getInt("deviceId", 0);
    for (String[] s : new String[][] {{"intraOpThreads", "" + intra}, {"interOpThreads", "" + inter},
        {"deviceId", "" + device}}) {
      if (Integer.parseInt(s[1]) < 0) {
        throw new ConfigurationException(s[0], "Setting '" + s[0] + "' must be 0 or more but was " + s[1]
            + " (0 lets ONNX Runtime choose).");
      }
    }
    String level = config.getString("optimizationLevel", "all").toLowerCase(Locale.ROOT);
    if (!List.of("all", "extended", "basic", "none").contains(level)) {
      throw new ConfigurationException("optimizationLevel", "Setting 'optimizationLevel' must be one of all, "
          + "extended, basic, none, but was '" + level + "'.");
    }
    return new SessionSettings(providers, fallback, device, intra, inter, level);
  }

  /**
   * The preferred execution providers, in order, without repeats.
   *
   * @return the value
   */
  public List<ExecutionProvider> providers() {
    return providers;
  }

  /**
   * The fallback policy.
   *
   * @return the value
   */
  public Fallback fallback() {
    return fallback;
  }

  /**
   * The GPU index for cuda and directml.
   *
   * @return the value
   */
  public int deviceId() {
    return deviceId;
  }

  /**
   * Threads within an operator; 0 lets ONNX Runtime choose.
   *
   * @return the value
   */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /**
   * Threads across operators; 0 lets ONNX Runtime choose.
   *
   * @return the value
   */
  public int interOpThreads() {
    return interOpThreads;
  }

  /**
   * The graph optimization level: all, extended, basic or none.
   *
   * @return the value
   */
  public String optimizationLevel() {
    return optimizationLevel;
  }
}

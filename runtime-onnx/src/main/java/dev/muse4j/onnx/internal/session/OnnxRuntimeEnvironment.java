package dev.muse4j.onnx.internal.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import dev.muse4j.onnx.internal.natives.NativeLibraries;
import dev.muse4j.onnx.internal.natives.VendorTelemetry;
import java.util.EnumSet;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way into ONNX Runtime: prepares its native libraries ({@link NativeLibraries}), then creates the shared
 * {@link OrtEnvironment} with Muse4j's log level and without telemetry.
 *
 * <p>Settings, as system properties because the environment is process-wide and exists before any backend
 * configuration is read ({@code Muse4j} asks the provider's availability first):
 * <ul>
 *   <li>{@value #LOG_LEVEL_PROPERTY}: the level of ONNX Runtime's own log, which it writes to stderr:
 *       {@code verbose}, {@code info}, {@code warning}, {@code error} or {@code fatal} (default). Every error that
 *       ONNX Runtime returns reaches the user as a Muse4j exception or WARN line, so its own error lines would only
 *       repeat them. The Java API has no log callback, so these lines cannot go through SLF4J.
 *   <li>{@value #TELEMETRY_PROPERTY}: {@code true} leaves ONNX Runtime's telemetry on; by default Muse4j turns it
 *       off as soon as the environment exists.
 * </ul>
 *
 * <p>Thread-safe: the environment is created once; concurrent first calls wait for it.
 *
 * @since 0.1.0
 */
public final class OnnxRuntimeEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeEnvironment.class);

  /** The system property that sets ONNX Runtime's log level. */
  public static final String LOG_LEVEL_PROPERTY = "muse4j.onnx.logLevel";
  /** The system property that opts in to ONNX Runtime's telemetry. */
  public static final String TELEMETRY_PROPERTY = VendorTelemetry.PROPERTY;
  /** The logger id ONNX Runtime prints in its log lines. */
  static final String LOG_ID = "muse4j";

  private static final Object LOCK = new Object();
  private static @Nullable OrtEnvironment environment;

  private OnnxRuntimeEnvironment() {}

  /**
   * The shared environment, created on first use. ONNX Runtime keeps one per process; it is never closed while the
   * JVM runs.
   *
   * @return the environment
   * @throws RuntimeException or {@link LinkageError} if ONNX Runtime's native library does not load
   */
  public static OrtEnvironment get() {
    synchronized (LOCK) {
      OrtEnvironment env = environment;
      if (env == null) {
        NativeLibraries.prepare();
        env = OrtEnvironment.getEnvironment(logLevel(System.getProperty(LOG_LEVEL_PROPERTY)), LOG_ID);
        boolean telemetry = VendorTelemetry.optedIn();
        try {
          env.setTelemetry(telemetry);
        } catch (OrtException e) {
          LOG.debug("ONNX Runtime refused to turn its telemetry {}: {}", telemetry ? "on" : "off", e.getMessage());
        }
        LOG.debug("ONNX Runtime {} ready, telemetry {}", env.getVersion(), telemetry ? "on" : "off");
        environment = env;
      }
      return env;
    }
  }

  /**
   * The execution providers in the ONNX Runtime build on the class path; loads ONNX Runtime as {@link #get()} does.
   *
   * @return the providers
   */
  public static EnumSet<OrtProvider> availableProviders() {
    get();
    return OrtEnvironment.getAvailableProviders();
  }

  static OrtLoggingLevel logLevel(@Nullable String name) {
    if (name == null || name.isBlank()) {
      return OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "verbose": return OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE;
      case "info": return OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO;
      case "warning": return OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;
      case "error": return OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
      case "fatal": return OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
      default:
        LOG.warn("System property {} must be verbose, info, warning, error or fatal, but was '{}'; using fatal.",
            LOG_LEVEL_PROPERTY, name);
        return OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }
  }
}

package dev.muse4j.onnx.internal.natives;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the onnx backend's third-party libraries from reporting usage unless the user opts in with the system
 * property {@value #PROPERTY}{@code =true}.
 *
 * <ul>
 *   <li>ONNX Runtime: the environment's telemetry is switched off as soon as the environment exists
 *       ({@code OrtEnvironment.setTelemetry(false)}); see {@code OnnxRuntimeEnvironment}.
 *   <li>DJL's tokenizers: {@code HuggingFaceTokenizer.newInstance} reports usage to AWS when it runs on EC2 unless
 *       {@code OPT_OUT_TRACKING} is true; {@link #optOutOfDjlTracking()} sets that system property, unless the user
 *       has set it (as a system property or an environment variable) either way.
 * </ul>
 *
 * <p>Thread-safe and stateless.
 *
 * @since 0.1.0
 */
public final class VendorTelemetry {
  private static final Logger LOG = LoggerFactory.getLogger(VendorTelemetry.class);

  /** The system property that opts in to the vendors' telemetry. */
  public static final String PROPERTY = "muse4j.onnx.telemetry";
  /** DJL's switch, read from the system properties and then the environment. */
  static final String DJL_OPT_OUT = "OPT_OUT_TRACKING";

  private VendorTelemetry() {}

  /**
   * Whether the user opted in to the vendors' telemetry.
   *
   * @return true if {@value #PROPERTY} is {@code true}
   */
  public static boolean optedIn() {
    return Boolean.parseBoolean(System.getProperty(PROPERTY, "false").trim());
  }

  /** Sets {@code OPT_OUT_TRACKING=true} for DJL unless the user opted in or decided it themselves. */
  public static void optOutOfDjlTracking() {
    if (optedIn() || System.getProperty(DJL_OPT_OUT) != null || System.getenv(DJL_OPT_OUT) != null) {
      return;
    }
    System.setProperty(DJL_OPT_OUT, "true");
    LOG.debug("Set {}=true so that DJL's tokenizers report no usage (opt in with -D{}=true)", DJL_OPT_OUT,
        PROPERTY);
  }
}

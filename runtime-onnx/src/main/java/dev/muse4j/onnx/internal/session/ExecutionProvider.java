package dev.muse4j.onnx.internal.session;

import ai.onnxruntime.OrtProvider;
import dev.muse4j.ConfigurationException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The execution providers the onnx backend can ask ONNX Runtime for, and what a user changes to get each one.
 * Immutable.
 *
 * @since 0.1.0
 */
public enum ExecutionProvider {
  /** The CPU; every ONNX Runtime build has it. */
  CPU("cpu", OrtProvider.CPU, null, ""),
  /** NVIDIA GPUs through CUDA and cuDNN; needs the GPU build of ONNX Runtime. */
  CUDA("cuda", OrtProvider.CUDA, "com.microsoft.onnxruntime:onnxruntime_gpu",
      "Use the GPU build of ONNX Runtime: replace com.microsoft.onnxruntime:onnxruntime with "
      + "com.microsoft.onnxruntime:onnxruntime_gpu (same version), and install the CUDA and cuDNN versions that "
      + "ONNX Runtime release requires, with their libraries on the library path (see docs/gpu.md)."),
  /** Any DirectX 12 GPU on Windows; needs an ONNX Runtime build with DirectML. */
  DIRECTML("directml", OrtProvider.DIRECT_ML, null,
      "DirectML needs Windows 10 or 11 and an ONNX Runtime Java build compiled with DirectML (--use_dml); "
      + "Microsoft publishes none on Maven Central, so build one (--build_java --use_dml) and put it on the class "
      + "path in place of com.microsoft.onnxruntime:onnxruntime (see docs/gpu.md).");

  private final String settingName;
  private final OrtProvider ortProvider;
  private final @Nullable String artifact;
  private final String howToGet;

  ExecutionProvider(String settingName, OrtProvider ortProvider, @Nullable String artifact, String howToGet) {
    this.settingName = settingName;
    this.ortProvider = ortProvider;
    this.artifact = artifact;
    this.howToGet = howToGet;
  }

  /**
   * Reads one name from the {@code executionProvider} setting ({@code dml} is accepted for DirectML).
   *
   * @param name the name, in any case
   * @return the provider
   * @throws ConfigurationException if the name is none of cpu, cuda, directml
   */
  public static ExecutionProvider parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ExecutionProvider p : values()) {
      if (p.settingName.equals(n) || (p == DIRECTML && n.equals("dml"))) {
        return p;
      }
    }
    throw new ConfigurationException("executionProvider", "Unknown execution provider '" + name + "' in setting "
        + "'executionProvider'; use a comma-separated preference list of cpu, cuda and directml, e.g. cuda,cpu.");
  }

  /**
   * The name used in the {@code executionProvider} setting.
   *
   * @return the name
   */
  public String settingName() {
    return settingName;
  }

  /**
   * The ONNX Runtime constant.
   *
   * @return the provider
   */
  public OrtProvider ortProvider() {
    return ortProvider;
  }

  /**
   * The Maven coordinates of the ONNX Runtime build that has this provider, when Maven Central has one.
   *
   * @return {@code groupId:artifactId}, or null
   */
  public @Nullable String artifact() {
    return artifact;
  }

  /**
   * What to change to get this provider, for error messages.
   *
   * @return one or two sentences
   */
  public String howToGet() {
    return howToGet;
  }
}

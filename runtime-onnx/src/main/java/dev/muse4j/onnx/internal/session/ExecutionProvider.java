package dev.muse4j.onnx.internal.session;

import ai.onnxruntime.OrtProvider;
import dev.muse4j.ConfigurationException;
import java.util.Locale;

/** The execution providers the onnx backend can ask ONNX Runtime for, and how to get each one. */
public enum ExecutionProvider {
  CPU("cpu", OrtProvider.CPU, ""),
  CUDA("cuda", OrtProvider.CUDA, "Use the GPU build of ONNX Runtime: replace com.microsoft.onnxruntime:onnxruntime "
      + "with com.microsoft.onnxruntime:onnxruntime_gpu (same version), and install the CUDA and cuDNN versions that "
      + "ONNX Runtime release requires (see docs/gpu.md)."),
  DIRECTML("directml", OrtProvider.DIRECT_ML, "DirectML needs Windows and an ONNX Runtime build with DirectML "
      + "(com.microsoft.onnxruntime:onnxruntime_directml, or a build with --use_dml); see docs/gpu.md.");

  private final String settingName;
  private final OrtProvider ortProvider;
  private final String howToGet;

  ExecutionProvider(String settingName, OrtProvider ortProvider, String howToGet) {
    this.settingName = settingName;
    this.ortProvider = ortProvider;
    this.howToGet = howToGet;
  }

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

  public String settingName() {
    return settingName;
  }

  public OrtProvider ortProvider() {
    return ortProvider;
  }

  public String howToGet() {
    return howToGet;
  }
}

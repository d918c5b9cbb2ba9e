package dev.muse4j.onnx;

import dev.muse4j.BackendConfig;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.onnx.internal.OnnxEngines;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.session.SessionSettings;
import dev.muse4j.spi.Availability;
import dev.muse4j.spi.BackendProvider;
import dev.muse4j.spi.EngineSet;
import java.util.List;
import java.util.Set;

/**
 * The provider of the local backend {@code onnx}: models on ONNX Runtime. Found by {@link java.util.ServiceLoader};
 * applications use {@code Muse4j.backend("onnx", config)}.
 *
 * <p>Settings: {@code executionProvider} (preference list of {@code cpu}, {@code cuda}, {@code directml}),
 * {@code executionProviderFallback} ({@code warn} or {@code fail}), {@code deviceId}, {@code intraOpThreads},
 * {@code interOpThreads} and {@code optimizationLevel}.
 *
 * <p>ONNX Runtime loads in the first {@link #availability()} call, before any backend configuration exists, so what
 * concerns its loading is set with system properties: {@code muse4j.onnx.nativeCache} (where its native libraries
 * are extracted once and verified; {@code none} leaves that to ONNX Runtime), {@code muse4j.onnx.logLevel} (its own
 * log on stderr, {@code fatal} by default) and {@code muse4j.onnx.telemetry} ({@code true} opts in to ONNX Runtime's
 * and DJL's telemetry, which are off by default). See {@code docs/troubleshooting.md}.
 *
 * <p>Thread-safe and stateless. Each backend it opens is closed by the caller.
 *
 * @since 0.1.0
 */
public final class OnnxBackendProvider implements BackendProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public OnnxBackendProvider() {}

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public String description() {
    return "Local models on ONNX Runtime (CPU, CUDA, DirectML)";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TEXT, Capability.IMAGE, Capability.STYLE, Capability.MUSIC);
  }

  @Override
  public List<BackendSetting> settings() {
    return List.of(
        BackendSetting.of("executionProvider", "Execution providers in order of preference: cpu, cuda, directml "
            + "(e.g. cuda,cpu).", "cpu"),
        BackendSetting.of("executionProviderFallback", "When a preferred provider is missing: warn (log why and use "
            + "the next) or fail.", "warn"),
        BackendSetting.of("deviceId", "GPU index for cuda or directml.", "0"),
        BackendSetting.of("intraOpThreads", "Threads within an operator; 0 lets ONNX Runtime choose.", "0"),
        BackendSetting.of("interOpThreads", "Threads across operators; 0 lets ONNX Runtime choose.", "0"),
        BackendSetting.of("optimizationLevel", "Graph optimizations: all, extended, basic or none.", "all"));
  }

  @Override
  public Availability availability() {
    try {
      SessionFactory.environment();
      return Availability.available();
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable("ONNX Runtime's native library did not load (" + e.getMessage() + "); "
          + "com.microsoft.onnxruntime:onnxruntime ships natives for Linux, macOS and Windows on x64 and arm64");
    }
  }

  @Override
  public EngineSet open(BackendConfig config) {
    return OnnxEngines.open(SessionFactory.create(SessionSettings.from(config)));
  }
}

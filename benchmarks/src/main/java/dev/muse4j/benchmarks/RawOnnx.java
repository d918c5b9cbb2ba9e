package dev.muse4j.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Muse4j;
import java.nio.file.Path;

/**
 * The two sides every SDK-against-raw benchmark opens with the same settings: the onnx backend, and a plain ONNX
 * Runtime session with the options the backend gives its own sessions ({@code intraOpThreads} from
 * {@code -Dmuse4j.benchmark.threads}, default 1; one inter-op thread; all graph optimizations).
 */
final class RawOnnx {
  private RawOnnx() {}

  /** The intra-op threads both sides use: {@code -Dmuse4j.benchmark.threads}, default 1. */
  static int threads() {
    return Integer.getInteger("muse4j.benchmark.threads", 1);
  }

  /** The onnx backend with {@link #threads()} intra-op threads and one inter-op thread; the caller closes it. */
  static Backend backend() {
    return Muse4j.backend("onnx", config());
  }

  /** The backend's configuration, for benchmarks that add settings. */
  static BackendConfig config() {
    return BackendConfig.builder().set("intraOpThreads", threads()).set("interOpThreads", 1).build();
  }

  /** A raw session on a model file with the backend's options; the caller closes it. */
  static OrtSession session(Path file) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return OrtEnvironment.getEnvironment().createSession(file.toString(), options);
    }
  }
}

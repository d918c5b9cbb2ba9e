package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Muse4j;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options shared by the generating commands: which backend, which model, and backend settings. */
final class BackendOptions {
  @Option(names = {"-b", "--backend"}, paramLabel = "NAME",
      description = "Backend to use: onnx (local), openai (remote), or any other on the class path. "
          + "Default: ${DEFAULT-VALUE}.")
  String backend = "onnx";

  @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
      description = "Model: a directory for onnx, a model id for openai.")
  @Nullable String model;

  @Option(names = "--execution-provider", paramLabel = "LIST",
      description = "onnx only: preferred execution providers in order, e.g. cuda,cpu.")
  @Nullable String executionProvider;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A backend setting, repeatable, e.g. --set baseUrl=http://localhost:8000/v1. Settings also come "
          + "from MUSE4J_<BACKEND>_<SETTING> environment variables.")
  Map<String, String> settings = new LinkedHashMap<>();

  BackendConfig config() {
    BackendConfig.Builder b = BackendConfig.fromEnvironment(backend).toBuilder();
    settings.forEach(b::set);
    if (executionProvider != null) {
      if (!backend.equals("onnx")) {
        throw new ConfigurationException("executionProvider", "--execution-provider applies to the onnx backend "
            + "only, but the backend is '" + backend + "'.");
      }
      b.set("executionProvider", executionProvider);
    }
    return b.build();
  }

  Backend open() {
    return Muse4j.backend(backend, config());
  }

  String requireModel(String what) {
    if (model == null || model.isBlank()) {
      throw new ConfigurationException("model", "Name the " + what + " model with --model: a directory or "
          + "classpath:<folder> for the onnx backend, a model id for openai. docs/models.md lists models that work.");
    }
    return model;
  }
}

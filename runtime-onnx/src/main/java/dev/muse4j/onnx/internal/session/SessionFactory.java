package dev.muse4j.onnx.internal.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.muse4j.BackendUnavailableException;
import dev.muse4j.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions on the one shared {@link OrtEnvironment}, with the execution provider chosen once per
 * backend from the preference list. Thread-safe and immutable.
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private final SessionSettings settings;
  private final ExecutionProvider provider;

  private SessionFactory(SessionSettings settings, ExecutionProvider provider) {
    this.settings = settings;
    this.provider = provider;
  }

  /** The shared environment. ONNX Runtime keeps one per process; it is never closed while the JVM runs. */
  public static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment();
  }

  /** Chooses the execution provider: the first preferred one this ONNX Runtime build has. */
  public static SessionFactory create(SessionSettings settings) {
    return create(settings, OrtEnvironment.getAvailableProviders());
  }

  static SessionFactory create(SessionSettings settings, EnumSet<OrtProvider> available) {
    StringBuilder skipped = new StringBuilder();
    for (ExecutionProvider p : settings.providers()) {
      if (available.contains(p.ortProvider())) {
        if (skipped.length() > 0) {
          LOG.warn("Using execution provider '{}' instead: {}", p.settingName(), skipped.toString().trim());
        }
        return new SessionFactory(settings, p);
      }
      String why = "execution provider '" + p.settingName() + "' is not in this ONNX Runtime build (it has "
          + available + "). " + p.howToGet();
      if (settings.fallback() == SessionSettings.Fallback.FAIL) {
        throw new BackendUnavailableException("onnx", null, "The " + why
            + " Or allow falling back with executionProviderFallback=warn.");
      }
      skipped.append(why).append(' ');
    }
    throw new BackendUnavailableException("onnx", null, "None of the preferred execution providers "
        + settings.providers() + " is available: " + skipped.toString().trim()
        + " Add cpu to executionProvider to fall back to the CPU.");
  }

  public ExecutionProvider provider() {
    return provider;
  }

  /**
   * Opens a session for a model file.
   *
   * @param model the .onnx file; external data files beside it are found by ONNX Runtime
   * @param modelName the model as the user named it, for messages
   */
  public OrtSession open(Path model, String modelName, Map<String, String> configEntries) {
    if (!Files.isRegularFile(model)) {
      throw new ModelLoadException(modelName, "Model file " + model + " does not exist.");
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(level(settings.optimizationLevel()));
      if (settings.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(settings.intraOpThreads());
      }
      if (settings.interOpThreads() > 0) {
        options.setInterOpNumThreads(settings.interOpThreads());
      }
      for (Map.Entry<String, String> e : configEntries.entrySet()) {
        options.addConfigEntry(e.getKey(), e.getValue());
      }
      switch (provider) {
        case CUDA:
          options.addCUDA(settings.deviceId());
          break;
        case DIRECTML:
          options.addDirectML(settings.deviceId());
          break;
        default:
          break;
      }
      OrtSession session = environment().createSession(model.toString(), options);
      LOG.debug("Opened {} on {}", model, provider.settingName());
      return session;
    } catch (OrtException e) {
      throw new ModelLoadException(modelName, "ONNX Runtime could not load " + model + " ("
          + firstLine(e.getMessage()) + "). The file may be corrupt or truncated (re-download or re-export it), "
          + "its external weights file may be missing beside it, or it may need operators that this ONNX Runtime "
          + "version lacks.", e);
    }
  }

  private static OrtSession.SessionOptions.OptLevel level(String name) {
    switch (name) {
      case "none": return OrtSession.SessionOptions.OptLevel.NO_OPT;
      case "basic": return OrtSession.SessionOptions.OptLevel.BASIC_OPT;
      case "extended": return OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
      default: return OrtSession.SessionOptions.OptLevel.ALL_OPT;
    }
  }

  public static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    String line = message.lines().findFirst().orElse(message).trim();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}

package dev.muse4j.onnx.internal.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.muse4j.BackendUnavailableException;
import dev.muse4j.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions on the one shared {@link OrtEnvironment}, on the first preferred execution provider
 * that works.
 *
 * <p>Providers are chosen in two places. When the backend opens, those that the ONNX Runtime build on the class path
 * lacks ({@link OrtEnvironment#getAvailableProviders()}) are dropped. When a session opens, a provider that the build
 * has can still fail to start (a CUDA build without the CUDA or cuDNN libraries it links against, say); then the
 * session is tried on the next provider. Each fallback follows the {@link SessionSettings.Fallback} policy: a WARN
 * line saying why, or a {@link BackendUnavailableException} saying what to change.
 *
 * <p>Thread-safe and immutable. It holds no native resources; each {@link OrtSession} it opens is closed by the
 * caller.
 *
 * @since 0.1.0
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private final SessionSettings settings;
  /** The preferred providers that the build has, in order of preference; never empty. */
  private final List<ExecutionProvider> usable;

  private SessionFactory(SessionSettings settings, List<ExecutionProvider> usable) {
    this.settings = settings;
    this.usable = List.copyOf(usable);
  }

  /**
   * The shared environment ({@link OnnxRuntimeEnvironment#get()}): native libraries from the Muse4j cache, Muse4j's
   * log level, no telemetry. ONNX Runtime keeps one per process; it is never closed while the JVM runs.
   *
   * @return the environment
   */
  public static OrtEnvironment environment() {
    return OnnxRuntimeEnvironment.get();
  }

  /**
   * Keeps the preferred providers that this ONNX Runtime build has.
   *
   * @param settings the backend's settings
   * @return the factory
   * @throws BackendUnavailableException if a preferred provider is missing and the policy is to fail, or none is
   *     present
   */
  public static SessionFactory create(SessionSettings settings) {
    return create(settings, OnnxRuntimeEnvironment.availableProviders());
  }

  static SessionFactory create(SessionSettings settings, EnumSet<OrtProvider> available) {
    List<ExecutionProvider> usable = new ArrayList<>();
    StringBuilder skipped = new StringBuilder();
    for (ExecutionProvider p : settings.providers()) {
      if (available.contains(p.ortProvider())) {
        usable.add(p);
        continue;
      }
      String why = "execution provider '" + p.settingName() + "' is not in this ONNX Runtime build (it has "
          + available + "). " + p.howToGet();
      if (usable.isEmpty() && settings.fallback() == SessionSettings.Fallback.FAIL) {
        throw new BackendUnavailableException("onnx", p.artifact(), "The " + why
            + " Or allow falling back with executionProviderFallback=warn.");
      }
      skipped.append(why).append(' ');
    }
    if (usable.isEmpty()) {
      throw new BackendUnavailableException("onnx", null, "None of the preferred execution providers "
          + names(settings.providers()) + " is available: " + skipped.toString().trim()
          + " Add cpu to executionProvider to fall back to the CPU.");
    }
    if (skipped.length() > 0 && usable.get(0) != settings.providers().get(0)) {
      LOG.warn("Using execution provider '{}' instead: {}", usable.get(0).settingName(), skipped.toString().trim());
    }
    return new SessionFactory(settings, usable);
  }

  private static List<String> names(List<ExecutionProvider> providers) {
    List<String> names = new ArrayList<>();
    for (ExecutionProvider p : providers) {
      names.add(p.settingName());
    }
    return names;
  }

  /**
   * The provider sessions are tried on first.
   *
   * @return the most preferred provider in this build
   */
  public ExecutionProvider provider() {
    return usable.get(0);
  }

  /**
   * Opens a session for a model file on the first usable provider that starts.
   *
   * @param model the .onnx file; external data files beside it are found by ONNX Runtime
   * @param modelName the model as the user named it, for messages
   * @param configEntries extra session configuration entries
   * @return the session and the provider it runs on; the caller closes the session
   * @throws ModelLoadException if the file is missing, corrupt or needs what this ONNX Runtime lacks
   * @throws BackendUnavailableException if a preferred provider fails to start and the policy is to fail
   */
  public OpenedSession open(Path model, String modelName, Map<String, String> configEntries) {
    if (!Files.isRegularFile(model)) {
      throw new ModelLoadException(modelName, "Model file " + model + " does not exist.");
    }
    return open(options -> environment().createSession(model.toString(), options), model.toString(), modelName,
        configEntries);
  }

  /**
   * Opens a session on a model held in memory (a small graph shipped as a resource), with the same settings and
   * provider fallback as {@link #open(Path, String, Map)} but one intra-op thread: such graphs are a few cheap
   * element-wise passes, for which waking a thread pool costs more than it saves.
   *
   * @param model the .onnx bytes
   * @param modelName the model as named in messages
   * @return the session and the provider it runs on; the caller closes the session
   * @throws ModelLoadException if ONNX Runtime cannot load the bytes
   * @throws BackendUnavailableException if a preferred provider fails to start and the policy is to fail
   */
  public OpenedSession open(byte[] model, String modelName) {
    return open(options -> {
      options.setIntraOpNumThreads(1);
      return environment().createSession(model, options);
    }, modelName, modelName, Map.of());
  }

  /** Creates a session from prepared options. */
  private interface Creator {
    OrtSession create(OrtSession.SessionOptions options) throws OrtException;
  }

  private OpenedSession open(Creator creator, String model, String modelName, Map<String, String> configEntries) {
    for (int i = 0; ; i++) {
      ExecutionProvider provider = usable.get(i);
      boolean last = i == usable.size() - 1;
      try {
        OrtSession session = open(creator, configEntries, provider);
        LOG.debug("Opened {} on {}", model, provider.settingName());
        return new OpenedSession(session, provider);
      } catch (ProviderStartException e) {
        String why = "execution provider '" + provider.settingName() + "' did not start ("
            + firstLine(e.reason.getMessage()) + "). " + provider.howToGet();
        if (last || settings.fallback() == SessionSettings.Fallback.FAIL) {
          throw new BackendUnavailableException("onnx", provider.artifact(), "The " + why
              + (last ? " Add cpu to executionProvider to fall back to the CPU."
                  : " Or allow falling back with executionProviderFallback=warn."), e.reason);
        }
        LOG.warn("Model {}: using execution provider '{}' instead: {}", modelName,
            usable.get(i + 1).settingName(), why);
      } catch (OrtException e) {
        if (!last && provider != ExecutionProvider.CPU && settings.fallback() == SessionSettings.Fallback.WARN) {
          // The provider started but could not take this model; another provider may. If the model itself is
          // broken, the last provider reports it below.
          LOG.warn("Model {}: execution provider '{}' could not load it ({}); trying '{}'.", modelName,
              provider.settingName(), firstLine(e.getMessage()), usable.get(i + 1).settingName());
          continue;
        }
        throw new ModelLoadException(modelName, "ONNX Runtime could not load " + model + " ("
            + firstLine(e.getMessage()) + "). The file may be corrupt or truncated (re-download or re-export it), "
            + "its external weights file may be missing beside it, or it may need operators that this ONNX Runtime "
            + "version lacks.", e);
      }
    }
  }

  private OrtSession open(Creator creator, Map<String, String> configEntries, ExecutionProvider provider)
      throws OrtException, ProviderStartException {
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
      try {
        switch (provider) {
          case CUDA:
            options.addCUDA(settings.deviceId());
            break;
          case DIRECTML:
            // DirectML refuses sessions with memory patterns or parallel execution on (ONNX Runtime's DirectML
            // execution provider documentation): both must be off before the provider is added.
            options.setMemoryPatternOptimization(false);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.addDirectML(settings.deviceId());
            break;
          default:
            break;
        }
      } catch (OrtException | RuntimeException | LinkageError e) {
        throw new ProviderStartException(e);
      }
      return creator.create(options);
    }
  }

  /** A provider failed while being added to the session options: the provider, not the model, is at fault. */
  private static final class ProviderStartException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Throwable reason;

    ProviderStartException(Throwable reason) {
      super(reason);
      this.reason = reason;
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

  /**
   * The first line of an ONNX Runtime message, shortened: enough to say what went wrong without a native trace.
   *
   * @param message the message, possibly null
   * @return one line
   */
  public static String firstLine(@Nullable String message) {
    if (message == null) {
      return "no details";
    }
    String line = message.lines().findFirst().orElse(message).trim();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /**
   * A session and the execution provider it runs on.
   *
   * @param session the session; its receiver closes it
   * @param provider the provider that serves it
   * @since 0.1.0
   */
  public record OpenedSession(OrtSession session, ExecutionProvider provider) {}
}

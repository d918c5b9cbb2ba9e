package dev.muse4j.onnx.internal.natives;

import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands ONNX Runtime its native libraries from a versioned cache, so that a JVM does not extract them into a fresh
 * temporary directory on every start.
 *
 * <p>Left alone, ONNX Runtime's Java loader copies {@code libonnxruntime} and its JNI library into a new
 * {@code onnxruntime-java*} folder in {@code java.io.tmpdir} each time a JVM loads it. {@link #prepare()} instead
 * extracts them once into {@code <cache>/onnxruntime/<version>-<os>-<arch>/}, checks their size and CRC-32 against
 * the jar on every start, and sets {@value #ORT_NATIVE_PATH}, which ONNX Runtime reads when it loads. The cache
 * root is the system property {@value #CACHE_PROPERTY}, or by default {@code $XDG_CACHE_HOME/muse4j} (else
 * {@code ~/.cache/muse4j}) on Linux, {@code ~/Library/Caches/muse4j} on macOS and {@code %LOCALAPPDATA%\muse4j} on
 * Windows. {@code none} turns the cache off.
 *
 * <p>It stays out of the way, and ONNX Runtime loads as it would alone, when the user has set
 * {@value #ORT_NATIVE_PATH} or a per-library {@code onnxruntime.native.<library>.path}, when the ONNX Runtime jar
 * carries execution provider libraries (the {@code onnxruntime_gpu} artifact), or when the cache is turned off. If
 * the cache cannot be written, ONNX Runtime also loads alone, after one WARN line.
 *
 * <p>Thread-safe: {@link #prepare()} does its work once per class loader; later and concurrent calls wait for it
 * and return. It must run before the first use of any ONNX Runtime class that loads the native library
 * ({@code OrtEnvironment}, {@code OrtSession}, tensors).
 *
 * @since 0.1.0
 */
public final class NativeLibraries {
  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);

  /** The system property that sets the cache root, or turns the cache off with {@code none}. */
  public static final String CACHE_PROPERTY = "muse4j.onnx.nativeCache";
  /** ONNX Runtime's own system property: the directory it loads its native libraries from. */
  public static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

  /** The libraries that ONNX Runtime's loader looks for in {@value #ORT_NATIVE_PATH} when it initialises. */
  private static final List<String> CORE = List.of("onnxruntime_providers_shared", "webgpu_dawn", "dxil",
      "dxcompiler", "onnxruntime", "onnxruntime4j_jni");
  /** Execution provider libraries: their presence marks a GPU or other accelerator build. */
  private static final List<String> PROVIDERS = List.of("onnxruntime_providers_cuda", "onnxruntime_providers_rocm",
      "onnxruntime_providers_dnnl", "onnxruntime_providers_openvino", "onnxruntime_providers_tensorrt",
      "onnxruntime_providers_qnn");

  private static final Object LOCK = new Object();
  private static @Nullable Outcome outcome;

  private NativeLibraries() {}

  /**
   * What {@link #prepare()} did.
   *
   * @param cacheDir the directory ONNX Runtime now loads from, or empty if it loads as it would alone
   * @param reason why, in words
   */
  public record Outcome(Optional<Path> cacheDir, String reason) {}

  /**
   * Prepares the native libraries once; see the class description.
   *
   * @return what was done
   */
  public static Outcome prepare() {
    synchronized (LOCK) {
      Outcome done = outcome;
      if (done == null) {
        done = prepare(System.getProperties()::getProperty, System.getenv()::get);
        outcome = done;
      }
      return done;
    }
  }

  /**
   * The Muse4j cache root: {@value #CACHE_PROPERTY} if set, else the platform default (see {@link #defaultRoot}).
   *
   * @return the absolute root, or null if the property is {@code none}
   * @throws IllegalStateException if the default is needed and the user's home is unknown
   */
  public static @Nullable Path cacheRoot() {
    String setting = System.getProperty(CACHE_PROPERTY);
    if (setting != null && setting.trim().equalsIgnoreCase("none")) {
      return null;
    }
    Path root = setting == null || setting.isBlank()
        ? defaultRoot(System.getProperties()::getProperty, System.getenv()::get) : Path.of(setting.trim());
    return root.toAbsolutePath();
  }

  static Outcome prepare(UnaryOperator<@Nullable String> properties,
      UnaryOperator<@Nullable String> environment) {
    String userPath = properties.apply(ORT_NATIVE_PATH);
    if (userPath != null) {
      return alone("the system property " + ORT_NATIVE_PATH + " is set to " + userPath);
    }
    for (String lib : CORE) {
      String key = "onnxruntime.native." + lib + ".path";
      if (properties.apply(key) != null) {
        return alone("the system property " + key + " is set");
      }
    }
    String setting = properties.apply(CACHE_PROPERTY);
    if (setting != null && setting.trim().equalsIgnoreCase("none")) {
      return alone(CACHE_PROPERTY + " is none");
    }
    if ("The Android Project".equals(properties.apply("java.vendor"))) {
      return alone("Android loads native libraries itself");
    }
    String platform = platform(properties);
    if (platform == null) {
      return alone("ONNX Runtime publishes no native library for " + properties.apply("os.name") + " on "
          + properties.apply("os.arch"));
    }
    for (String lib : PROVIDERS) {
      if (resourceExists(platform, lib)) {
        return alone("this ONNX Runtime jar carries execution provider libraries (" + mapLibraryName(lib)
            + "); they are left to ONNX Runtime's own loading");
      }
    }
    List<String> files = new ArrayList<>();
    for (String lib : CORE) {
      if (resourceExists(platform, lib)) {
        files.add(mapLibraryName(lib));
      }
    }
    if (!files.contains(mapLibraryName("onnxruntime4j_jni"))) {
      return alone("the ONNX Runtime jar has no native library for " + platform);
    }
    Path dir;
    try {
      Path root = setting == null || setting.isBlank() ? defaultRoot(properties, environment) : Path.of(setting.trim());
      dir = root.toAbsolutePath().resolve("onnxruntime").resolve(version() + "-" + platform);
    } catch (InvalidPathException | IllegalStateException e) {
      return fallBack("the Muse4j cache directory is unknown (" + e.getMessage() + ")", null);
    }
    NativeCache cache = new NativeCache(dir, new JarSource(platform));
    try {
      cache.install(files);
    } catch (IOException | RuntimeException e) {
      return fallBack(e.toString(), dir);
    }
    System.setProperty(ORT_NATIVE_PATH, dir.toString());
    LOG.debug("ONNX Runtime loads its native libraries from {}", dir);
    return new Outcome(Optional.of(dir), "verified cache");
  }

  private static Outcome alone(String why) {
    LOG.debug("ONNX Runtime loads its native libraries itself: {}", why);
    return new Outcome(Optional.empty(), why);
  }

  private static Outcome fallBack(String why, @Nullable Path dir) {
    LOG.warn("The ONNX Runtime native library cache {}cannot be used ({}), so ONNX Runtime extracts its libraries "
        + "into a temporary directory itself this time. Set -D{}=<a writable directory> (or 'none' to keep this "
        + "behaviour without the warning); see docs/troubleshooting.md.", dir == null ? "" : dir + " ", why,
        CACHE_PROPERTY);
    return new Outcome(Optional.empty(), why);
  }

  /**
   * The default cache root: {@code $XDG_CACHE_HOME/muse4j}, else {@code $HOME/.cache/muse4j} on Linux and other
   * Unix systems; {@code ~/Library/Caches/muse4j} on macOS; {@code %LOCALAPPDATA%\muse4j} on Windows.
   */
  static Path defaultRoot(UnaryOperator<@Nullable String> properties, UnaryOperator<@Nullable String> environment) {
    String os = String.valueOf(properties.apply("os.name")).toLowerCase(Locale.ROOT);
    String home = properties.apply("user.home");
    if (os.contains("win")) {
      String local = environment.apply("LOCALAPPDATA");
      if (absolute(local)) {
        return Path.of(local, "muse4j");
      }
      return Path.of(required(home), "AppData", "Local", "muse4j");
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return Path.of(required(home), "Library", "Caches", "muse4j");
    }
    String xdg = environment.apply("XDG_CACHE_HOME");
    if (absolute(xdg)) {
      return Path.of(xdg, "muse4j");
    }
    String envHome = environment.apply("HOME");
    return Path.of(absolute(envHome) ? envHome : required(home), ".cache", "muse4j");
  }

  private static boolean absolute(@Nullable String path) {
    try {
      return path != null && !path.isBlank() && Path.of(path).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static String required(@Nullable String home) {
    if (home == null || home.isBlank() || home.equals("?")) {
      throw new IllegalStateException("the user's home directory is unknown; set -D" + CACHE_PROPERTY);
    }
    return home;
  }

  /** The platform folder name in the ONNX Runtime jar, as ONNX Runtime's loader computes it, or null. */
  static @Nullable String platform(UnaryOperator<@Nullable String> properties) {
    String os = String.valueOf(properties.apply("os.name")).toLowerCase(Locale.ENGLISH);
    String osName;
    if (os.contains("mac") || os.contains("darwin")) {
      osName = "osx";
    } else if (os.contains("win")) {
      osName = "win";
    } else if (os.contains("nux")) {
      osName = "linux";
    } else {
      return null;
    }
    String arch = String.valueOf(properties.apply("os.arch")).toLowerCase(Locale.ENGLISH);
    String archName;
    if (arch.startsWith("amd64") || arch.startsWith("x86_64")) {
      archName = "x64";
    } else if (arch.startsWith("x86")) {
      archName = "x86";
    } else if (arch.startsWith("aarch64")) {
      archName = "aarch64";
    } else if (arch.startsWith("ppc64")) {
      archName = "ppc64";
    } else if (arch.startsWith("loongarch64")) {
      archName = "loongarch64";
    } else {
      return null;
    }
    return osName + "-" + archName;
  }

  /** The ONNX Runtime version from its jar's manifest; the class is loaded, not initialised (no native load). */
  private static String version() {
    Package p = OrtLoggingLevel.class.getPackage();
    String title = p.getImplementationTitle();
    String version = p.getImplementationVersion();
    // A repackaged (shaded) jar may carry another project's manifest; the files are verified either way.
    if (title == null || !title.startsWith("onnxruntime") || version == null || version.isBlank()) {
      return "unversioned";
    }
    return version.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String mapLibraryName(String lib) {
    // As ONNX Runtime's loader names them.
    return System.mapLibraryName(lib).replace("jnilib", "dylib");
  }

  private static String resourcePath(String platform, String fileName) {
    return "/ai/onnxruntime/native/" + platform + "/" + fileName;
  }

  private static boolean resourceExists(String platform, String lib) {
    return OrtLoggingLevel.class.getResource(resourcePath(platform, mapLibraryName(lib))) != null;
  }

  /** The libraries inside the ONNX Runtime jar, found as ONNX Runtime's loader finds them. */
  private static final class JarSource implements NativeCache.Source {
    private final String platform;

    JarSource(String platform) {
      this.platform = platform;
    }

    @Override
    public @Nullable InputStream open(String fileName) {
      return OrtLoggingLevel.class.getResourceAsStream(resourcePath(platform, fileName));
    }

    @Override
    public NativeCache.@Nullable Fingerprint recorded(String fileName) throws IOException {
      URL url = OrtLoggingLevel.class.getResource(resourcePath(platform, fileName));
      return NativeCache.Fingerprint.ofJarEntry(url);
    }

    @Override
    public String describe(String fileName) {
      return "the ONNX Runtime jar's " + resourcePath(platform, fileName).substring(1);
    }
  }
}

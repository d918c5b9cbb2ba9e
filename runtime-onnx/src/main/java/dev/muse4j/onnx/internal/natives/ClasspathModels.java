package dev.muse4j.onnx.internal.natives;

import dev.muse4j.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * Models shipped on the class path, named {@code classpath:<folder>} (for example
 * {@code classpath:dev/muse4j/models/poet} from the {@code muse4j-model-poet} jar).
 *
 * <p>A class path model folder holds an index, {@value #INDEX}, naming its files one per line (a class loader cannot
 * list a folder inside a jar). ONNX Runtime and the tokenizer read files, so:
 * <ul>
 *   <li>a folder on the file system (a build's {@code target/classes}) is used where it is;</li>
 *   <li>a folder inside a jar is extracted once into {@code <cache>/models/<folder>/<fingerprint>/}, under the same
 *       cache root as the native libraries ({@value NativeLibraries#CACHE_PROPERTY}), and verified on every open by
 *       the size and CRC-32 the jar's zip directory records, as the native libraries are. The fingerprint names the
 *       jar's content, so a new version of the model gets a new folder. With the cache turned off ({@code none}) the
 *       files go to a temporary folder that is deleted when the JVM exits.</li>
 * </ul>
 * Resources are looked up through the thread context class loader, then through the one that loaded Muse4j.
 *
 * <p>Thread-safe and safe across JVMs, as {@link NativeCache} is.
 */
public final class ClasspathModels {
  /** The prefix of a class path model reference. */
  public static final String PREFIX = "classpath:";
  /** The index file in each class path model folder. */
  public static final String INDEX = "muse4j-model.txt";
  /** Artifacts that carry Muse4j's own class path models, for the error when one is missing. */
  private static final Map<String, String> KNOWN = Map.of("dev/muse4j/models/poet", "dev.muse4j:muse4j-model-poet");

  private ClasspathModels() {}

  /**
   * Whether a model reference names a class path model.
   *
   * @param model the reference as the user gave it
   * @return {@code true} if it starts with {@value #PREFIX}
   */
  public static boolean isClasspath(String model) {
    return model.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /**
   * The directory holding a class path model's files, extracted and verified if they are in a jar.
   *
   * @param model the reference, {@code classpath:<folder>}
   * @return the directory
   * @throws ModelLoadException if the folder or one of its files is not on the class path, or cannot be extracted
   */
  public static Path directory(String model) {
    String folder = model.substring(PREFIX.length()).trim();
    while (folder.startsWith("/")) {
      folder = folder.substring(1);
    }
    while (folder.endsWith("/")) {
      folder = folder.substring(0, folder.length() - 1);
    }
    if (folder.isEmpty()) {
      throw new ModelLoadException(model, "A class path model is named classpath:<folder>, for example "
          + "classpath:dev/muse4j/models/poet; this one names no folder.");
    }
    ClassLoader loader = loaderFor(folder + "/" + INDEX);
    URL index = loader == null ? null : loader.getResource(folder + "/" + INDEX);
    if (loader == null || index == null) {
      String artifact = KNOWN.get(folder);
      throw new ModelLoadException(model, "There is no model on the class path at " + folder + "/ (no " + INDEX
          + " there). " + (artifact != null ? "Add the artifact " + artifact + " to your dependencies (its version "
          + "comes from muse4j-bom)." : "A class path model is a folder of model files with an index, " + INDEX
          + ", that names them one per line.") + " See docs/models.md.");
    }
    List<String> files = files(model, index);
    for (String f : files) {
      if (loader.getResource(folder + "/" + f) == null) {
        throw new ModelLoadException(model, INDEX + " in " + folder + "/ names " + f + ", which is not on the class "
            + "path; the model's jar is incomplete.");
      }
    }
    if ("file".equals(index.getProtocol())) {
      try {
        return Path.of(index.toURI()).getParent();
      } catch (URISyntaxException | IllegalArgumentException e) {
        // Not a plain file after all: extract it like a jar's.
      }
    }
    Source source = new Source(loader, folder);
    Path dir;
    try {
      Path root = NativeLibraries.cacheRoot();
      String fingerprint = fingerprint(source, files);
      dir = root == null ? Files.createTempDirectory("muse4j-model-")
          : root.resolve("models").resolve(folder.replace('/', '-')).resolve(fingerprint);
      if (root == null) {
        deleteOnExit(dir, files);
      }
      new NativeCache(dir, source, "model file").install(files);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(model, "Could not extract the class path model " + folder + "/ into the Muse4j "
          + "cache: " + e.getMessage() + ". Set -D" + NativeLibraries.CACHE_PROPERTY + "=<a writable directory>; "
          + "see docs/troubleshooting.md.", e);
    }
    return dir;
  }

  private static @Nullable ClassLoader loaderFor(String resource) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context.getResource(resource) != null) {
      return context;
    }
    ClassLoader own = ClasspathModels.class.getClassLoader();
    return own != null && own.getResource(resource) != null ? own : null;
  }

  private static List<String> files(String model, URL index) {
    String text;
    try (InputStream in = index.openStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelLoadException(model, "Could not read " + index + ": " + e.getMessage(), e);
    }
    List<String> files = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      String f = line.strip();
      if (f.isEmpty() || f.startsWith("#")) {
        continue;
      }
      if (f.contains("/") || f.contains("\\") || f.equals("..") || f.equals(".")) {
        throw new ModelLoadException(model, INDEX + " names '" + f + "'; entries are plain file names in its own "
            + "folder.");
      }
      files.add(f);
    }
    if (files.isEmpty()) {
      throw new ModelLoadException(model, INDEX + " at " + index + " names no files.");
    }
    return files;
  }

  /** A short hash of every file's name, size and CRC-32: a new model version extracts into a new folder. */
  private static String fingerprint(Source source, List<String> files) throws IOException {
    CRC32 all = new CRC32();
    long size = 0;
    for (String f : files) {
      NativeCache.Fingerprint p = source.recorded(f);
      if (p == null) {
        try (InputStream in = source.open(f)) {
          if (in == null) {
            throw new IOException(source.describe(f) + " does not exist");
          }
          p = NativeCache.fingerprint(in);
        }
      }
      all.update((f + ":" + p.size() + ":" + p.crc32() + "\n").getBytes(StandardCharsets.UTF_8));
      size += p.size();
    }
    return String.format(Locale.ROOT, "%08x-%x", all.getValue(), size);
  }

  private static void deleteOnExit(Path dir, List<String> files) {
    dir.toFile().deleteOnExit();
    dir.resolve(NativeCache.LOCK_FILE).toFile().deleteOnExit();
    for (String f : files) {
      dir.resolve(f).toFile().deleteOnExit();
    }
  }

  /** The files of one class path folder. */
  private static final class Source implements NativeCache.Source {
    private final ClassLoader loader;
    private final String folder;

    Source(ClassLoader loader, String folder) {
      this.loader = loader;
      this.folder = folder;
    }

    @Override
    public @Nullable InputStream open(String fileName) {
      return loader.getResourceAsStream(folder + "/" + fileName);
    }

    @Override
    public NativeCache.@Nullable Fingerprint recorded(String fileName) throws IOException {
      URL url = loader.getResource(folder + "/" + fileName);
      return NativeCache.Fingerprint.ofJarEntry(url);
    }

    @Override
    public String describe(String fileName) {
      URL url = loader.getResource(folder + "/" + fileName);
      return "the class path resource " + folder + "/" + fileName + (url == null ? "" : " (" + url + ")");
    }
  }
}

package dev.muse4j.samples.poet;

import dev.muse4j.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The embedded default poet model. Its files ship as class path resources; ONNX Runtime loads models from files,
 * so {@link #directory()} copies them once into a cache directory named by their content hash and returns it.
 *
 * <p>Thread-safe and safe across processes: each copy is written to a temporary directory and moved into place
 * atomically; a complete copy is reused.
 *
 * @since 0.1.0
 */
public final class EmbeddedPoet {
  /** The resource folder holding the model. */
  public static final String RESOURCE_DIR = "/dev/muse4j/samples/poet/";
  /** The opening every sample poem starts from. */
  public static final String OPENING = "春";
  /** The files of the model, in the Hugging Face Optimum decoder layout. */
  public static final List<String> FILES = List.of("model.onnx", "config.json", "generation_config.json",
      "tokenizer.json", "tokenizer_config.json");

  private EmbeddedPoet() {}

  /**
   * Whether the poet's files are on the class path.
   *
   * @return {@code true} if they are
   */
  public static boolean isPresent() {
    return FILES.stream().allMatch(f -> EmbeddedPoet.class.getResource(RESOURCE_DIR + f) != null);
  }

  /**
   * The model directory, copied from the class path on first use into {@code $MUSE4J_CACHE} or
   * {@code ~/.cache/muse4j}.
   *
   * @return the directory to pass to {@code backend.text(...)}
   * @throws ModelLoadException if the resources are missing or cannot be copied
   */
  public static Path directory() {
    String env = System.getenv("MUSE4J_CACHE");
    Path cache = env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "muse4j");
    return directory(cache);
  }

  /**
   * The model directory, copied into {@code cacheRoot} on first use.
   *
   * @param cacheRoot where to keep the copy
   * @return the model directory
   */
  public static Path directory(Path cacheRoot) {
    try {
      byte[][] contents = new byte[FILES.size()][];
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < FILES.size(); i++) {
        contents[i] = read(FILES.get(i));
        sha.update(contents[i]);
      }
      String id = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
      Path target = cacheRoot.resolve("poet-" + id);
      if (Files.isDirectory(target)) {
        return target;
      }
      Files.createDirectories(cacheRoot);
      Path staging = Files.createTempDirectory(cacheRoot, "poet-staging-");
      for (int i = 0; i < FILES.size(); i++) {
        Files.write(staging.resolve(FILES.get(i)), contents[i]);
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        deleteQuietly(staging);
        if (!Files.isDirectory(target)) {
          throw e;
        }
      } catch (IOException e) {
        deleteQuietly(staging);
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new ModelLoadException("embedded poet", "Could not copy the embedded poet model to " + cacheRoot
          + ": " + e.getMessage() + ". Set MUSE4J_CACHE to a writable directory.", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String file) throws IOException {
    try (InputStream in = EmbeddedPoet.class.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new ModelLoadException("embedded poet", "The embedded poet's " + file + " is not on the class path; "
            + "the muse4j-samples jar is incomplete. Rebuild it, or pass --model with a model directory.");
      }
      return in.readAllBytes();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // A leftover staging directory is harmless; the next run makes its own.
    }
  }
}

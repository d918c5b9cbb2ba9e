package dev.muse4j.samples.sprites;

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
 * The embedded sprite artist: a DCGAN (latent 100, 32×32 RGB) trained by the project on the Noto Emoji images
 * ({@code tools/train-sprites}). Its files ship as class path resources; ONNX Runtime loads models from files, so
 * {@link #directory()} copies them once into a cache directory named by their content hash and returns it.
 *
 * <pre>{@code
 * try (Backend onnx = Muse4j.backend("onnx");
 *     ImageGenerator artist = onnx.image(EmbeddedSprites.directory().toString())) {
 *   ImageResult sheet = artist.generate(ImageRequest.builder().seed(1).count(64).build());
 * }
 * }</pre>
 *
 * <p>Thread-safe and safe across processes: each copy is written to a temporary directory and moved into place
 * atomically; a complete copy is reused.
 *
 * @since 0.2.0
 */
public final class EmbeddedSprites {
  /** The resource folder holding the model. */
  public static final String RESOURCE_DIR = "/dev/muse4j/samples/sprites/";
  /** The files of the model: the generator and its gan.json. */
  public static final List<String> FILES = List.of("model.onnx", "gan.json");
  /** The size of the artist's latents. */
  public static final int LATENT = 100;
  /** The side of its sprites in pixels. */
  public static final int SIDE = 32;

  private EmbeddedSprites() {}

  /**
   * Whether the artist's files are on the class path.
   *
   * @return {@code true} if they are
   */
  public static boolean isPresent() {
    return FILES.stream().allMatch(f -> EmbeddedSprites.class.getResource(RESOURCE_DIR + f) != null);
  }

  /**
   * The model directory, copied from the class path on first use into {@code $MUSE4J_CACHE} or
   * {@code ~/.cache/muse4j}.
   *
   * @return the directory to pass to {@code backend.image(...)}
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
      Path target = cacheRoot.resolve("sprites-" + id);
      if (Files.isDirectory(target)) {
        return target;
      }
      Files.createDirectories(cacheRoot);
      Path staging = Files.createTempDirectory(cacheRoot, "sprites-staging-");
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
      throw new ModelLoadException("embedded sprite artist", "Could not copy the embedded sprite artist to "
          + cacheRoot + ": " + e.getMessage() + ". Set MUSE4J_CACHE to a writable directory.", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String file) throws IOException {
    try (InputStream in = EmbeddedSprites.class.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new ModelLoadException("embedded sprite artist", "The embedded sprite artist's " + file + " is not "
            + "on the class path; the muse4j-samples jar is incomplete. Rebuild it, or pass --model with a model "
            + "directory.");
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

package dev.muse4j.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Where the test models are: the committed tiny fixtures, and the shared third-party ones when present. */
public final class Fixtures {
  private Fixtures() {}

  public static String model(String name) {
    return Path.of("src", "test", "resources", "fixtures", name).toString();
  }

  /** Copies a committed fixture's files into {@code to}, for tests that change a model directory; returns {@code to}. */
  public static Path copy(String name, Path to) throws IOException {
    return copy(name, to, file -> true);
  }

  /** Copies the files of a committed fixture whose names pass {@code keep} into {@code to}; returns {@code to}. */
  public static Path copy(String name, Path to, Predicate<String> keep) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(model(name)))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (keep.test(f.getFileName().toString())) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  /** A model from ../shared/fixtures/models; skips the test when the shared folder is absent. */
  public static String shared(String name) {
    Path dir = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "models", name);
    assumeTrue(Files.isDirectory(dir), "shared fixture " + dir + " is not present");
    return dir.toString();
  }
}

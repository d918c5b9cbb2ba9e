package dev.muse4j.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the test models are: the committed tiny fixtures, and the shared third-party ones when present. */
public final class Fixtures {
  private Fixtures() {}

  public static String model(String name) {
    return Path.of("src", "test", "resources", "fixtures", name).toString();
  }

  /** A model from ../shared/fixtures/models; skips the test when the shared folder is absent. */
  public static String shared(String name) {
    Path dir = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "models", name);
    assumeTrue(Files.isDirectory(dir), "shared fixture " + dir + " is not present");
    return dir.toString();
  }
}

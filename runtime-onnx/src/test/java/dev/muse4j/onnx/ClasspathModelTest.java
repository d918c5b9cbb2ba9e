package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Models shipped in jars load by a class path reference, extracted once into the verified cache. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClasspathModelTest {
  private static final List<String> FILES = List.of("model.onnx", "config.json", "generation_config.json",
      "tokenizer.json", "tokenizer_config.json");
  private Backend onnx;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
  }

  @AfterAll
  void close() {
    onnx.close();
  }

  /** A jar like muse4j-model-poet, holding the gpt2-optimum fixture under {@code folder}. */
  private static Path modelJar(Path dir, String folder, boolean withIndex) throws IOException {
    Path jar = dir.resolve("model.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      if (withIndex) {
        out.putNextEntry(new JarEntry(folder + "/muse4j-model.txt"));
        out.write(("# test\n" + String.join("\n", FILES) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (String f : FILES) {
        out.putNextEntry(new JarEntry(folder + "/" + f));
        Files.copy(Path.of(Fixtures.model("gpt2-optimum"), f), out);
      }
    }
    return jar;
  }

  private static <T> T withClassPath(Path jar, Callable<T> action) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous)) {
      thread.setContextClassLoader(loader);
      return action.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static Path cacheDir(String folder) throws IOException {
    Path models = Path.of(System.getProperty("muse4j.onnx.nativeCache"), "models", folder.replace('/', '-'));
    try (Stream<Path> dirs = Files.list(models)) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  @Test
  void aModelInAJarLoadsByItsClassPathFolderAndIsExtractedOnceAndRepaired(@TempDir Path dir) throws Exception {
    String folder = "test/models/jarred";
    Path jar = modelJar(dir, folder, true);
    TextRequest request = TextRequest.of("the sea").withSampling(SamplingConfig.greedy().toBuilder().maxTokens(6)
        .build());

    String first = withClassPath(jar, () -> {
      try (TextGenerator g = onnx.text("classpath:" + folder)) {
        return g.generate(request).text();
      }
    });
    Path cached = cacheDir(folder);
    assertThat(cached.resolve("model.onnx")).hasSameBinaryContentAs(Path.of(Fixtures.model("gpt2-optimum"),
        "model.onnx"));

    // A damaged cached file is found by its size and CRC-32 and extracted again.
    try (OutputStream out = Files.newOutputStream(cached.resolve("config.json"))) {
      out.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    String second = withClassPath(jar, () -> {
      try (TextGenerator g = onnx.text("classpath:/" + folder + "/")) {
        return g.generate(request).text();
      }
    });
    assertThat(second).isEqualTo(first);
    assertThat(cached.resolve("config.json")).hasSameTextualContentAs(Path.of(Fixtures.model("gpt2-optimum"),
        "config.json"));
  }

  @Test
  void aMissingClassPathModelNamesTheArtifactThatCarriesIt() {
    assertThatThrownBy(() -> onnx.text("classpath:dev/muse4j/models/poet")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no model on the class path at dev/muse4j/models/poet/")
        .hasMessageContaining("dev.muse4j:muse4j-model-poet");
  }

  @Test
  void aFolderWithoutAnIndexIsExplained(@TempDir Path dir) throws Exception {
    Path jar = modelJar(dir, "test/models/unindexed", false);

    assertThatThrownBy(() -> withClassPath(jar, () -> onnx.text("classpath:test/models/unindexed")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("muse4j-model.txt");
  }
}

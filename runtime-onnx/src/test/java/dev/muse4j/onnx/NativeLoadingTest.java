package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime inside a user's JVM, checked in child JVMs: a long command line does not crash it, it writes nothing
 * outside the documented caches (no telemetry files), and repeated or concurrent starts leave no
 * {@code onnxruntime-java*} folders in the temporary directory while sharing one verified native cache.
 */
class NativeLoadingTest {
  private static final String MODEL = Path.of(Fixtures.model("gpt2-optimum")).toAbsolutePath().toString();
  private static final String LIBRARY = System.mapLibraryName("onnxruntime");

  @TempDir
  Path work;

  /** A child JVM: its temporary directory, home and (unless null) native cache are the test's. */
  private final class Child {
    final Path tmp;
    final Path home;
    final Path out;
    final Process process;
    final List<String> command;

    Child(String name, Path tmp, Path home, @Nullable Path cache, List<String> extraJvmArgs) throws IOException {
      this.tmp = tmp;
      this.home = home;
      this.out = work.resolve(name + ".log");
      Files.createDirectories(tmp);
      Files.createDirectories(home);
      command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.add("-Xmx256m");
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-Djava.io.tmpdir=" + tmp);
      command.add("-Duser.home=" + home);
      if (cache != null) {
        command.add("-Dmuse4j.onnx.nativeCache=" + cache);
      }
      command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
      command.addAll(extraJvmArgs);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(NativeLoadingChild.class.getName());
      command.add(MODEL);
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      Map<String, String> env = pb.environment();
      env.put("HOME", home.toString());
      env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
      env.put("TMPDIR", tmp.toString());
      env.remove("ORT_DISABLE_TELEMETRY");
      process = pb.start();
    }

    String awaitSuccess() throws Exception {
      boolean done = process.waitFor(90, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly().waitFor();
      }
      String log = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(done).as("child finished in time; its output:%n%s", log).isTrue();
      assertThat(process.exitValue()).as("exit code of the child; its output:%n%s", log).isZero();
      assertThat(log).contains("tokens=3");
      return log;
    }
  }

  private Child child(String name, Path tmp, Path home, @Nullable Path cache, String... extraJvmArgs)
      throws IOException {
    return new Child(name, tmp, home, cache, List.of(extraJvmArgs));
  }

  private static List<String> ortTempFolders(Path tmp) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("onnxruntime-java"))
          .collect(Collectors.toList());
    }
  }

  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void aChildWithA32KbCommandLineOpensTheBackendAndGenerates() throws Exception {
    String padding = "-Dmuse4j.test.padding=" + "x".repeat(32 * 1024);
    Child c = child("long", work.resolve("tmp"), work.resolve("home"), work.resolve("cache"), padding);
    assertThat(String.join(" ", c.command).length()).isGreaterThan(32 * 1024);

    c.awaitSuccess();

    assertThat(ortTempFolders(c.tmp)).isEmpty();
  }

  @Test
  void aChildWithAnEmptyHomeWritesOnlyTheDocumentedCaches() throws Exception {
    Child c = child("home", work.resolve("tmp"), work.resolve("home"), null);

    String log = c.awaitSuccess();

    // The native cache is ours. DJL keeps its tokenizers library in ~/.djl.ai (extracted once, versioned), and JNA,
    // which DJL uses to look for CUDA, leaves an empty ~/.cache/JNA/temp; docs/troubleshooting.md lists all three.
    List<String> files = filesUnder(c.home);
    assertThat(files).isNotEmpty()
        .allSatisfy(f -> assertThat(f).matches("(\\.cache/muse4j/onnxruntime/|\\.djl\\.ai/tokenizers/).*"));
    assertThat(files).anySatisfy(f -> assertThat(f).startsWith(".cache/muse4j/onnxruntime/").endsWith("/" + LIBRARY));
    try (Stream<Path> s = Files.walk(c.home.resolve(".cache"), 1)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsAnyOf("muse4j").isSubsetOf(".cache", "muse4j", "JNA");
    }
    assertThat(c.home.resolve(".cache/Microsoft")).doesNotExist();
    assertThat(log).contains("onnxruntime.native.path=" + c.home.resolve(".cache/muse4j/onnxruntime"));
    assertThat(log).contains("OPT_OUT_TRACKING=true");
    assertThat(ortTempFolders(c.tmp)).isEmpty();
  }

  @Test
  void aCacheThatCannotBeWrittenFallsBackToOnnxRuntimesOwnLoadingWithOneWarning() throws Exception {
    Path notADirectory = Files.write(work.resolve("not-a-directory"), new byte[1]);
    Child c = child("fallback", work.resolve("tmp"), work.resolve("home"), notADirectory);

    String log = c.awaitSuccess();

    assertThat(log.lines().filter(l -> l.contains("WARN dev.muse4j"))).singleElement().asString()
        .contains("native library cache").contains("muse4j.onnx.nativeCache");
    assertThat(log).contains("onnxruntime.native.path=null");
  }

  @Test
  void fourAtOnceThenTenInSequenceShareOneCacheAndLeaveNoTemporaryFolders() throws Exception {
    Path tmp = work.resolve("tmp");
    Path home = work.resolve("home");
    Path cache = work.resolve("cache");
    List<Child> together = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      together.add(child("together-" + i, tmp, home, cache));
    }
    for (Child c : together) {
      c.awaitSuccess();
    }
    for (int i = 0; i < 10; i++) {
      child("sequence-" + i, tmp, home, cache).awaitSuccess();
    }

    assertThat(ortTempFolders(tmp)).isEmpty();
    assertThat(filesUnder(cache)).allSatisfy(f -> assertThat(f).startsWith("onnxruntime/"))
        .noneSatisfy(f -> assertThat(f).contains(".tmp-"));
  }

  @Test
  void aCorruptedLibraryInTheCacheIsDetectedAndReplaced() throws Exception {
    Path tmp = work.resolve("tmp");
    Path home = work.resolve("home");
    Path cache = work.resolve("cache");
    child("first", tmp, home, cache).awaitSuccess();
    Path library;
    try (Stream<Path> s = Files.walk(cache)) {
      library = s.filter(p -> p.getFileName().toString().equals(LIBRARY)).findFirst().orElseThrow();
    }
    String good = sha256(Files.readAllBytes(library));
    byte[] bytes = Files.readAllBytes(library);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
      bytes[i] ^= 0x5a;
    }
    Files.write(library, bytes);

    String log = child("second", tmp, home, cache).awaitSuccess();

    assertThat(log).contains("Replaced a damaged ONNX Runtime native library");
    assertThat(sha256(Files.readAllBytes(library))).isEqualTo(good).isEqualTo(jarSha256(library));
  }

  private static String jarSha256(Path cached) throws IOException {
    String[] parts = cached.getParent().getFileName().toString().split("-");
    String platform = parts[parts.length - 2] + "-" + parts[parts.length - 1];
    try (InputStream in = OrtLoggingLevel.class.getResourceAsStream("/ai/onnxruntime/native/" + platform + "/"
        + cached.getFileName())) {
      assertThat(in).as("the jar's copy of %s for %s", cached.getFileName(), platform).isNotNull();
      return sha256(in.readAllBytes());
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}

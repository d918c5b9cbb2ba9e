package dev.muse4j.onnx.internal.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCacheTest {
  private static final byte[] CORE = bytes(1, 200_000);
  private static final byte[] JNI = bytes(2, 5_000);

  @TempDir
  Path work;

  private static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A jar stand-in that counts how often each library is read. */
  private static final class FakeJar implements NativeCache.Source {
    final Map<String, byte[]> files = Map.of("libcore.so", CORE, "libjni.so", JNI);
    final AtomicInteger opened = new AtomicInteger();
    boolean recordsFingerprints;

    @Override
    public @Nullable InputStream open(String fileName) {
      byte[] b = files.get(fileName);
      if (b == null) {
        return null;
      }
      opened.incrementAndGet();
      return new ByteArrayInputStream(b);
    }

    @Override
    public NativeCache.@Nullable Fingerprint recorded(String fileName) throws IOException {
      byte[] b = files.get(fileName);
      return recordsFingerprints && b != null ? NativeCache.fingerprint(new ByteArrayInputStream(b)) : null;
    }

    @Override
    public String describe(String fileName) {
      return "the fake jar's " + fileName;
    }
  }

  private final FakeJar jar = new FakeJar();

  private NativeCache cache(Path dir) {
    return new NativeCache(dir, jar);
  }

  private static final List<String> LIBS = List.of("libcore.so", "libjni.so");

  @Test
  void extractsMissingLibrariesAndThenUsesThemAsTheyAre() throws Exception {
    Path dir = work.resolve("cache/onnxruntime/1.0-linux-x64");
    cache(dir).install(LIBS);
    assertThat(dir.resolve("libcore.so")).hasBinaryContent(CORE);
    assertThat(dir.resolve("libjni.so")).hasBinaryContent(JNI);

    FileTime before = Files.getLastModifiedTime(dir.resolve("libcore.so"));
    Files.setLastModifiedTime(dir.resolve("libcore.so"), FileTime.fromMillis(before.toMillis() - 60_000));
    cache(dir).install(LIBS);
    assertThat(Files.getLastModifiedTime(dir.resolve("libcore.so")).toMillis())
        .as("a verified file is not rewritten").isEqualTo(before.toMillis() - 60_000);
    assertThat(names(dir)).containsExactlyInAnyOrder(".lock", "libcore.so", "libjni.so");
  }

  @Test
  void whenTheJarRecordsSizesAndChecksumsACompleteCacheIsVerifiedWithoutReadingTheJar() throws Exception {
    Path dir = work.resolve("c");
    jar.recordsFingerprints = true;
    cache(dir).install(LIBS);
    assertThat(jar.opened).hasValue(2);

    cache(dir).install(LIBS);
    assertThat(jar.opened).as("nothing inflated on a start that finds the cache complete").hasValue(2);

    Files.write(dir.resolve("libjni.so"), new byte[JNI.length]);
    cache(dir).install(LIBS);
    assertThat(jar.opened).hasValue(3);
    assertThat(dir.resolve("libjni.so")).hasBinaryContent(JNI);
  }

  @Test
  void aCorruptedLibraryOfTheRightSizeIsReplaced() throws Exception {
    Path dir = work.resolve("c");
    cache(dir).install(LIBS);
    byte[] damaged = CORE.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(dir.resolve("libcore.so"), damaged);

    cache(dir).install(LIBS);

    assertThat(dir.resolve("libcore.so")).hasBinaryContent(CORE);
  }

  @Test
  void aTruncatedLibraryIsReplaced() throws Exception {
    Path dir = work.resolve("c");
    cache(dir).install(LIBS);
    Files.write(dir.resolve("libjni.so"), new byte[10]);

    cache(dir).install(LIBS);

    assertThat(dir.resolve("libjni.so")).hasBinaryContent(JNI);
  }

  @Test
  void temporaryFilesLeftByAnInterruptedExtractionAreRemoved() throws Exception {
    Path dir = Files.createDirectories(work.resolve("c"));
    Files.write(dir.resolve("libcore.so.tmp-123-abc"), new byte[100]);

    cache(dir).install(LIBS);

    assertThat(names(dir)).containsExactlyInAnyOrder(".lock", "libcore.so", "libjni.so");
  }

  @Test
  void aCompleteDirectoryIsUsedWithoutWritingToIt() throws Exception {
    Path dir = Files.createDirectories(work.resolve("readonly"));
    Files.write(dir.resolve("libcore.so"), CORE);
    Files.write(dir.resolve("libjni.so"), JNI);

    cache(dir).install(LIBS);

    assertThat(names(dir)).as("not even a lock file").containsExactlyInAnyOrder("libcore.so", "libjni.so");
  }

  @Test
  void aDirectoryThatCannotBeCreatedFailsWithTheReason() throws Exception {
    Path file = Files.write(work.resolve("a-file"), new byte[1]);

    assertThatThrownBy(() -> cache(file.resolve("onnxruntime")).install(LIBS)).isInstanceOf(IOException.class);
  }

  @Test
  void aLibraryMissingFromTheJarFailsNamingIt() {
    assertThatThrownBy(() -> cache(work.resolve("c")).install(List.of("libcore.so", "libgone.so")))
        .isInstanceOf(IOException.class).hasMessageContaining("the fake jar's libgone.so does not exist");
  }

  @Test
  void threadsExtractingAtOnceLeaveOneCompleteDirectory() throws Exception {
    Path dir = work.resolve("c");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(pool.submit(() -> {
          cache(dir).install(LIBS);
          return null;
        }));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(dir.resolve("libcore.so")).hasBinaryContent(CORE);
    assertThat(names(dir)).containsExactlyInAnyOrder(".lock", "libcore.so", "libjni.so");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toList());
    }
  }
}

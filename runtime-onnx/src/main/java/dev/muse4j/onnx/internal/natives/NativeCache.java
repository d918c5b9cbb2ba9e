package dev.muse4j.onnx.internal.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directory of files kept identical to their source in a jar: ONNX Runtime's native libraries, or the files of a
 * model shipped on the class path ({@link ClasspathModels}).
 *
 * <p>A file in the directory is used only when its size and CRC-32 equal those of its source; otherwise it is
 * extracted again. The source's values come from the jar's zip directory, which records both for every entry, so a
 * start that finds the cache complete reads each cached file once and inflates nothing (about 70 ms for ONNX
 * Runtime's 24 MB library, where hashing the jar's copy as well took over 500 ms). CRC-32 finds damage (a
 * truncated or interrupted write, flipped bytes, another version's file); it is no defence against someone who may
 * write to the cache directory, which is why the default one is under the user's own home.
 *
 * <p>Files are never written in place: each is written to a temporary file in the same directory and moved over the
 * old name atomically, so a reader sees either the old file or the whole new one. Writers in several
 * JVMs take a {@link FileLock} on {@value #LOCK_FILE} in the directory, so one extracts while the others wait and
 * then find the files ready. A directory that is already complete is used without writing anything, so it may be
 * read-only.
 *
 * <p>Thread-safe as far as the file system goes: concurrent calls from several threads or JVMs leave a complete,
 * verified directory. Callers in one JVM should still call {@link #install} once (a second lock on the same file in
 * one JVM is refused; the call then goes on without the lock, relying on the atomic moves).
 */
final class NativeCache {
  private static final Logger LOG = LoggerFactory.getLogger(NativeCache.class);

  /** The lock file that writers hold while they check and extract. */
  static final String LOCK_FILE = ".lock";
  private static final String TEMP_MARK = ".tmp-";

  /** Where the libraries come from. */
  interface Source {
    /**
     * Opens a library's bytes.
     *
     * @param fileName the library's file name, as {@link System#mapLibraryName} gives it
     * @return the stream, which the caller closes, or null if the source has no such library
     * @throws IOException if it cannot be read
     */
    @Nullable InputStream open(String fileName) throws IOException;

    /**
     * The library's size and CRC-32 if the source knows them without reading the bytes (a jar's zip directory
     * does).
     *
     * @param fileName the library's file name
     * @return the fingerprint, or null to compute it from {@link #open}
     * @throws IOException if the source cannot be read
     */
    default @Nullable Fingerprint recorded(String fileName) throws IOException {
      return null;
    }

    /**
     * Where the source is, for messages.
     *
     * @param fileName the library's file name
     * @return a description
     */
    String describe(String fileName);
  }

  /**
   * A file's size and CRC-32.
   *
   * @param size the size in bytes
   * @param crc32 the CRC-32 of the bytes
   */
  record Fingerprint(long size, long crc32) {
    /**
     * The size and CRC-32 a jar's zip directory records for the resource at {@code url}, so a file can be checked
     * without inflating the entry; null when the resource is not in a jar or the directory lacks them.
     */
    static @Nullable Fingerprint ofJarEntry(@Nullable URL url) throws IOException {
      if (url == null || !"jar".equals(url.getProtocol())) {
        return null;
      }
      JarURLConnection connection = (JarURLConnection) url.openConnection();
      // A private copy of the jar file, closed below; the class loader's shared one must stay open.
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        JarEntry entry = jar.getJarEntry(connection.getEntryName());
        if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
          return null;
        }
        return new Fingerprint(entry.getSize(), entry.getCrc());
      }
    }

    @Override
    public String toString() {
      return size + " bytes, CRC-32 " + String.format("%08x", crc32);
    }
  }

  private final Path dir;
  private final Source source;
  private final String what;

  NativeCache(Path dir, Source source) {
    this(dir, source, "ONNX Runtime native library");
  }

  /**
   * @param dir the directory
   * @param source where the files come from
   * @param what what one file is, for log lines ("ONNX Runtime native library", "model file")
   */
  NativeCache(Path dir, Source source, String what) {
    this.dir = dir;
    this.source = source;
    this.what = what;
  }

  /**
   * Makes sure that each library is in the directory and equal to its source, extracting those that are missing or
   * differ.
   *
   * @param fileNames the libraries' file names
   * @throws IOException if a library cannot be read from the source, or the directory needs writing and cannot be
   *     written
   */
  void install(List<String> fileNames) throws IOException {
    Map<String, Fingerprint> expected = new LinkedHashMap<>();
    for (String name : fileNames) {
      expected.put(name, fingerprintOfSource(name));
    }
    if (firstMismatch(expected) == null) {
      LOG.debug("The {} files in {} are complete and verified", what, dir);
      return;
    }
    Files.createDirectories(dir);
    try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = lock(channel);
      try {
        if (lock != null) {
          deleteStaleTemporaryFiles();
        }
        for (Map.Entry<String, Fingerprint> e : expected.entrySet()) {
          String why = mismatch(e.getKey(), e.getValue());
          if (why != null) {
            extract(e.getKey(), e.getValue(), why);
          }
        }
      } finally {
        if (lock != null) {
          lock.release();
        }
      }
    }
    String why = firstMismatch(expected);
    if (why != null) {
      throw new IOException("after extraction, " + why);
    }
  }

  private @Nullable FileLock lock(FileChannel channel) throws IOException {
    try {
      return channel.lock();
    } catch (OverlappingFileLockException e) {
      LOG.debug("{} is already locked in this JVM; extracting without the lock", dir.resolve(LOCK_FILE));
      return null;
    } catch (IOException e) {
      // Some network file systems refuse locks; the atomic moves still keep every reader safe.
      LOG.debug("Cannot lock {} ({}); extracting without the lock", dir.resolve(LOCK_FILE), e.toString());
      return null;
    }
  }

  private @Nullable String firstMismatch(Map<String, Fingerprint> expected) throws IOException {
    for (Map.Entry<String, Fingerprint> e : expected.entrySet()) {
      String why = mismatch(e.getKey(), e.getValue());
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** Why the cached file differs from its source, or null if it is equal. */
  private @Nullable String mismatch(String name, Fingerprint expected) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return file + " is missing";
    }
    long size = Files.size(file);
    if (size != expected.size()) {
      return file + " has " + size + " bytes but " + source.describe(name) + " has " + expected.size();
    }
    Fingerprint actual;
    try (InputStream in = Files.newInputStream(file)) {
      actual = fingerprint(in);
    }
    if (!actual.equals(expected)) {
      return file + " (" + actual + ") differs from " + source.describe(name) + " (" + expected + ")";
    }
    return null;
  }

  private Fingerprint fingerprintOfSource(String name) throws IOException {
    Fingerprint recorded = source.recorded(name);
    if (recorded != null) {
      return recorded;
    }
    try (InputStream in = open(name)) {
      return fingerprint(in);
    }
  }

  private InputStream open(String name) throws IOException {
    InputStream in = source.open(name);
    if (in == null) {
      throw new IOException(source.describe(name) + " does not exist");
    }
    return in;
  }

  private void extract(String name, Fingerprint expected, String why) throws IOException {
    Path target = dir.resolve(name);
    boolean replacing = Files.exists(target);
    Path temp = dir.resolve(name + TEMP_MARK + ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Fingerprint written;
      try (InputStream in = open(name);
          CheckedInputStream checked = new CheckedInputStream(in, new CRC32());
          OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long size = checked.transferTo(out);
        written = new Fingerprint(size, checked.getChecksum().getValue());
      }
      if (!written.equals(expected)) {
        throw new IOException(source.describe(name) + " changed while it was extracted (" + expected + ", then "
            + written + ")");
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    if (replacing) {
      LOG.warn("Replaced a damaged {} in the Muse4j cache: {}", what, why);
    } else {
      LOG.debug("Extracted {} to {}", source.describe(name), target);
    }
  }

  /** Under the lock nobody else is writing, so temporary files are what an interrupted extraction left. */
  private void deleteStaleTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + TEMP_MARK + "*")) {
      for (Path p : entries) {
        LOG.debug("Deleting {}, left by an interrupted extraction", p);
        Files.deleteIfExists(p);
      }
    }
  }

  static Fingerprint fingerprint(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    long size = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      crc.update(buffer, 0, n);
      size += n;
    }
    return new Fingerprint(size, crc.getValue());
  }

  @Override
  public String toString() {
    return "NativeCache[" + dir + "]";
  }
}

package dev.muse4j.onnx;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is logged while it is open: slf4j-simple writes to whatever {@code System.err} is when it writes.
 * Close it to restore {@code System.err} (the captured text is echoed there); use it from one test at a time.
 */
public final class CapturedLog implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  public CapturedLog() {
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  public String text() {
    System.err.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  public long warnings() {
    return text().lines().filter(l -> l.contains("WARN")).count();
  }

  @Override
  public void close() {
    System.setErr(original);
    original.print(text());
  }
}

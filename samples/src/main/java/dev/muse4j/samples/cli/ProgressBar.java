package dev.muse4j.samples.cli;

import dev.muse4j.Progress;
import dev.muse4j.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;

/** A one-line text progress bar with steps and ETA, redrawn in place on standard error. */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private final PrintWriter err;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void onProgress(Progress p) {
    int filled = (int) Math.round(p.fraction() * WIDTH);
    String eta = p.eta().map(ProgressBar::format).orElse("--");
    err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + p.step() + "/" + p.totalSteps()
        + " " + p.stage() + "  elapsed " + format(p.elapsed()) + "  ETA " + eta + "   ");
    if (p.step() == p.totalSteps()) {
      err.println();
    }
    err.flush();
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 60 ? s / 60 + "m" + s % 60 + "s" : d.toMillis() / 100 / 10.0 + "s";
  }
}

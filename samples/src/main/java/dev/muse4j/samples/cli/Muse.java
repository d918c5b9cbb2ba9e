package dev.muse4j.samples.cli;

import dev.muse4j.Muse4jException;
import dev.muse4j.samples.poet.EmbeddedPoet;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code muse} command. Run without arguments it prints its help and the backends on the class path.
 *
 * <p>Errors print as one readable line and a hint; {@code --verbose} adds the stack trace.
 *
 * <p>Not thread-safe: each {@link #run(String[], PrintWriter, PrintWriter)} uses a new instance.
 *
 * @since 0.1.0
 */
@Command(name = "muse", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Generative art from the command line: poems, text, pictures, style and music, "
        + "locally on ONNX Runtime or on any OpenAI-compatible server.",
    subcommands = {PoemCommand.class, TextCommand.class, ImageCommand.class, StyleCommand.class, MusicCommand.class,
        SampleCommand.class, BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Muse implements Runnable {
  @Spec
  private CommandSpec spec;

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  /** Creates the command. */
  public Muse() {}

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line with the given output streams.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code: 0 for success, 1 for a failure, 2 for a usage error
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Muse muse = new Muse();
    CommandLine cli = new CommandLine(muse);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      err.println("muse: " + oneLine(e));
      String hint = hint(e);
      if (!hint.isEmpty()) {
        err.println("hint: " + hint);
      }
      if (muse.verbose) {
        e.printStackTrace(err);
      } else {
        err.println("(run with --verbose for details)");
      }
      err.flush();
      return 1;
    });
    return cli.execute(args);
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }

  private static String hint(Exception e) {
    if (e instanceof dev.muse4j.BackendUnavailableException) {
      return "'muse backends' lists the backends on the class path and why any is unavailable.";
    }
    if (e instanceof dev.muse4j.ConfigurationException && ((dev.muse4j.ConfigurationException) e).setting()
        .equals("model")) {
      return "for example --model " + EmbeddedPoet.MODEL + " (the embedded poet; it writes classical Chinese "
          + "from a Chinese opening), a model directory (docs/models.md), or a model id with --backend openai. "
          + "'muse poem' needs no model.";
    }
    if (e instanceof dev.muse4j.ConfigurationException) {
      return "'muse backends --settings' lists each backend's settings.";
    }
    if (e instanceof Muse4jException) {
      return "see docs/troubleshooting.md for this error.";
    }
    return "";
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    spec.commandLine().usage(out);
    out.println();
    BackendsCommand.print(out, false);
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Muse.class.getPackage().getImplementationVersion();
      return new String[] {"muse (Muse4j) " + (v == null ? "development build" : v)};
    }
  }
}

package dev.muse4j.samples.cli;

import dev.muse4j.BackendInfo;
import dev.muse4j.BackendSetting;
import dev.muse4j.Capability;
import dev.muse4j.Muse4j;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code muse backends}: each backend on the class path, what it can do, and whether it is available. */
@Command(name = "backends", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "List the backends on the class path and whether each is available.")
final class BackendsCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  @Option(names = "--settings", description = "Also list each backend's settings.")
  boolean settings;

  @Override
  public void run() {
    print(spec.commandLine().getOut(), settings);
  }

  static void print(PrintWriter out, boolean withSettings) {
    List<BackendInfo> backends = Muse4j.backends();
    if (backends.isEmpty()) {
      out.println("No backends on the class path. Add dev.muse4j:muse4j-runtime-onnx or "
          + "dev.muse4j:muse4j-runtime-remote.");
      return;
    }
    out.println("Backends:");
    for (BackendInfo b : backends) {
      String capabilities = b.capabilities().stream().sorted().map(Capability::name)
          .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
      out.printf("  %-8s %-11s %s%n", b.name(), b.isAvailable() ? "available" : "unavailable",
          b.description() + " [" + capabilities + "]");
      b.unavailableReason().ifPresent(r -> out.println("           why: " + r));
      if (withSettings) {
        for (BackendSetting s : b.settings()) {
          out.printf("           %s%s: %s%n", s.name(), s.isSecret() ? "" : s.defaultValue().map(d -> " = " + d)
              .orElse(""), s.description());
        }
      }
    }
    out.flush();
  }
}

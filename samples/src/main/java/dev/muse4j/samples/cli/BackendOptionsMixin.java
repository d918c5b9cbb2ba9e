package dev.muse4j.samples.cli;

import picocli.CommandLine.ArgGroup;

/** Puts {@link BackendOptions} under their own help heading. */
final class BackendOptionsMixin {
  @ArgGroup(exclusive = false, heading = "Backend%n")
  BackendOptions options = new BackendOptions();
}

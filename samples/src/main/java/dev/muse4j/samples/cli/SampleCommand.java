package dev.muse4j.samples.cli;

import dev.muse4j.samples.BackendSwap;
import dev.muse4j.samples.CustomBackend;
import dev.muse4j.samples.GameBard;
import dev.muse4j.samples.Illustrate;
import dev.muse4j.samples.SpriteForge;
import dev.muse4j.samples.QuickStart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code muse sample NAME}: runs one of the sample programs. */
@Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Run a sample program: QuickStart, GameBard, BackendSwap, CustomBackend, "
    + "Illustrate, SpriteForge (see samples/src/main/java/dev/muse4j/samples).")
final class SampleCommand implements Callable<Integer> {
  interface Main {
    void run(String[] args) throws Exception;
  }

  static final Map<String, Main> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("QuickStart", QuickStart::main);
    SAMPLES.put("GameBard", GameBard::main);
    SAMPLES.put("BackendSwap", BackendSwap::main);
    SAMPLES.put("CustomBackend", CustomBackend::main);
    SAMPLES.put("Illustrate", Illustrate::main);
    SAMPLES.put("SpriteForge", SpriteForge::main);
  }

  @Parameters(index = "0", paramLabel = "NAME", description = "The sample: ${COMPLETION-CANDIDATES}.",
      completionCandidates = Names.class)
  String name;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the sample.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Main main = SAMPLES.get(name);
    if (main == null) {
      throw new IllegalArgumentException("No sample named '" + name + "'; choose one of "
          + String.join(", ", SAMPLES.keySet()) + ".");
    }
    main.run(args.toArray(new String[0]));
    return 0;
  }

  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return SAMPLES.keySet().iterator();
    }
  }
}

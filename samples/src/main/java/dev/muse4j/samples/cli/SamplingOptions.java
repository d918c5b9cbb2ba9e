package dev.muse4j.samples.cli;

import dev.muse4j.SamplingConfig;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Sampling options; unset ones leave the choice to the model's own defaults. */
final class SamplingOptions {
  @Option(names = "--seed", description = "Random seed: the same seed repeats the same output (local backends).")
  @Nullable Long seed;

  @Option(names = {"-t", "--temperature"}, description = "0 is greedy; higher is more adventurous.")
  @Nullable Double temperature;

  @Option(names = "--top-p", description = "Nucleus sampling, (0, 1].")
  @Nullable Double topP;

  @Option(names = "--top-k", description = "Keep only the k most likely tokens.")
  @Nullable Integer topK;

  @Option(names = "--max-tokens", description = "Most new tokens.")
  @Nullable Integer maxTokens;

  @Option(names = "--repetition-penalty", description = "Above 1 discourages repeats.")
  @Nullable Double repetitionPenalty;

  @Option(names = "--stop", description = "A stop string, repeatable.")
  List<String> stop = new ArrayList<>();

  SamplingConfig toConfig() {
    return SamplingConfig.builder().seed(seed).temperature(temperature).topP(topP).topK(topK).maxTokens(maxTokens)
        .repetitionPenalty(repetitionPenalty).stop(stop.isEmpty() ? null : stop).build();
  }
}

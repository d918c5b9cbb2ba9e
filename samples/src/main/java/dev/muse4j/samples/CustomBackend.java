package dev.muse4j.samples;

import dev.muse4j.Backend;
import dev.muse4j.BackendInfo;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;

/**
 * A third-party backend through the SPI: the {@code markov} backend in {@code dev.muse4j.samples.custom} is found by
 * {@link java.util.ServiceLoader} like the built-in ones, and is used through the same API. See
 * {@code docs/custom-backend.md}. Run: {@code ./muse sample CustomBackend}.
 *
 * <p>Stateless and thread-safe; every call opens and closes its own backends.
 *
 * @since 0.1.0
 */
public final class CustomBackend {
  private CustomBackend() {}

  /**
   * Writes a quatrain with the markov backend.
   *
   * @param seed the seed
   * @return the quatrain, preceded by how discovery describes the backend
   */
  public static String quatrain(long seed) {
    BackendInfo info = Muse4j.backends().stream().filter(b -> b.name().equals("markov")).findFirst().orElseThrow();
    try (Backend markov = Muse4j.backend("markov");
        TextGenerator poet = markov.text("verse")) {
      String text = poet.generate(TextRequest.of("the sea")
          .withSampling(SamplingConfig.builder().seed(seed).temperature(0.8).build())).text();
      return info + "\n\nthe sea" + text;
    }
  }

  /**
   * Runs the sample.
   *
   * @param args an optional seed
   */
  public static void main(String[] args) {
    System.out.println(quatrain(args.length > 0 ? Long.parseLong(args[0]) : 1L));
  }
}

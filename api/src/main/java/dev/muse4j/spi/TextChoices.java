package dev.muse4j.spi;

import dev.muse4j.InvalidRequestException;
import dev.muse4j.TextChoice;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Helpers for backends that produce one completion per generation: the check that a stream asks for one, and
 * {@link TextRequest#count()} completions made by running one generation per choice. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class TextChoices {
  private TextChoices() {}

  /**
   * Rejects a request for several completions where only one can be made, such as a stream.
   *
   * @param request the request
   * @throws InvalidRequestException naming {@code count} when it is above 1
   */
  public static void requireOne(TextRequest request) {
    if (request.count() != 1) {
      throw new InvalidRequestException("count", "A stream carries one completion, but count was " + request.count()
          + "; use generate() for several.");
    }
  }

  /**
   * Makes {@code request.count()} completions, one generation each, and combines them: the choices in order, usage
   * summed over the completions (the prompt counted once), and timings from the first token of the first choice to
   * the end of the last.
   *
   * @param request the request
   * @param start starts the generation of choice {@code i} (a backend typically offsets its seed by {@code i});
   *     each stream is closed here
   * @return the combined result
   */
  public static TextResult generateEach(TextRequest request, IntFunction<TextStream> start) {
    List<TextChoice> choices = new ArrayList<>();
    int prompt = 0;
    int completion = 0;
    boolean usageKnown = true;
    Duration firstToken = Duration.ZERO;
    Duration total = Duration.ZERO;
    for (int i = 0; i < request.count(); i++) {
      try (TextStream stream = start.apply(i)) {
        TextResult one = stream.result();
        choices.add(TextChoice.of(i, one.text(), one.finishReason()));
        if (one.usage().isPresent()) {
          prompt = one.usage().get().promptTokens();
          completion += one.usage().get().completionTokens();
        } else {
          usageKnown = false;
        }
        if (i == 0) {
          firstToken = one.timings().timeToFirstToken();
        }
        total = total.plus(one.timings().total());
      }
    }
    return TextResult.ofChoices(choices, usageKnown ? Usage.of(prompt, completion) : null,
        Timings.of(firstToken, total, completion));
  }
}

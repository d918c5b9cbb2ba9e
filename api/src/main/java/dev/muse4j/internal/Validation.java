package dev.muse4j.internal;

import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.MusicRequest;
import dev.muse4j.SamplingConfig;
import dev.muse4j.StyleRequest;
import dev.muse4j.TextRequest;
import dev.muse4j.spi.Limits;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Checks requests against the limits an engine declares, with errors that name the limit. Stateless. */
final class Validation {
  private Validation() {}

  static void text(TextRequest request, Limits limits, String what) {
    if (request.count() > limits.maxCount()) {
      throw new InvalidRequestException("count", "count is " + request.count() + " but this " + what + " makes at "
          + "most " + limits.maxCount() + " completions per request (limit: maxCount); ask for fewer, or send several "
          + "requests.");
    }
  }

  /**
   * The warning to log when the request's explicit {@code maxTokens} cannot fit the model's context, or null. Such a
   * generation is not refused: it ends with {@code LENGTH} at the context window, as a model's own limit would end it.
   */
  static @Nullable String contextWarning(SamplingConfig explicit, Limits limits, String what) {
    if (limits.contextLength().isPresent() && explicit.maxTokens().isPresent()) {
      int context = limits.contextLength().getAsInt();
      int max = explicit.maxTokens().getAsInt();
      if (max >= context) {
        return "maxTokens is " + max + " but the model's context is " + context + " tokens for the prompt and the "
            + "reply together (limit: contextLength of " + what + "), so generation ends with LENGTH at the context "
            + "window. Ask for at most " + (context - 1) + " tokens, fewer the longer the prompt.";
      }
    }
    return null;
  }

  static void image(ImageRequest request, Limits limits, String what) {
    if (request.width().isPresent()) {
      side(request.width().getAsInt(), "width", limits, what);
      side(request.height().orElse(request.width().getAsInt()), "height", limits, what);
    }
    if (request.count() > limits.maxCount()) {
      throw new InvalidRequestException("count", "count is " + request.count() + " but this " + what + " makes at "
          + "most " + limits.maxCount() + " pictures per request (limit: maxCount); ask for fewer.");
    }
    if (request.steps().isPresent() && request.steps().getAsInt() > limits.maxSteps()) {
      throw new InvalidRequestException("steps", "steps is " + request.steps().getAsInt() + " but this " + what
          + " runs at most " + limits.maxSteps() + " (limit: maxSteps).");
    }
    if (request.scheduler().isPresent() && !limits.schedulers().isEmpty()) {
      String name = request.scheduler().get();
      if (!limits.schedulers().contains(name.toLowerCase(Locale.ROOT))) {
        throw new InvalidRequestException("scheduler", "Scheduler '" + name + "' is not one this " + what + " runs."
            + Suggestions.didYouMean(name, limits.schedulers()) + " Supported: "
            + String.join(", ", limits.schedulers()) + ".");
      }
    }
  }

  private static void side(int value, String field, Limits limits, String what) {
    int multiple = limits.sideMultiple();
    if (value > limits.maxSide() || value % multiple != 0) {
      int nearest = Math.max(multiple, Math.min(limits.maxSide() / multiple * multiple,
          Math.round((float) value / multiple) * multiple));
      throw new InvalidRequestException(field, field + " is " + value + " but this " + what + " takes multiples of "
          + multiple + " up to " + limits.maxSide() + " (limits: sideMultiple, maxSide); the nearest valid size is "
          + nearest + ".");
    }
  }

  static void style(StyleRequest request, Limits limits, String what) {
    picture(request.content(), "content", limits, what);
    if (request.style().isPresent()) {
      picture(request.style().get(), "style", limits, what);
    }
  }

  private static void picture(Image image, String field, Limits limits, String what) {
    if (image.width() > limits.maxSide() || image.height() > limits.maxSide()) {
      throw new InvalidRequestException(field, "The " + field + " picture is " + image.width() + "x" + image.height()
          + " but this " + what + " takes sides up to " + limits.maxSide() + " pixels (limit: maxSide); scale it "
          + "down first.");
    }
  }

  static void music(MusicRequest request, Limits limits, String what) {
    if (request.duration().compareTo(limits.maxDuration()) > 0) {
      throw new InvalidRequestException("duration", "duration is " + request.duration().toMillis() / 1000.0
          + " s but this " + what + " makes at most " + limits.maxDuration().toMillis() / 1000.0
          + " s (limit: maxDuration); ask for less, or join several pieces.");
    }
  }
}

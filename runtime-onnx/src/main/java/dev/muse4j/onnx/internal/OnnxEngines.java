package dev.muse4j.onnx.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Capability;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.gan.OnnxGanEngine;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.text.OnnxTextEngine;
import dev.muse4j.spi.EngineSet;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The onnx backend's engines: every kind shares one {@link SessionFactory} (one execution-provider policy and one
 * set of session options). Each opener first recognises the model's kind from the directory's files, so a model of
 * another kind is a clear error rather than a confusing load failure. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class OnnxEngines {
  private OnnxEngines() {}

  /**
   * The engines of one onnx backend.
   *
   * @param sessions opens sessions on the chosen execution provider
   * @return the engine set; the core closes it
   */
  public static EngineSet open(SessionFactory sessions) {
    ObjectMapper json = new ObjectMapper();
    return EngineSet.builder()
        .description("execution provider " + sessions.provider().settingName())
        .text((model, options) -> {
          requireKind(model, Capability.TEXT);
          return OnnxTextEngine.open(model, options, sessions, json);
        })
        .image((model, options) -> {
          requireKind(model, Capability.IMAGE);
          ModelKind kind = ModelKind.of(Path.of(model));
          if (kind == ModelKind.GAN) {
            return OnnxGanEngine.open(model, options, sessions, json);
          }
          if (kind == ModelKind.STABLE_DIFFUSION) {
            throw new ModelLoadException(model, "Directory " + model + " holds a Stable Diffusion pipeline; the onnx "
                + "backend does not run Stable Diffusion yet. It runs GAN generators (a directory with gan.json).");
          }
          throw new ModelLoadException(model, "Directory " + model + " is not a picture model the onnx backend "
              + "runs: a GAN generator needs a gan.json beside its .onnx file (see docs/images.md).");
        })
        .build();
  }

  /**
   * Checks that a model directory holds the kind of model asked for.
   *
   * @param model the directory as the user named it
   * @param wanted the kind the caller opens it as
   * @throws ModelLoadException naming the kind found and the kind expected, and the method that opens it
   */
  static void requireKind(String model, Capability wanted) {
    ModelKind found = ModelKind.of(Path.of(model));
    if (found != ModelKind.UNKNOWN && found.capability != wanted) {
      throw new ModelLoadException(model, "Directory " + model + " holds " + found.description + " (it has "
          + found.evidence + "), not a " + wanted.description() + " model. Open it with backend."
          + found.capability.name().toLowerCase(java.util.Locale.ROOT) + "(\"" + model + "\") instead.");
    }
  }

  /** The kinds of model directory the onnx backend recognises, by the files that mark them. */
  enum ModelKind {
    STABLE_DIFFUSION(Capability.IMAGE, "a Stable Diffusion picture model", "model_index.json or unet/"),
    GAN(Capability.IMAGE, "a GAN picture model", "gan.json"),
    STYLE(Capability.STYLE, "a style transfer model", "style.json"),
    MUSICGEN(Capability.MUSIC, "a MusicGen music model", "encodec_decode*.onnx"),
    /** Nothing marks another kind: the text loader decides, and names what it expected. */
    UNKNOWN(Capability.TEXT, "an unrecognised model", "nothing recognisable");

    final Capability capability;
    final String description;
    final String evidence;

    ModelKind(Capability capability, String description, String evidence) {
      this.capability = capability;
      this.description = description;
      this.evidence = evidence;
    }

    static ModelKind of(Path dir) {
      if (!Files.isDirectory(dir)) {
        return UNKNOWN;
      }
      if (Files.isRegularFile(dir.resolve("model_index.json")) || Files.isDirectory(dir.resolve("unet"))) {
        return STABLE_DIFFUSION;
      }
      if (Files.isRegularFile(dir.resolve("gan.json"))) {
        return GAN;
      }
      if (Files.isRegularFile(dir.resolve("style.json"))) {
        return STYLE;
      }
      if (hasFile(dir, "encodec_decode") || hasFile(dir.resolve("onnx"), "encodec_decode")) {
        return MUSICGEN;
      }
      return UNKNOWN;
    }

    private static boolean hasFile(Path dir, String prefix) {
      if (!Files.isDirectory(dir)) {
        return false;
      }
      try (var files = Files.list(dir)) {
        return files.anyMatch(p -> p.getFileName().toString().startsWith(prefix)
            && p.getFileName().toString().endsWith(".onnx"));
      } catch (java.io.IOException e) {
        return false;
      }
    }
  }
}

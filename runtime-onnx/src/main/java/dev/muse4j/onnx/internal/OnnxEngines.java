package dev.muse4j.onnx.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Capability;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.diffusion.OnnxDiffusionEngine;
import dev.muse4j.onnx.internal.gan.OnnxGanEngine;
import dev.muse4j.onnx.internal.music.AbcMusicEngine;
import dev.muse4j.onnx.internal.music.MusicGenEngine;
import dev.muse4j.onnx.internal.natives.ClasspathModels;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.style.OnnxStyleEngine;
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
          Path dir = directory(model);
          requireKind(model, dir, Capability.TEXT);
          return OnnxTextEngine.open(model, dir, options, sessions, json);
        })
        .style((model, options) -> {
          requireKind(model, directory(model), Capability.STYLE);
          return OnnxStyleEngine.open(model, options, sessions, json);
        })
        .image((model, options) -> {
          Path dir = directory(model);
          requireKind(model, dir, Capability.IMAGE);
          ModelKind kind = ModelKind.of(dir);
          if (kind == ModelKind.GAN) {
            return OnnxGanEngine.open(model, dir, options, sessions, json);
          }
          if (kind == ModelKind.STABLE_DIFFUSION) {
            return OnnxDiffusionEngine.open(model, dir, options, sessions, json);
          }
          throw new ModelLoadException(model, "Directory " + model + " is not a picture model the onnx backend "
              + "runs: a Stable Diffusion pipeline has model_index.json and unet/, a GAN generator a gan.json beside its .onnx "
              + "file (see docs/images.md).");
        })
        .music((model, options) -> {
          Path dir = directory(model);
          if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(model, "Model directory '" + model + "' does not exist.");
          }
          ModelKind kind = ModelKind.of(dir);
          if (kind == ModelKind.MUSICGEN) {
            return MusicGenEngine.open(model, dir, options, sessions, json);
          }
          requireKind(model, dir, Capability.MUSIC);
          if (kind != ModelKind.SYMBOLIC_MUSIC) {
            throw new ModelLoadException(model, "Directory " + model + " is not a music model: a MusicGen export has "
                + "text_encoder.onnx, decoder_model_merged.onnx and encodec_decode.onnx; a symbolic model is a text "
                + "model directory with a music.json marker (see docs/music.md).");
          }
          return AbcMusicEngine.open(model, dir, OnnxTextEngine.open(model, dir, options, sessions, json), json);
        })
        .build();
  }

  /**
   * Where a model's files are: the directory named, or for {@code classpath:<folder>} the class path folder, extracted
   * into the cache if it is in a jar.
   */
  static Path directory(String model) {
    return ClasspathModels.isClasspath(model) ? ClasspathModels.directory(model) : Path.of(model);
  }

  /**
   * Checks that a model directory holds the kind of model asked for.
   *
   * @param model the model as the user named it
   * @param dir its directory
   * @param wanted the kind the caller opens it as
   * @throws ModelLoadException naming the kind found and the kind expected, and the method that opens it
   */
  static void requireKind(String model, Path dir, Capability wanted) {
    ModelKind found = ModelKind.of(dir);
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
    STYLE(Capability.STYLE, "a style transfer model", "style.json, an AdaIN encoder.onnx/decoder.onnx pair, or a single "
        + ".onnx and no tokenizer"),
    MUSICGEN(Capability.MUSIC, "a MusicGen music model", "encodec_decode*.onnx or text_encoder*.onnx"),
    SYMBOLIC_MUSIC(Capability.MUSIC, "a symbolic music model (a text model that writes ABC)", "music.json"),
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
      if (Files.isRegularFile(dir.resolve(AbcMusicEngine.MARKER))) {
        return SYMBOLIC_MUSIC;
      }
      if (hasFile(dir, "encodec_decode") || hasFile(dir.resolve("onnx"), "encodec_decode")
          || hasFile(dir, "text_encoder") || hasFile(dir.resolve("onnx"), "text_encoder")) {
        return MUSICGEN;
      }
      if (looksLikeStyle(dir)) {
        return STYLE;
      }
      return UNKNOWN;
    }

    /**
     * A style model without style.json, as the ONNX model zoo's fast neural style is downloaded (one .onnx file), or
     * an AdaIN pair: .onnx files and none of the files a text model comes with.
     */
    private static boolean looksLikeStyle(Path dir) {
      for (String textFile : TEXT_FILES) {
        if (Files.exists(dir.resolve(textFile))) {
          return false;
        }
      }
      if (Files.isRegularFile(dir.resolve("encoder.onnx")) && Files.isRegularFile(dir.resolve("decoder.onnx"))) {
        return true;
      }
      try (var files = Files.list(dir)) {
        return files.filter(p -> p.getFileName().toString().endsWith(".onnx")).count() == 1;
      } catch (java.io.IOException e) {
        return false;
      }
    }

    private static final java.util.List<String> TEXT_FILES = java.util.List.of("tokenizer.json", "tokenizer.model",
        "tokenizer_config.json", "config.json", "genai_config.json", "vocab.json");

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

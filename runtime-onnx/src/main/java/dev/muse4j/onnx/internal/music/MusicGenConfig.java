package dev.muse4j.onnx.internal.music;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ModelLoadException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.onnx.internal.JsonErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a MusicGen model directory's {@code config.json} and {@code generation_config.json} say: the codebooks, the
 * pad and start tokens, the audio rate and frame rate, the longest sequence, and the sampling defaults (guidance 3,
 * top-k 250 for the published models). Immutable.
 */
final class MusicGenConfig {
  final int codebooks;
  final int vocabulary;
  final int pad;
  final int decoderStart;
  final int sampleRate;
  final int frameRate;
  /** The longest decoder sequence, start token included: {@code max_length} of generation_config.json. */
  final int maxLength;
  final double guidanceScale;
  final SamplingConfig sampling;
  final int heads;
  final int headDim;

  private MusicGenConfig(int codebooks, int vocabulary, int pad, int decoderStart, int sampleRate, int frameRate,
      int maxLength, double guidanceScale, SamplingConfig sampling, int heads, int headDim) {
    this.codebooks = codebooks;
    this.vocabulary = vocabulary;
    this.pad = pad;
    this.decoderStart = decoderStart;
    this.sampleRate = sampleRate;
    this.frameRate = frameRate;
    this.maxLength = maxLength;
    this.guidanceScale = guidanceScale;
    this.sampling = sampling;
    this.heads = heads;
    this.headDim = headDim;
  }

  /** The most frames one generation makes: {@code max_length} less the start token and the delay pattern. */
  int maxFrames() {
    return maxLength - codebooks;
  }

  Duration maxDuration() {
    return MusicGenMath.duration(maxFrames(), frameRate);
  }

  static MusicGenConfig read(Path dir, String model, ObjectMapper json) {
    Path configFile = dir.resolve("config.json");
    if (!Files.isRegularFile(configFile)) {
      throw new ModelLoadException(model, "The MusicGen model has no config.json (looked for " + configFile + "); "
          + "it comes with the export (see docs/music.md).");
    }
    JsonNode config = readJson(configFile, model, json);
    String type = config.path("model_type").asText("");
    JsonNode decoder = config.path("decoder");
    if (type.equals("musicgen_melody") || decoder.path("model_type").asText("").equals("musicgen_melody_decoder")
        || config.has("num_chroma") || config.has("chroma_length")) {
      throw new ModelLoadException(model, "Directory " + model + " holds MusicGen Melody (model_type " + type + "), "
          + "which is conditioned on a melody's chroma as well as on text; melody conditioning is not supported. "
          + "Use a text-only MusicGen export (musicgen-small, musicgen-medium, musicgen-large).");
    }
    if (!type.isEmpty() && !type.equals("musicgen")) {
      throw new ModelLoadException(model, "config.json says model_type '" + type + "'; a MusicGen model says "
          + "\"musicgen\".");
    }
    if (decoder.isMissingNode()) {
      throw new ModelLoadException(model, "config.json has no \"decoder\" section (num_codebooks, vocab_size, "
          + "pad_token_id); is this a MusicGen export?");
    }
    int channels = decoder.path("audio_channels").asInt(1);
    if (channels != 1) {
      throw new ModelLoadException(model, "The model makes " + channels + "-channel audio (a stereo MusicGen); its "
          + "codebooks interleave the channels in a delay pattern that is not supported. Use a mono model.");
    }
    int codebooks = decoder.path("num_codebooks").asInt(4);
    int vocabulary = decoder.path("vocab_size").asInt(2048);
    JsonNode generation = readOptional(dir.resolve("generation_config.json"), model, json);
    int pad = firstInt(-1, generation.path("pad_token_id"), decoder.path("pad_token_id"));
    if (pad < 0) {
      pad = vocabulary;
    }
    int start = firstInt(pad, generation.path("decoder_start_token_id"), config.path("decoder_start_token_id"),
        generation.path("bos_token_id"), decoder.path("bos_token_id"));
    JsonNode audio = config.path("audio_encoder");
    int sampleRate = audio.path("sampling_rate").asInt(32000);
    int frameRate = audio.path("frame_rate").asInt(-1);
    if (frameRate <= 0) {
      long hop = 1;
      JsonNode ratios = audio.path("upsampling_ratios");
      for (JsonNode r : ratios) {
        hop *= r.asLong();
      }
      frameRate = ratios.size() > 0 ? (int) Math.ceil((double) sampleRate / hop) : 50;
    }
    int maxLength = generation.path("max_length").asInt(1500);
    int positions = decoder.path("max_position_embeddings").asInt(Integer.MAX_VALUE);
    maxLength = Math.min(maxLength, positions);
    if (codebooks < 1 || vocabulary < 1 || sampleRate < 1 || frameRate < 1 || maxLength <= codebooks) {
      throw new ModelLoadException(model, "config.json and generation_config.json give num_codebooks " + codebooks
          + ", vocab_size " + vocabulary + ", sampling_rate " + sampleRate + ", frame rate " + frameRate
          + " and max_length " + maxLength + "; each must be positive and max_length more than the codebooks.");
    }
    double guidance = generation.path("guidance_scale").asDouble(3.0);
    SamplingConfig.Builder sampling = SamplingConfig.builder();
    if (generation.path("do_sample").isBoolean() && !generation.path("do_sample").asBoolean()) {
      sampling.temperature(0.0);
    } else if (generation.path("temperature").isNumber()) {
      sampling.temperature(generation.path("temperature").asDouble());
    }
    sampling.topK(generation.path("top_k").asInt(250));
    if (generation.path("top_p").isNumber()) {
      sampling.topP(generation.path("top_p").asDouble());
    }
    int heads = decoder.path("num_attention_heads").asInt(-1);
    int hidden = decoder.path("hidden_size").asInt(-1);
    int headDim = heads > 0 && hidden > 0 ? hidden / heads : -1;
    return new MusicGenConfig(codebooks, vocabulary, pad, start, sampleRate, frameRate, maxLength, guidance,
        sampling.build(), heads, headDim);
  }

  private static int firstInt(int fallback, JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n.isIntegralNumber()) {
        return n.asInt();
      }
    }
    return fallback;
  }

  private static JsonNode readJson(Path file, String model, ObjectMapper json) {
    try {
      return json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(model, file.getFileName() + " is not valid JSON (" + JsonErrors.describe(e)
          + ").", e);
    }
  }

  private static JsonNode readOptional(Path file, String model, ObjectMapper json) {
    return Files.isRegularFile(file) ? readJson(file, model, json) : json.createObjectNode();
  }

  @Override
  public String toString() {
    return codebooks + " codebooks of " + vocabulary + ", " + sampleRate + " Hz at " + frameRate + " frames/s, "
        + "at most " + maxFrames() + " frames, guidance " + guidanceScale;
  }
}

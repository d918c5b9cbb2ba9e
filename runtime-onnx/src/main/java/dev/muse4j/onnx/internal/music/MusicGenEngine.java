package dev.muse4j.onnx.internal.music;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Audio;
import dev.muse4j.ConfigurationException;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4jException;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.SamplingConfig;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.text.Float16;
import dev.muse4j.onnx.internal.text.LogitsPipeline;
import dev.muse4j.onnx.internal.tokenizer.TextTokenizer;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import dev.muse4j.spi.MusicEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MusicGen on ONNX Runtime, in the transformers.js / Optimum layout ({@code text_encoder.onnx},
 * {@code decoder_model_merged.onnx}, {@code encodec_decode.onnx}, in the directory or its {@code onnx/} folder, with
 * {@code config.json}, {@code generation_config.json} and a T5 {@code tokenizer.json}).
 *
 * <p>A generation: the description through the T5 tokenizer and text encoder; with guidance above 1 the batch is
 * [conditional; unconditional], the unconditional half's hidden states and mask zero. The merged decoder then runs
 * {@code frames + codebooks - 1} steps from the start token, keeping its own cache (the self-attention past grows; the
 * cross-attention past of the first step is reused); each step guides the logits ({@code uncond + scale × (cond −
 * uncond)}), draws each codebook's token through the shared sampling pipeline (top-k 250 by default, seeded), and
 * holds codebook {@code k} at the pad token until step {@code k} and after its last frame (the delay pattern). The
 * pattern is undone and EnCodec turns the codes into 32 kHz mono audio, {@code frame rate} frames a second.
 *
 * <p>Variants: the model setting {@code variant} picks {@code <part>_<variant>.onnx} ({@code fp16},
 * {@code quantized}, {@code q4}...) for every part; without it the plain {@code <part>.onnx} is used, or the only
 * variant there is.
 *
 * <p>Thread-safe: the sessions and tokenizer are shared, and each generation has its own tensors and cache. The core
 * closes the engine once.
 */
public final class MusicGenEngine implements MusicEngine {
  private static final Logger LOG = LoggerFactory.getLogger(MusicGenEngine.class);
  /** Model settings this engine understands (through {@link ModelOptions#withSetting}). */
  public static final Set<String> MODEL_SETTINGS = Set.of("variant");
  static final String TEXT_ENCODER = "text_encoder";
  static final String DECODER = "decoder_model_merged";
  static final String ENCODEC = "encodec_decode";

  private final String name;
  private final MusicGenConfig config;
  private final SamplingConfig generatorDefaults;
  private final TextTokenizer tokenizer;
  private final OrtSession textEncoder;
  private final String encoderIds;
  private final OnnxJavaType encoderIdType;
  private final @Nullable String encoderMask;
  private final OnnxJavaType encoderMaskType;
  private final String encoderOutput;
  private final OrtSession decoderSession;
  private final MusicGenDecoder decoder;
  private final OrtSession encodec;
  private final String codesInput;
  private final OnnxJavaType codesType;
  private final String audioOutput;

  private MusicGenEngine(String name, MusicGenConfig config, SamplingConfig generatorDefaults,
      TextTokenizer tokenizer, OrtSession textEncoder, OrtSession decoderSession, MusicGenDecoder decoder,
      OrtSession encodec) throws OrtException {
    this.name = name;
    this.config = config;
    this.generatorDefaults = generatorDefaults;
    this.tokenizer = tokenizer;
    this.textEncoder = textEncoder;
    this.decoderSession = decoderSession;
    this.decoder = decoder;
    this.encodec = encodec;
    Map<String, NodeInfo> in = textEncoder.getInputInfo();
    this.encoderIds = in.containsKey("input_ids") ? "input_ids" : in.keySet().iterator().next();
    this.encoderIdType = MusicGenDecoder.tensor(in.get(encoderIds), name).type;
    this.encoderMask = in.containsKey("attention_mask") ? "attention_mask" : null;
    this.encoderMaskType = encoderMask != null ? MusicGenDecoder.tensor(in.get(encoderMask), name).type
        : OnnxJavaType.INT64;
    Map<String, NodeInfo> out = textEncoder.getOutputInfo();
    this.encoderOutput = out.containsKey("last_hidden_state") ? "last_hidden_state" : out.keySet().iterator().next();
    Map<String, NodeInfo> codecIn = encodec.getInputInfo();
    this.codesInput = codecIn.containsKey("audio_codes") ? "audio_codes" : codecIn.keySet().iterator().next();
    this.codesType = MusicGenDecoder.tensor(codecIn.get(codesInput), name).type;
    Map<String, NodeInfo> codecOut = encodec.getOutputInfo();
    this.audioOutput = codecOut.containsKey("audio_values") ? "audio_values" : codecOut.keySet().iterator().next();
    long[] codesShape = MusicGenDecoder.tensor(codecIn.get(codesInput), name).getShape();
    if (codesShape.length != 4 || (codesShape[2] > 0 && codesShape[2] != config.codebooks)) {
      throw new ModelLoadException(name, "encodec_decode's input " + codesInput + " is "
          + java.util.Arrays.toString(codesShape) + "; expected [1, batch, " + config.codebooks + ", frames].");
    }
  }

  /**
   * Opens a MusicGen model directory.
   *
   * @param name the model as the user named it
   * @param dir its directory
   * @param options model options: the setting {@code variant}, and default sampling
   * @param sessions opens the sessions
   * @param json reads the configs
   * @return the engine
   * @throws ModelLoadException naming the missing part or what does not fit
   * @throws ConfigurationException for an unknown model setting
   */
  public static MusicGenEngine open(String name, Path dir, ModelOptions options, SessionFactory sessions,
      ObjectMapper json) {
    for (String key : options.settings().keySet()) {
      if (!MODEL_SETTINGS.contains(key)) {
        throw new ConfigurationException(key, "The onnx MusicGen engine has no model setting '" + key + "'; known: "
            + MODEL_SETTINGS + ".");
      }
    }
    String variant = options.settings().get("variant");
    MusicGenConfig config = MusicGenConfig.read(dir, name, json);
    Path encoderFile = component(dir, TEXT_ENCODER, variant, name);
    Path decoderFile = component(dir, DECODER, variant, name);
    Path encodecFile = component(dir, ENCODEC, variant, name);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile(dir), name, json);
      opened.add(tokenizer);
      OrtSession encoder = sessions.open(encoderFile, name, Map.of()).session();
      opened.add(encoder);
      OrtSession decoderSession = sessions.open(decoderFile, name, Map.of()).session();
      opened.add(decoderSession);
      OrtSession codec = sessions.open(encodecFile, name, Map.of()).session();
      opened.add(codec);
      MusicGenDecoder decoder = MusicGenDecoder.read(decoderSession, config, name);
      MusicGenEngine engine = new MusicGenEngine(name, config, options.sampling(), tokenizer, encoder,
          decoderSession, decoder, codec);
      LOG.debug("Opened MusicGen {}: {}; {}, {}, {}", name, config, encoderFile.getFileName(),
          decoderFile.getFileName(), encodecFile.getFileName());
      return engine;
    } catch (OrtException e) {
      closeAll(opened);
      throw new ModelLoadException(name, "Could not read the MusicGen sessions' inputs: "
          + SessionFactory.firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  private static Path tokenizerFile(Path dir) {
    Path file = dir.resolve("tokenizer.json");
    return Files.isRegularFile(file) || !Files.isRegularFile(dir.resolve("onnx").resolve("tokenizer.json")) ? file
        : dir.resolve("onnx").resolve("tokenizer.json");
  }

  /**
   * The file of one part: {@code <part>_<variant>.onnx} when a variant is asked for, else {@code <part>.onnx}, else
   * the only variant there is; in the directory or its {@code onnx/} folder.
   */
  static Path component(Path dir, String part, @Nullable String variant, String model) {
    List<Path> found = new ArrayList<>();
    for (Path folder : new Path[] {dir, dir.resolve("onnx")}) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (var files = Files.list(folder)) {
        files.filter(p -> {
          String f = p.getFileName().toString();
          return f.endsWith(".onnx") && (f.equals(part + ".onnx") || f.startsWith(part + "_"));
        }).sorted().forEach(found::add);
      } catch (IOException e) {
        throw new ModelLoadException(model, "Could not list " + folder + ": " + e.getMessage(), e);
      }
    }
    String wanted = variant == null || variant.isEmpty() ? part + ".onnx" : part + "_" + variant + ".onnx";
    for (Path p : found) {
      if (p.getFileName().toString().equals(wanted)) {
        return p;
      }
    }
    if (variant != null && !variant.isEmpty()) {
      // transformers.js exports do not always have every part in every variant: the plain part then serves
      for (Path p : found) {
        if (p.getFileName().toString().equals(part + ".onnx")) {
          LOG.info("MusicGen {}: there is no {}; using {}", model, wanted, p.getFileName());
          return p;
        }
      }
    }
    List<String> names = found.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    if (variant == null && found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      String hint = part.equals(DECODER) && Files.isRegularFile(dir.resolve("decoder_model.onnx"))
          ? " The directory has decoder_model.onnx: the merged decoder (with use_cache_branch) is needed; Optimum "
              + "writes it by default (do not pass --no-post-process)." : "";
      throw new ModelLoadException(model, "The MusicGen model in " + model + " has no " + part + " part: expected "
          + part + ".onnx (or a variant such as " + part + "_fp16.onnx) in the directory or its onnx/ folder." + hint
          + " A MusicGen export has text_encoder.onnx, decoder_model_merged.onnx and encodec_decode.onnx (see "
          + "docs/music.md).");
    }
    throw new ModelLoadException(model, "The MusicGen model has no " + wanted + "; it has " + names + ". Pick one "
        + "with the model setting variant (for example ModelOptions.defaults().withSetting(\"variant\", \"fp16\")).");
  }

  @Override
  public Limits limits() {
    return Limits.builder().maxDuration(config.maxDuration()).build();
  }

  /**
   * The model's configuration, for tests.
   *
   * @return the config
   */
  MusicGenConfig config() {
    return config;
  }

  @Override
  public MusicResult generate(Job<MusicRequest> job) {
    long started = System.nanoTime();
    MusicRequest request = job.request();
    Generated g = codes(job);
    job.cancellation().throwIfCancelled();
    float[] samples = decodeAudio(g.codes);
    job.step("decoding audio", 1, 1);
    Audio audio = Audio.of(samples, config.sampleRate, 1);
    LOG.debug("MusicGen {}: {} frames, {} s of audio for {} s asked", name, g.codes[0].length,
        audio.duration().toMillis() / 1000.0, request.duration().toMillis() / 1000.0);
    return MusicResult.of(audio, null, Duration.ofNanos(System.nanoTime() - started));
  }

  /** The codes a generation made ([codebooks][frames], the delay pattern undone). */
  static final class Generated {
    final int[][] codes;

    Generated(int[][] codes) {
      this.codes = codes;
    }
  }

  /** Runs the text encoder and the decoder loop; the codes, the delay pattern undone. */
  Generated codes(Job<MusicRequest> job) {
    MusicRequest request = job.request();
    if (request.prompt().isBlank()) {
      throw new InvalidRequestException("prompt", "Describe the music, for example \"calm lo-fi piano with rain\".");
    }
    int frames = MusicGenMath.frames(request.duration(), config.frameRate);
    if (frames > config.maxFrames()) {
      throw new InvalidRequestException("duration", "This model makes at most " + config.maxFrames() + " frames ("
          + config.maxDuration().toMillis() / 1000.0 + " s at " + config.frameRate + " frames a second, from "
          + "max_length in generation_config.json); " + request.duration().toMillis() / 1000.0 + " s was asked.");
    }
    double scale = request.guidanceScale().orElse(config.guidanceScale);
    boolean guided = scale > 1.0;
    int batch = guided ? 2 : 1;
    int k = config.codebooks;
    int steps = MusicGenMath.steps(frames, k);
    SamplingConfig sampling = request.sampling().withDefaults(generatorDefaults).withDefaults(config.sampling);
    long seed = request.seed().isPresent() ? request.seed().getAsLong()
        : sampling.seed().isPresent() ? sampling.seed().getAsLong() : ThreadLocalRandom.current().nextLong();
    LogitsPipeline pipeline = new LogitsPipeline(config.vocabulary, config.vocabulary, sampling, new long[0], seed);
    long[] prompt = tokenizer.encode(request.prompt(), true);
    if (prompt.length == 0) {
      throw new InvalidRequestException("prompt", "The description has no tokens the model's tokenizer knows.");
    }
    OrtEnvironment env = SessionFactory.environment();
    job.cancellation().throwIfCancelled();
    int[][] delayed = new int[k][steps];
    try {
      OnnxTensor[] encoded = encode(env, prompt, batch);
      MusicGenDecoder.Run started;
      try {
        started = decoder.start(env, decoderSession, encoded[0], encoded[1], batch, k, config.vocabulary);
      } catch (RuntimeException | Error e) {
        encoded[0].close();
        if (encoded[1] != null) {
          encoded[1].close();
        }
        throw e;
      }
      try (MusicGenDecoder.Run run = started) {
        long[] tokens = new long[batch * k];
        java.util.Arrays.fill(tokens, config.decoderStart);
        for (int step = 0; step < steps; step++) {
          job.cancellation().throwIfCancelled();
          float[][] logits = run.step(tokens);
          int position = step + 1;
          for (int c = 0; c < k; c++) {
            int token;
            if (position <= c || position > c + frames) {
              token = config.pad;
            } else {
              if (guided) {
                MusicGenMath.guide(logits[c], logits[k + c], scale);
              }
              token = pipeline.next(logits[c]);
            }
            delayed[c][step] = token;
            for (int b = 0; b < batch; b++) {
              tokens[b * k + c] = token;
            }
          }
          job.step("decoding", step + 1, steps);
        }
      }
    } catch (OrtException e) {
      throw new Muse4jException("MusicGen " + name + " failed while decoding: "
          + SessionFactory.firstLine(e.getMessage()), e);
    }
    return new Generated(MusicGenMath.undelay(delayed));
  }

  /**
   * Runs the text encoder; returns the decoder's encoder_hidden_states and encoder_attention_mask for the batch
   * (the unconditional row zero in both). The caller owns both tensors (the mask may be null).
   */
  private OnnxTensor[] encode(OrtEnvironment env, long[] prompt, int batch) throws OrtException {
    int s = prompt.length;
    List<OnnxTensor> created = new ArrayList<>();
    try {
      created.add(integers(env, encoderIdType, prompt, new long[] {1, s}));
      Map<String, OnnxTensor> feed = new java.util.HashMap<>();
      feed.put(encoderIds, created.get(0));
      if (encoderMask != null) {
        long[] ones = new long[s];
        java.util.Arrays.fill(ones, 1);
        OnnxTensor m = integers(env, encoderMaskType, ones, new long[] {1, s});
        created.add(m);
        feed.put(encoderMask, m);
      }
      OnnxTensor states;
      try (OrtSession.Result result = textEncoder.run(feed, Set.of(encoderOutput))) {
        OnnxTensor hidden = (OnnxTensor) result.get(encoderOutput).orElseThrow();
        TensorInfo info = hidden.getInfo();
        long[] shape = info.getShape();
        ByteBuffer bytes = convert(hidden.getByteBuffer().order(ByteOrder.nativeOrder()), info.type,
            decoder.statesType);
        int size = bytes.remaining();
        ByteBuffer all = ByteBuffer.allocateDirect(size * batch).order(ByteOrder.nativeOrder());
        all.put(bytes);
        all.clear();
        states = OnnxTensor.createTensor(env, all, new long[] {batch, shape[1], shape[2]}, decoder.statesType);
      }
      OnnxTensor mask = null;
      if (decoder.encoderMask != null) {
        long[] m = new long[batch * s];
        java.util.Arrays.fill(m, 0, s, 1);
        try {
          mask = integers(env, decoder.encoderMaskType, m, new long[] {batch, s});
        } catch (OrtException | RuntimeException e) {
          states.close();
          throw e;
        }
      }
      return new OnnxTensor[] {states, mask};
    } finally {
      for (OnnxTensor t : created) {
        t.close();
      }
    }
  }

  /**
   * The text encoder's hidden states in the element type the decoder takes (they differ when the parts are different
   * variants, a float32 text encoder beside a float16 decoder).
   */
  static ByteBuffer convert(ByteBuffer bytes, OnnxJavaType from, OnnxJavaType to) {
    if (from == to) {
      return bytes;
    }
    if (from == OnnxJavaType.FLOAT && to == OnnxJavaType.FLOAT16) {
      ByteBuffer out = ByteBuffer.allocate(bytes.remaining() / 2).order(ByteOrder.nativeOrder());
      while (bytes.remaining() >= 4) {
        out.putShort(Float16.fromFloat(bytes.getFloat()));
      }
      return out.flip();
    }
    if (from == OnnxJavaType.FLOAT16 && to == OnnxJavaType.FLOAT) {
      ByteBuffer out = ByteBuffer.allocate(bytes.remaining() * 2).order(ByteOrder.nativeOrder());
      while (bytes.remaining() >= 2) {
        out.putFloat(Float16.toFloat(bytes.getShort()));
      }
      return out.flip();
    }
    throw new Muse4jException("The text encoder gives " + from + " hidden states but the decoder takes " + to + ".");
  }

  private static OnnxTensor integers(OrtEnvironment env, OnnxJavaType type, long[] values, long[] shape)
      throws OrtException {
    if (type == OnnxJavaType.INT32) {
      int[] v = new int[values.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (int) values[i];
      }
      return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(v), shape);
    }
    return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(values), shape);
  }

  /** EnCodec: codes [codebooks][frames] to mono samples. */
  float[] decodeAudio(int[][] codes) {
    int k = codes.length;
    int frames = codes[0].length;
    long[] flat = new long[k * frames];
    for (int c = 0; c < k; c++) {
      for (int f = 0; f < frames; f++) {
        flat[c * frames + f] = codes[c][f];
      }
    }
    OrtEnvironment env = SessionFactory.environment();
    try (OnnxTensor input = integers(env, codesType, flat, new long[] {1, 1, k, frames});
        OrtSession.Result result = encodec.run(Map.of(codesInput, input), Set.of(audioOutput))) {
      OnnxTensor audio = (OnnxTensor) result.get(audioOutput).orElseThrow();
      if (audio.getInfo().type == OnnxJavaType.FLOAT16) {
        ShortBuffer halves = audio.getShortBuffer();
        float[] out = new float[halves.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = Float16.toFloat(halves.get(i));
        }
        return out;
      }
      FloatBuffer floats = audio.getFloatBuffer();
      float[] out = new float[floats.remaining()];
      floats.get(out);
      return out;
    } catch (OrtException e) {
      throw new Muse4jException("MusicGen " + name + ": EnCodec could not decode " + frames + " frames: "
          + SessionFactory.firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void close() {
    closeAll(List.of(encodec, decoderSession, textEncoder, tokenizer));
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.debug("Closing {} failed: {}", r, e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "MusicGenEngine[" + name + ": " + config + "]";
  }
}

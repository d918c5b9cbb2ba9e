package dev.muse4j.onnx.internal.diffusion;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Latent;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4jException;
import dev.muse4j.spi.TorchGenerator;
import dev.muse4j.onnx.internal.JsonErrors;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.ImageEngine;
import dev.muse4j.spi.Limits;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Stable Diffusion pipeline on ONNX Runtime, in the legacy diffusers ONNX layout or as Optimum exports it: CLIP
 * tokenization, the text encoder, the denoising loop (classifier-free guidance as a [unconditional, conditional]
 * batch, or LCM's guidance embedding) with a diffusers-compatible {@link Scheduler}, and the VAE decoder; with
 * {@code vae_encoder/}, image-to-image.
 *
 * <p>Every name, element type and shape is read from the sessions' metadata. Seeded noise is PyTorch's: picture
 * {@code i} of a request with seed {@code s} uses a generator seeded {@code s + i} for its initial latents and for
 * every later draw, in diffusers' order, so it is the picture diffusers makes on CPU with
 * {@code generator=torch.Generator("cpu").manual_seed(s + i)}, and can be made again alone.
 *
 * <p>Thread-safe: sessions are shared, and each generation keeps its tensors to itself and closes them, also when
 * cancelled or failing. The core closes the engine once, after its last generation.
 */
public final class OnnxDiffusionEngine implements ImageEngine {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxDiffusionEngine.class);
  /** Model settings this engine understands (through {@link ModelOptions#withSetting}). */
  public static final Set<String> MODEL_SETTINGS = Set.of("scheduler", "steps", "guidance");
  /** The VAE's scaling factor when {@code vae_decoder/config.json} does not give one (SD 1.x and 2.x). */
  static final double DEFAULT_SCALING_FACTOR = 0.18215;
  /** The smallest side, in pixels: an 8×8 latent, the least a UNet with three downsamplings takes. */
  static final int MIN_SIDE = 64;
  /** The largest side, in pixels, of a UNet whose spatial size is not fixed. */
  static final int MAX_SIDE = 2048;
  /** At most this many pictures per request. */
  static final int MAX_COUNT = 16;
  /** At most this many steps (a diffusers schedule has at most its train steps; 1000 for every family). */
  static final int MAX_STEPS = 1000;

  private final String name;
  private final Path dir;
  private final SessionFactory sessions;
  private final ObjectMapper json;
  private final ClipTokenizer tokenizer;
  private final Component textEncoder;
  private final Component unet;
  private final Component vaeDecoder;
  private final Object encoderLock = new Object();
  private @Nullable Component vaeEncoder;
  private final SchedulerConfig schedulerConfig;
  private final String defaultScheduler;
  private final int defaultSteps;
  private final double defaultGuidance;
  private final double scalingFactor;
  private final int vaeScale;
  private final int channels;
  private final int defaultWidth;
  private final int defaultHeight;
  /** The UNet's fixed latent size, or -1 when it takes any. */
  private final long fixedLatentHeight;
  private final long fixedLatentWidth;
  private final long fixedUnetBatch;
  private final int hidden;
  private final Component.Port textIds;
  private final Component.Port textOut;
  private final Component.Port sample;
  private final Component.Port timestep;
  private final Component.Port hiddenStates;
  private final Component.@Nullable Port timestepCond;
  private final Component.Port unetOut;
  private final Component.Port vaeIn;
  private final Component.Port vaeOut;
  private final AtomicBoolean warnedLcmNegative = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxDiffusionEngine(String name, Path dir, SessionFactory sessions, ObjectMapper json, Loaded l) {
    this.name = name;
    this.dir = dir;
    this.sessions = sessions;
    this.json = json;
    this.tokenizer = l.tokenizer;
    this.textEncoder = l.textEncoder;
    this.unet = l.unet;
    this.vaeDecoder = l.vaeDecoder;
    this.schedulerConfig = l.schedulerConfig;
    this.defaultScheduler = l.defaultScheduler;
    this.defaultSteps = l.defaultSteps;
    this.defaultGuidance = l.defaultGuidance;
    this.scalingFactor = l.scalingFactor;
    this.vaeScale = l.vaeScale;
    this.channels = l.channels;
    this.defaultWidth = l.defaultWidth;
    this.defaultHeight = l.defaultHeight;
    this.fixedLatentHeight = l.sample.dim(2);
    this.fixedLatentWidth = l.sample.dim(3);
    this.fixedUnetBatch = l.sample.dim(0);
    this.hidden = l.hidden;
    this.textIds = l.textIds;
    this.textOut = l.textOut;
    this.sample = l.sample;
    this.timestep = l.timestep;
    this.hiddenStates = l.hiddenStates;
    this.timestepCond = l.timestepCond;
    this.unetOut = l.unetOut;
    this.vaeIn = l.vaeIn;
    this.vaeOut = l.vaeOut;
  }

  /**
   * Loads a pipeline directory.
   *
   * @param name the model as the user named it
   * @param dir the pipeline's directory
   * @param options model options: settings {@code scheduler}, {@code steps} and {@code guidance} set the defaults
   * @param sessions opens the sessions on the backend's execution provider
   * @param json reads the configuration files
   * @return the engine; the core closes it
   * @throws ModelLoadException naming the folder, file or numbers that are missing or disagree
   * @throws ConfigurationException if a model setting is unknown or invalid
   */
  public static OnnxDiffusionEngine open(String name, Path dir, ModelOptions options, SessionFactory sessions,
      ObjectMapper json) {
    for (String key : options.settings().keySet()) {
      if (!MODEL_SETTINGS.contains(key)) {
        throw new ConfigurationException(key, "The onnx Stable Diffusion image generator has no model setting '" + key
            + "'; known: " + MODEL_SETTINGS + ".");
      }
    }
    SchedulerConfig schedulerConfig = schedulerConfig(dir, name, json);
    for (String folder : List.of("text_encoder", "unet", "vae_decoder")) {
      Component.modelFile(dir, folder, name);
    }
    Loaded l = new Loaded();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      l.tokenizer = ClipTokenizer.load(dir.resolve("tokenizer"), name, json);
      opened.add(l.tokenizer);
      l.textEncoder = Component.open(dir, "text_encoder", name, sessions, json);
      opened.add(l.textEncoder);
      l.unet = Component.open(dir, "unet", name, sessions, json);
      opened.add(l.unet);
      l.vaeDecoder = Component.open(dir, "vae_decoder", name, sessions, json);
      opened.add(l.vaeDecoder);
      l.schedulerConfig = schedulerConfig;
      describe(l, name, options);
      return new OnnxDiffusionEngine(name, dir, sessions, json, l);
    } catch (RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static SchedulerConfig schedulerConfig(Path dir, String name, ObjectMapper json) {
    Path file = dir.resolve("scheduler").resolve("scheduler_config.json");
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(name, "The Stable Diffusion pipeline has no scheduler/scheduler_config.json (looked for " + file
          + "); it says how the model was trained to denoise. Export the whole pipeline (see docs/images.md).");
    }
    try {
      return SchedulerConfig.of(json.readTree(file.toFile()));
    } catch (IOException e) {
      throw new ModelLoadException(name, file + " is not valid JSON (" + JsonErrors.describe(e) + ").", e);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(name, file + ": " + e.getMessage(), e);
    }
  }

  /** Reads every component's ports and checks that they fit together. */
  private static void describe(Loaded l, String name, ModelOptions options) {
    l.textIds = l.textEncoder.input("input_ids", true, name);
    if (l.textIds.type() != OnnxJavaType.INT32 && l.textIds.type() != OnnxJavaType.INT64) {
      throw new ModelLoadException(name, l.textEncoder.where() + " takes " + l.textIds.describe() + "; a CLIP text "
          + "encoder takes int32 or int64 token ids [batch, 77].");
    }
    l.textOut = l.textEncoder.output("last_hidden_state", true, name);
    l.sample = l.unet.input("sample", false, name);
    l.timestep = l.unet.input("timestep", false, name);
    l.hiddenStates = l.unet.input("encoder_hidden_states", false, name);
    l.timestepCond = l.unet.hasInput("timestep_cond") ? l.unet.input("timestep_cond", false, name) : null;
    l.unetOut = l.unet.output("out_sample", true, name);
    java.util.Set<String> unfed = new java.util.TreeSet<>(l.unet.inputNames(name));
    unfed.removeAll(List.of("sample", "timestep", "encoder_hidden_states", "timestep_cond"));
    if (!unfed.isEmpty()) {
      throw new ModelLoadException(name, l.unet.where() + " also takes " + unfed + ", which this engine does not feed: "
          + "it runs SD 1.x, SD 2.x, SD-Turbo and LCM UNets (sample, timestep, encoder_hidden_states and LCM's "
          + "timestep_cond)" + (unfed.contains("text_embeds") || unfed.contains("time_ids")
          ? "; text_embeds and time_ids are SDXL's, and SDXL pipelines are not supported." : "."));
    }
    l.vaeIn = l.vaeDecoder.input("latent_sample", true, name);
    l.vaeOut = l.vaeDecoder.output("sample", true, name);
    if (!l.sample.isFloat() || l.sample.shape().length != 4 || !l.hiddenStates.isFloat() || !l.unetOut.isFloat()) {
      throw new ModelLoadException(name, l.unet.where() + " takes " + l.sample.describe() + " and "
          + l.hiddenStates.describe() + " and gives " + l.unetOut.describe() + "; a Stable Diffusion UNet takes and "
          + "gives float32 or float16 latents [batch, channels, height, width].");
    }
    if (!l.vaeIn.isFloat() || l.vaeIn.shape().length != 4 || !l.vaeOut.isFloat() || l.vaeOut.shape().length != 4) {
      throw new ModelLoadException(name, l.vaeDecoder.where() + " takes " + l.vaeIn.describe() + " and gives "
          + l.vaeOut.describe() + "; a VAE decoder takes float latents [batch, channels, height, width] and gives "
          + "pictures [batch, 3, height, width].");
    }
    if (l.vaeOut.dim(1) > 0 && l.vaeOut.dim(1) != 3) {
      throw new ModelLoadException(name, l.vaeDecoder.where() + " gives " + l.vaeOut.describe() + "; Muse4j turns "
          + "3 channels (RGB) into pictures.");
    }
    long unetChannels = l.sample.dim(1) > 0 ? l.sample.dim(1) : l.unet.config.path("in_channels").asLong(4);
    long vaeChannels = l.vaeIn.dim(1) > 0 ? l.vaeIn.dim(1)
        : l.vaeDecoder.config.path("latent_channels").asLong(unetChannels);
    if (unetChannels != vaeChannels) {
      throw new ModelLoadException(name, l.unet.where() + " denoises latents of " + unetChannels + " channels but "
          + l.vaeDecoder.where() + " decodes latents of " + vaeChannels + " channels; the two come from different "
          + "models. Export the UNet and the VAE of one pipeline together.");
    }
    l.channels = (int) unetChannels;
    long textHidden = l.textOut.dim(2);
    long unetHidden = l.hiddenStates.dim(2);
    if (textHidden > 0 && unetHidden > 0 && textHidden != unetHidden) {
      throw new ModelLoadException(name, l.textEncoder.where() + " gives hidden states of width " + textHidden
          + " but " + l.unet.where() + " takes encoder_hidden_states of width " + unetHidden + "; the text encoder "
          + "and the UNet come from different models.");
    }
    l.hidden = (int) (unetHidden > 0 ? unetHidden : textHidden);
    if (l.timestepCond != null && l.timestepCond.dim(1) <= 0 && !l.unet.config.has("time_cond_proj_dim")) {
      throw new ModelLoadException(name, l.unet.where() + " takes timestep_cond " + l.timestepCond.describe()
          + " of unknown width and unet/config.json gives no time_cond_proj_dim.");
    }
    l.scalingFactor = l.vaeDecoder.config.path("scaling_factor").asDouble(DEFAULT_SCALING_FACTOR);
    JsonNode blocks = l.vaeDecoder.config.path("block_out_channels");
    l.vaeScale = blocks.isArray() && blocks.size() > 0 ? 1 << (blocks.size() - 1) : 8;
    long outH = l.vaeOut.dim(2);
    long inH = l.vaeIn.dim(2);
    if (outH > 0 && inH > 0) {
      l.vaeScale = (int) (outH / inH);
    }
    int sampleSize = l.unet.config.path("sample_size").asInt(-1);
    long fixedH = l.sample.dim(2);
    long fixedW = l.sample.dim(3);
    l.defaultHeight = (int) (fixedH > 0 ? fixedH * l.vaeScale : sampleSize > 0 ? sampleSize * l.vaeScale : 512);
    l.defaultWidth = (int) (fixedW > 0 ? fixedW * l.vaeScale : sampleSize > 0 ? sampleSize * l.vaeScale : 512);
    boolean lcm = l.timestepCond != null;
    String configured = Schedulers.defaultName(l.schedulerConfig);
    String scheduler = options.settings().getOrDefault("scheduler", configured != null ? configured
        : lcm ? "lcm" : "euler");
    if (!Schedulers.NAMES.contains(scheduler)) {
      throw new ConfigurationException("scheduler", "Scheduler '" + scheduler + "' is not one the onnx backend "
          + "runs; supported: " + String.join(", ", Schedulers.NAMES) + ".");
    }
    l.defaultScheduler = scheduler;
    l.defaultSteps = intSetting(options, "steps", lcm ? 4 : 25, 1, MAX_STEPS);
    l.defaultGuidance = doubleSetting(options, "guidance", lcm ? 8.5 : 7.5);
    if (configured == null && !options.settings().containsKey("scheduler")) {
      LOG.info("Model {}: scheduler_config.json names {}, which Muse4j does not run; using '{}' unless a request "
          + "names another ({}).", name, l.schedulerConfig.className().isEmpty() ? "no scheduler"
          : l.schedulerConfig.className(), scheduler, String.join(", ", Schedulers.NAMES));
    }
    try {
      Schedulers.create(scheduler, l.schedulerConfig, l.defaultSteps);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(name, "scheduler/scheduler_config.json cannot drive the '" + scheduler + "' "
          + "scheduler: " + e.getMessage() + ". Name another with the model setting scheduler.", e);
    }
  }

  private static int intSetting(ModelOptions options, String key, int fallback, int min, int max) {
    String value = options.settings().get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(key, "Model setting " + key + " is '" + value + "'; expected a whole number from "
        + min + " to " + max + ".");
  }

  private static double doubleSetting(ModelOptions options, String key, double fallback) {
    String value = options.settings().get(key);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value.strip());
      if (Double.isFinite(parsed) && parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(key, "Model setting " + key + " is '" + value + "'; expected a number of 0 or "
        + "more (1 or less turns guidance off).");
  }

  @Override
  public Limits limits() {
    boolean fixed = fixedLatentHeight > 0 || fixedLatentWidth > 0;
    int side = fixed ? Math.max(defaultWidth, defaultHeight) : MAX_SIDE;
    return Limits.builder().maxCount(MAX_COUNT).maxSide(side).sideMultiple(vaeScale).maxSteps(MAX_STEPS)
        .schedulers(Schedulers.NAMES).build();
  }

  @Override
  public ImageResult generate(Job<ImageRequest> job) {
    long start = System.nanoTime();
    Plan plan = plan(job.request());
    OrtEnvironment env = SessionFactory.environment();
    List<Image> images = new ArrayList<>();
    List<Latent> latents = new ArrayList<>();
    List<OptionalLong> seeds = new ArrayList<>();
    Terminator terminator = new Terminator();
    job.cancellation().onCancel(terminator::terminate);
    try (Generation g = new Generation(env, plan)) {
      g.encodePrompts(tokenizer, terminator.options);
      @Nullable InitImage init = plan.init != null ? encodeImage(env, plan, terminator) : null;
      for (int p = 0; p < plan.count; p++) {
        job.cancellation().throwIfCancelled();
        long seed = plan.seeds.get(p).orElse(plan.noiseSeed + p);
        TorchGenerator noise = new TorchGenerator(seed);
        float @Nullable [] start0 = plan.latents.isEmpty() ? null : plan.latents.get(p).values();
        float[] initial = new float[plan.latentSize];
        if (start0 != null) {
          System.arraycopy(start0, 0, initial, 0, initial.length);
        }
        Scheduler scheduler;
        int begin;
        if (plan.init == null || !plan.runsSteps()) {
          scheduler = scheduler(plan, () -> Schedulers.create(plan.scheduler, schedulerConfig, plan.steps));
          begin = plan.init == null ? 0 : scheduler.timesteps().length;
        } else {
          Schedulers.Img2img img2img = scheduler(plan,
              () -> Schedulers.createForImage(plan.scheduler, schedulerConfig, plan.steps, plan.strength));
          scheduler = img2img.scheduler();
          begin = img2img.firstStep();
        }
        float[] x;
        if (init == null) {
          if (start0 == null) {
            noise.randn(initial, 0, initial.length);
          }
          x = initial.clone();
          float sigma = scheduler.initNoiseSigma();
          if (sigma != 1f) {
            for (int i = 0; i < x.length; i++) {
              x[i] *= sigma;
            }
          }
        } else {
          x = init.sample(noise, (float) scalingFactor);
          if (start0 == null) {
            noise.randn(initial, 0, initial.length);
          }
          if (begin < scheduler.timesteps().length) {
            scheduler.addNoise(x, initial, begin);
          }
        }
        int total = scheduler.timesteps().length - begin;
        for (int i = begin; i < scheduler.timesteps().length; i++) {
          job.cancellation().throwIfCancelled();
          g.denoise(scheduler, i, x, noise, terminator.options);
          job.step("denoising", p * total + (i - begin) + 1, plan.count * total);
        }
        job.cancellation().throwIfCancelled();
        images.add(g.decode(scheduler.finalLatents(x), (float) scalingFactor, terminator.options));
        latents.add(Latent.of(initial));
        seeds.add(plan.seeds.get(p));
      }
    } catch (OrtException e) {
      job.cancellation().throwIfCancelled();
      throw new Muse4jException("Stable Diffusion model " + name + " failed: "
          + SessionFactory.firstLine(e.getMessage()), e);
    } finally {
      terminator.close();
    }
    return ImageResult.of(images, latents, seeds, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Makes the request's scheduler; a configuration it cannot run is the request's error, naming the scheduler. */
  private <T> T scheduler(Plan plan, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("scheduler", "Scheduler '" + plan.scheduler + "' cannot run " + plan.steps
          + " steps of this model: " + e.getMessage() + ". The model's own scheduler is '" + defaultScheduler + "'.",
          e);
    }
  }

  /** Everything a request asks for, checked and with the model's defaults filled in. */
  private Plan plan(ImageRequest request) {
    Plan plan = new Plan();
    if (request.classLabel().isPresent()) {
      throw new InvalidRequestException("classLabel", "Stable Diffusion draws what the prompt says; class labels are "
          + "for class-conditional GAN models. Put the class into the prompt.");
    }
    plan.scheduler = request.scheduler().map(s -> s.toLowerCase(Locale.ROOT)).orElse(defaultScheduler);
    plan.steps = request.steps().orElse(defaultSteps);
    if (plan.steps < 1) {
      throw new InvalidRequestException("steps", "steps is " + plan.steps + "; a picture needs at least 1.");
    }
    plan.guidance = request.guidanceScale().orElse(defaultGuidance);
    if (!Double.isFinite(plan.guidance) || plan.guidance < 0) {
      throw new InvalidRequestException("guidanceScale", "guidanceScale is " + plan.guidance + "; use 0 or more (7.5 "
          + "is usual; 1 or less turns classifier-free guidance off).");
    }
    plan.lcm = timestepCond != null;
    plan.cfg = plan.guidance > 1 && !plan.lcm;
    plan.prompt = request.prompt();
    plan.negative = request.negativePrompt().orElse("");
    if (plan.lcm && !plan.negative.isEmpty() && warnedLcmNegative.compareAndSet(false, true)) {
      LOG.warn("Model {} is latent-consistency distilled: it takes its guidance as an embedding and runs no "
          + "unconditional pass, so the negative prompt is ignored (this is said once).", name);
    }
    Image initImage = request.initImage().orElse(null);
    int width = request.width().orElse(initImage != null ? initImage.width() / vaeScale * vaeScale : defaultWidth);
    int height = request.height().orElse(request.width().isPresent() ? width
        : initImage != null ? initImage.height() / vaeScale * vaeScale : defaultHeight);
    checkSide("width", width, fixedLatentWidth);
    checkSide("height", height, fixedLatentHeight);
    plan.width = width;
    plan.height = height;
    plan.latentH = height / vaeScale;
    plan.latentW = width / vaeScale;
    plan.latentSize = channels * plan.latentH * plan.latentW;
    if (initImage != null) {
      double strength = request.strength().orElse(0.8);
      if (!(strength >= 0 && strength <= 1)) {
        throw new InvalidRequestException("strength", "strength is " + strength + "; it must be from 0 (keep the "
            + "starting picture) to 1 (ignore it).");
      }
      plan.strength = strength;
      plan.init = initImage;
    }
    long base = request.seed().orElse(ThreadLocalRandom.current().nextLong() & 0xffff_ffffL);
    plan.noiseSeed = base;
    if (!request.latents().isEmpty()) {
      for (int i = 0; i < request.latents().size(); i++) {
        Latent l = request.latents().get(i);
        if (l.dimension() != plan.latentSize) {
          throw new InvalidRequestException("latents", "Latent " + i + " has " + l.dimension() + " values but a "
              + width + "x" + height + " picture starts from " + channels + "x" + plan.latentH + "x" + plan.latentW
              + " = " + plan.latentSize + " (channels x height/" + vaeScale + " x width/" + vaeScale + ").");
        }
        plan.latents.add(l);
        plan.seeds.add(OptionalLong.empty());
      }
    } else if (request.morphTo().isPresent()) {
      Latent a = Latent.random(base, plan.latentSize);
      Latent b = Latent.random(request.morphTo().getAsLong(), plan.latentSize);
      plan.latents.addAll(Latent.morph(a, b, request.count()));
      for (int i = 0; i < request.count(); i++) {
        plan.seeds.add(OptionalLong.empty());
      }
    } else {
      for (int i = 0; i < request.count(); i++) {
        plan.seeds.add(OptionalLong.of(base + i));
      }
    }
    plan.count = plan.seeds.size();
    if (plan.count > MAX_COUNT) {
      throw new InvalidRequestException("latents", plan.count + " pictures were asked for but this Stable Diffusion "
          + "generator makes at most " + MAX_COUNT + " per request (limit: maxCount).");
    }
    long batch = plan.cfg ? 2 : 1;
    if (fixedUnetBatch > 0 && fixedUnetBatch != batch) {
      throw new InvalidRequestException("guidanceScale", unet.where() + " was exported for a batch of "
          + fixedUnetBatch + " but " + (plan.cfg ? "classifier-free guidance needs 2" : "no guidance needs 1")
          + "; " + (fixedUnetBatch == 2 ? "use a guidanceScale above 1" : "use a guidanceScale of 1 or less")
          + ", or export the UNet with a dynamic batch.");
    }
    return plan;
  }

  private void checkSide(String field, int value, long fixedLatent) {
    if (fixedLatent > 0 && value != fixedLatent * vaeScale) {
      throw new InvalidRequestException(field, field + " is " + value + " but " + unet.where() + " was exported for "
          + fixedLatent * vaeScale + " pixels only; leave the size unset or ask for " + fixedLatent * vaeScale + ".");
    }
    if (value < MIN_SIDE || value % vaeScale != 0) {
      int nearest = Math.max(MIN_SIDE, Math.round((float) value / vaeScale) * vaeScale);
      throw new InvalidRequestException(field, field + " is " + value + " but this Stable Diffusion model takes "
          + "multiples of " + vaeScale + " from " + MIN_SIDE + " to " + MAX_SIDE + "; the nearest valid size is "
          + nearest + ".");
    }
  }

  /** Encodes the starting picture once; each picture then samples its own posterior from it. */
  private InitImage encodeImage(OrtEnvironment env, Plan plan, Terminator terminator) throws OrtException {
    Component encoder = vaeEncoder();
    Image image = plan.init;
    if (image == null) {
      throw new IllegalStateException("no starting picture");
    }
    if (image.width() != plan.width || image.height() != plan.height) {
      image = resize(image, plan.width, plan.height);
    }
    Component.Port in = encoder.input("sample", true, name);
    byte[] rgb = image.rgb();
    int plane = plan.width * plan.height;
    try (DirectTensor pixels = DirectTensor.create(env, in.type() == OnnxJavaType.FLOAT16 ? OnnxJavaType.FLOAT16
        : OnnxJavaType.FLOAT, 1, 3, plan.height, plan.width)) {
      for (int i = 0; i < plane; i++) {
        for (int c = 0; c < 3; c++) {
          pixels.put(c * plane + i, (rgb[i * 3 + c] & 0xff) / 255f * 2f - 1f);
        }
      }
      try (OrtSession.Result result = encoder.session.run(Map.of(in.name(), pixels.tensor()), terminator.options)) {
        OnnxValue value = result.get("latent_parameters").orElse(result.get("latent_sample").orElse(result.get(0)));
        String outName = result.get("latent_parameters").isPresent() ? "latent_parameters" : "latent_sample";
        float[] values = floats((OnnxTensor) value);
        long[] shape = ((OnnxTensor) value).getInfo().getShape();
        boolean parameters = outName.equals("latent_parameters") || shape.length == 4 && shape[1] == 2L * channels;
        long expected = (parameters ? 2L : 1L) * plan.latentSize;
        if (values.length != expected) {
          throw new ModelLoadException(name, encoder.where() + " gave " + java.util.Arrays.toString(shape) + " for a "
              + plan.width + "x" + plan.height + " picture; expected " + (parameters ? 2 * channels : channels)
              + " channels of " + plan.latentH + "x" + plan.latentW + ".");
        }
        return new InitImage(values, parameters, plan.latentSize);
      }
    }
  }

  private Component vaeEncoder() {
    synchronized (encoderLock) {
      if (closed.get()) {
        throw new IllegalStateException("engine closed");
      }
      if (vaeEncoder == null) {
        if (!Files.isDirectory(dir.resolve("vae_encoder"))) {
          throw new InvalidRequestException("initImage", "Model " + name + " has no vae_encoder/ folder, so it "
              + "cannot start from a picture; export the pipeline with its VAE encoder for image-to-image.");
        }
        vaeEncoder = Component.open(dir, "vae_encoder", name, sessions, json);
      }
      return vaeEncoder;
    }
  }

  private static Image resize(Image image, int width, int height) {
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image.toBufferedImage(), 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return Image.fromBufferedImage(target);
  }

  /** A tensor's values as floats, from float32 or float16. */
  static float[] floats(OnnxTensor tensor) {
    if (tensor.getInfo().type == OnnxJavaType.FLOAT16) {
      ShortBuffer halves = tensor.getShortBuffer();
      float[] out = new float[halves.remaining()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Fp16Conversions.fp16ToFloat(halves.get(i));
      }
      return out;
    }
    FloatBuffer buffer = tensor.getFloatBuffer();
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    tokenizer.close();
    textEncoder.close();
    unet.close();
    vaeDecoder.close();
    synchronized (encoderLock) {
      if (vaeEncoder != null) {
        vaeEncoder.close();
      }
    }
  }

  @Override
  public String toString() {
    return "OnnxDiffusionEngine{" + name + ", " + channels + " latent channels, " + defaultWidth + "x" + defaultHeight
        + ", scheduler " + defaultScheduler + ", " + sample.type() + (timestepCond != null ? ", LCM" : "") + "}";
  }

  /** A request, resolved. */
  private static final class Plan {
    String scheduler = "";
    int steps;
    double guidance;
    boolean cfg;
    boolean lcm;
    String prompt = "";
    String negative = "";
    int width;
    int height;
    int latentH;
    int latentW;
    int latentSize;
    @Nullable Image init;
    double strength;
    long noiseSeed;

    /**
     * Whether an img2img request runs any denoising step: diffusers runs {@code int(steps × strength)} of them (LCM
     * always runs its steps); with none, the starting picture only goes through the VAE.
     */
    boolean runsSteps() {
      return strength > 0 && (scheduler.equals("lcm") || (int) (steps * strength) >= 1);
    }
    int count;
    final List<Latent> latents = new ArrayList<>();
    final List<OptionalLong> seeds = new ArrayList<>();
  }

  /** The encoded starting picture: a latent sample, or the posterior's mean and log-variance. */
  private static final class InitImage {
    private final float[] values;
    private final boolean parameters;
    private final int size;

    InitImage(float[] values, boolean parameters, int size) {
      this.values = values;
      this.parameters = parameters;
      this.size = size;
    }

    /**
     * The scaled clean latents, drawing the posterior sample from the generator first as diffusers does; a sample
     * made inside the encoder's graph still consumes that draw, so the later noise stays aligned.
     */
    float[] sample(TorchGenerator noise, float scalingFactor) {
      float[] eps = new float[size];
      noise.randn(eps, 0, size);
      float[] x = new float[size];
      for (int i = 0; i < size; i++) {
        float value;
        if (parameters) {
          float mean = values[i];
          float logvar = Math.max(-30f, Math.min(20f, values[size + i]));
          float std = (float) Math.exp(0.5f * logvar);
          value = mean + std * eps[i];
        } else {
          value = values[i];
        }
        x[i] = scalingFactor * value;
      }
      return x;
    }
  }

  /** Lets a cancellation stop a native run at once; safe against a cancel that arrives after the generation. */
  private static final class Terminator implements AutoCloseable {
    final OrtSession.RunOptions options;
    private boolean done;

    Terminator() {
      try {
        options = new OrtSession.RunOptions();
      } catch (OrtException e) {
        throw new Muse4jException("ONNX Runtime could not make run options: " + e.getMessage(), e);
      }
    }

    synchronized void terminate() {
      if (!done) {
        try {
          options.setTerminate(true);
        } catch (OrtException e) {
          LOG.debug("Could not stop the run", e);
        }
      }
    }

    @Override
    public synchronized void close() {
      done = true;
      options.close();
    }
  }

  /** The tensors of one generation, made once and reused at every step; closes them all. */
  private final class Generation implements AutoCloseable {
    private final OrtEnvironment env;
    private final Plan plan;
    private final int batch;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final DirectTensor unetIn;
    private final DirectTensor unetOutput;
    private final DirectTensor states;
    private final @Nullable DirectTensor guidanceEmbedding;
    private final DirectTensor vaeInput;
    private final DirectTensor vaeOutput;
    private final Map<String, OnnxTensor> feed = new HashMap<>();
    private final float[] guided;
    private final float[] half;

    Generation(OrtEnvironment env, Plan plan) throws OrtException {
      this.env = env;
      this.plan = plan;
      this.batch = plan.cfg ? 2 : 1;
      try {
        unetIn = own(DirectTensor.create(env, sample.type(), batch, channels, plan.latentH, plan.latentW));
        unetOutput = own(DirectTensor.create(env, unetOut.type(), batch, channels, plan.latentH, plan.latentW));
        states = own(DirectTensor.create(env, hiddenStates.type(), batch, ClipTokenizer.LENGTH, hidden));
        vaeInput = own(DirectTensor.create(env, vaeIn.type(), 1, channels, plan.latentH, plan.latentW));
        vaeOutput = own(DirectTensor.create(env, vaeOut.type(), 1, 3, plan.height, plan.width));
        Component.Port cond = timestepCond;
        if (cond != null) {
          int dim = (int) (cond.dim(1) > 0 ? cond.dim(1) : unet.config.path("time_cond_proj_dim").asLong());
          guidanceEmbedding = own(DirectTensor.create(env, cond.type(), batch, dim));
          float[] w = guidanceScaleEmbedding((float) (plan.guidance - 1), dim);
          for (int b = 0; b < batch; b++) {
            for (int i = 0; i < dim; i++) {
              guidanceEmbedding.put(b * dim + i, w[i]);
            }
          }
          feed.put(cond.name(), guidanceEmbedding.tensor());
        } else {
          guidanceEmbedding = null;
        }
      } catch (OrtException | RuntimeException e) {
        close();
        throw e;
      }
      feed.put(sample.name(), unetIn.tensor());
      feed.put(hiddenStates.name(), states.tensor());
      guided = new float[plan.latentSize];
      half = new float[plan.latentSize];
    }

    private DirectTensor own(DirectTensor t) {
      owned.add(t);
      return t;
    }

    /** Runs the text encoder on [negative, prompt] (or the prompt alone) into the UNet's hidden-states tensor. */
    void encodePrompts(ClipTokenizer clip, OrtSession.RunOptions options) throws OrtException {
      List<String> texts = plan.cfg ? List.of(plan.negative, plan.prompt) : List.of(plan.prompt);
      int per = ClipTokenizer.LENGTH * hidden;
      for (int b = 0; b < texts.size(); b++) {
        long[] ids = clip.encode(texts.get(b));
        long[] shape = {1, ids.length};
        OnnxTensor input;
        if (textIds.type() == OnnxJavaType.INT32) {
          int[] ints = new int[ids.length];
          for (int i = 0; i < ids.length; i++) {
            ints[i] = (int) ids[i];
          }
          input = OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
        } else {
          input = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        }
        try (input; OrtSession.Result result = textEncoder.session.run(Map.of(textIds.name(), input),
            Set.of(textOut.name()), options)) {
          float[] values = floats((OnnxTensor) result.get(0));
          if (values.length != per) {
            throw new ModelLoadException(name, textEncoder.where() + " gave " + values.length + " values for one "
                + "prompt; " + unet.where() + " takes " + ClipTokenizer.LENGTH + " x " + hidden + " = " + per + ".");
          }
          for (int i = 0; i < per; i++) {
            states.put(b * per + i, values[i]);
          }
        }
      }
    }

    /** One denoising step: scaled latents in (once per batch row), the UNet, guidance, the scheduler's update. */
    void denoise(Scheduler scheduler, int index, float[] x, TorchGenerator noise, OrtSession.RunOptions options)
        throws OrtException {
      float scale = scheduler.inputScale(index);
      for (int b = 0; b < batch; b++) {
        unetIn.putScaled(b * x.length, x, scale);
      }
      try (OnnxTensor t = timestepTensor(scheduler.timesteps()[index])) {
        feed.put(timestep.name(), t);
        OrtSession.Result result = unet.session.run(feed, Set.of(), Map.of(unetOut.name(), unetOutput.tensor()),
            options);
        result.close(); // the output is pinned: unetOutput holds it
      } finally {
        feed.remove(timestep.name());
      }
      if (plan.cfg) {
        unetOutput.read(0, half);
        unetOutput.read(x.length, guided);
        float g = (float) plan.guidance;
        for (int i = 0; i < guided.length; i++) {
          guided[i] = half[i] + g * (guided[i] - half[i]);
        }
      } else {
        unetOutput.read(0, guided);
      }
      scheduler.step(index, guided, x, noise);
    }

    private OnnxTensor timestepTensor(float t) throws OrtException {
      long[] declared = timestep.shape();
      long[] shape = declared.length == 0 ? new long[0] : declared[0] == 1 ? new long[] {1} : new long[] {batch};
      int n = shape.length == 0 ? 1 : (int) shape[0];
      switch (timestep.type()) {
        case INT64 -> {
          long[] v = new long[n];
          java.util.Arrays.fill(v, (long) t);
          return OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape);
        }
        case INT32 -> {
          int[] v = new int[n];
          java.util.Arrays.fill(v, (int) t);
          return OnnxTensor.createTensor(env, IntBuffer.wrap(v), shape);
        }
        case FLOAT16 -> {
          short[] v = new short[n];
          java.util.Arrays.fill(v, Fp16Conversions.floatToFp16(t));
          return OnnxTensor.createTensor(env, ShortBuffer.wrap(v), shape, OnnxJavaType.FLOAT16);
        }
        case DOUBLE -> {
          double[] v = new double[n];
          java.util.Arrays.fill(v, t);
          return OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(v), shape);
        }
        case FLOAT -> {
          float[] v = new float[n];
          java.util.Arrays.fill(v, t);
          return OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
        }
        default -> throw new ModelLoadException(name, unet.where() + " takes timestep " + timestep.describe()
            + "; Muse4j feeds int64, int32, float32 or float16 timesteps.");
      }
    }

    /** The VAE decoder: {@code latents / scaling_factor}, then {@code (x / 2 + 0.5)} clamped, to 8-bit RGB. */
    Image decode(float[] latents, float scalingFactor, OrtSession.RunOptions options) throws OrtException {
      for (int i = 0; i < latents.length; i++) {
        vaeInput.put(i, latents[i] / scalingFactor);
      }
      OrtSession.Result result = vaeDecoder.session.run(Map.of(vaeIn.name(), vaeInput.tensor()), Set.of(),
          Map.of(vaeOut.name(), vaeOutput.tensor()), options);
      result.close(); // the output is pinned: vaeOutput holds it
      int plane = plan.width * plan.height;
      byte[] rgb = new byte[3 * plane];
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) {
          float v = vaeOutput.get(c * plane + i) / 2f + 0.5f;
          v = Math.max(0f, Math.min(1f, v));
          rgb[i * 3 + c] = (byte) (int) Math.rint(v * 255f);
        }
      }
      return Image.ofRgb(plan.width, plan.height, rgb);
    }

    @Override
    public void close() {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("Closing a tensor failed", e);
        }
      }
    }
  }

  /**
   * LCM's guidance-scale embedding of {@code w} (diffusers' {@code get_guidance_scale_embedding}, in float32):
   * {@code w × 1000} times {@code exp(-i · ln(10000) / (d/2 − 1))}, sines then cosines, zero-padded to odd widths.
   *
   * @param w the guidance scale minus one
   * @param dim the embedding width
   * @return the embedding
   */
  static float[] guidanceScaleEmbedding(float w, int dim) {
    float scaled = w * 1000f;
    int halfDim = dim / 2;
    float step = (float) Math.log(10000f) / (halfDim - 1);
    float[] out = new float[dim];
    for (int i = 0; i < halfDim; i++) {
      float freq = (float) Math.exp(i * -step);
      float arg = scaled * freq;
      out[i] = (float) Math.sin(arg);
      out[halfDim + i] = (float) Math.cos(arg);
    }
    return out;
  }

  /** What {@link #open} gathers before the engine is made. */
  private static final class Loaded {
    ClipTokenizer tokenizer;
    Component textEncoder;
    Component unet;
    Component vaeDecoder;
    SchedulerConfig schedulerConfig;
    String defaultScheduler = "";
    int defaultSteps;
    double defaultGuidance;
    double scalingFactor;
    int vaeScale;
    int channels;
    int defaultWidth;
    int defaultHeight;
    int hidden;
    Component.Port textIds;
    Component.Port textOut;
    Component.Port sample;
    Component.Port timestep;
    Component.Port hiddenStates;
    Component.@Nullable Port timestepCond;
    Component.Port unetOut;
    Component.Port vaeIn;
    Component.Port vaeOut;
  }
}

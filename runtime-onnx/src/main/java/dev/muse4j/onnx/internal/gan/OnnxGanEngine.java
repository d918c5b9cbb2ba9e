package dev.muse4j.onnx.internal.gan;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
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
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.spi.ImageEngine;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GAN generator on ONNX Runtime: latents (one per picture, drawn from the seeds {@code seed, seed + 1, …} as
 * {@code torch.randn([1, d], generator=manual_seed(seed))} draws them) and optionally a class go in as one batch,
 * and the image tensor (NCHW or NHWC, tanh or sigmoid, grey or RGB) comes out as pictures.
 *
 * <p>Thread-safe: the session is shared and each call keeps its tensors to itself. The core closes the engine once.
 */
public final class OnnxGanEngine implements ImageEngine {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxGanEngine.class);
  /** Model settings this generator understands (through {@link ModelOptions#withSetting}). */
  public static final Set<String> MODEL_SETTINGS = Set.of("modelFile");
  /** The most pictures one batch makes: an 8×8 sheet. */
  public static final int MAX_BATCH = ImageRequest.MAX_COUNT;
  private static final Pattern CLASS_NAME = Pattern.compile("(?i).*(label|class|cond|^y$).*");

  private final String name;
  private final OrtSession session;
  private final String latentInput;
  private final boolean latent4d;
  private final int dimension;
  private final @Nullable String classInput;
  /** 0 when the class is an int64 id; the one-hot width otherwise. */
  private final int oneHot;
  private final boolean classIdRank2;
  private final List<String> classes;
  private final boolean nhwc;
  private final boolean sigmoid;
  private final boolean uniform;
  private final int channels;
  private final int height;
  private final int width;
  private final AtomicBoolean warnedPrompt = new AtomicBoolean();
  /** Turns the generator's float output into interleaved RGB bytes (see tools/fixtures/make_gan_pictures.py). */
  private final OrtSession pictures;
  private final OnnxTensor scale;
  private final OnnxTensor offset;

  private OnnxGanEngine(String name, OrtSession session, GanConfig config, Inputs inputs, long[] outputShape,
      boolean nhwc, OrtSession pictures) throws OrtException {
    this.name = name;
    this.session = session;
    this.pictures = pictures;
    this.latentInput = inputs.latent;
    this.latent4d = inputs.latent4d;
    this.dimension = inputs.dimension;
    this.classInput = inputs.classInput;
    this.oneHot = inputs.oneHot;
    this.classIdRank2 = inputs.classIdRank2;
    this.classes = config.classes;
    this.nhwc = nhwc;
    this.sigmoid = config.sigmoid;
    this.uniform = config.uniform;
    this.channels = (int) (nhwc ? outputShape[3] : outputShape[1]);
    this.height = (int) (nhwc ? outputShape[1] : outputShape[2]);
    this.width = (int) (nhwc ? outputShape[2] : outputShape[3]);
    OrtEnvironment env = SessionFactory.environment();
    // v = x * scale + offset, then floor(clip(v, 0.5, 255.5)): floor(clip(x * 255, 0, 255) + 0.5) for sigmoid,
    // floor(clip((x + 1) * 127.5, 0, 255) + 0.5) for tanh
    this.scale = OnnxTensor.createTensor(env, sigmoid ? 255f : 127.5f);
    this.offset = OnnxTensor.createTensor(env, (sigmoid ? 0f : 127.5f) + 0.5f);
  }

  /**
   * Loads a GAN model directory: {@code gan.json} and one .onnx file.
   *
   * @param name the model as the user named it: a directory, or a {@code classpath:} reference
   * @param dir the model's directory ({@code name} itself, or where a class path model was extracted)
   * @param options model options; the setting {@code modelFile} picks the .onnx file
   * @param sessions opens the session
   * @param json reads gan.json
   * @return the engine
   * @throws ModelLoadException if the files are missing or the model's inputs or output do not fit a GAN generator
   * @throws ConfigurationException if a model setting is unknown
   */
  public static OnnxGanEngine open(String name, Path dir, ModelOptions options, SessionFactory sessions,
      ObjectMapper json) {
    for (String key : options.settings().keySet()) {
      if (!MODEL_SETTINGS.contains(key)) {
        throw new ConfigurationException(key, "The onnx GAN image generator has no model setting '" + key
            + "'; known: " + MODEL_SETTINGS + ".");
      }
    }
    GanConfig config = GanConfig.read(dir.resolve("gan.json"), name, json);
    String fileName = options.settings().getOrDefault("modelFile", config.model);
    Path file = fileName != null ? dir.resolve(fileName) : onlyOnnxFile(dir, name);
    OrtSession session = sessions.open(file, name, Map.of()).session();
    try {
      Inputs inputs = Inputs.of(session.getInputInfo(), config, name);
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      TensorInfo out = tensor(outputs.values().iterator().next(), name, "output");
      long[] shape = out.getShape();
      if (shape.length != 4 || out.type != OnnxJavaType.FLOAT) {
        throw new ModelLoadException(name, "The model's output " + outputs.keySet().iterator().next() + " is "
            + out.type + " " + java.util.Arrays.toString(shape) + "; a GAN generator gives float pictures "
            + "[N, C, H, W] or [N, H, W, C].");
      }
      String metaLayout = session.getMetadata().getCustomMetadata().get("layout");
      boolean nhwc = nhwc(config.layout != null ? config.layout : metaLayout, shape, name);
      long c = nhwc ? shape[3] : shape[1];
      long h = nhwc ? shape[1] : shape[2];
      long w = nhwc ? shape[2] : shape[3];
      if ((c != 1 && c != 3) || h < 1 || w < 1) {
        throw new ModelLoadException(name, "The model's output " + java.util.Arrays.toString(shape) + " read as "
            + (nhwc ? "NHWC" : "NCHW") + " has " + c + " channels and " + h + "x" + w + " pixels; Muse4j takes 1 "
            + "(grey) or 3 (RGB) channels and a fixed size. If the layout is wrong, set \"layout\" in gan.json.");
      }
      if (inputs.oneHot > 0 && !config.classes.isEmpty() && config.classes.size() != inputs.oneHot) {
        throw new ModelLoadException(name, "gan.json names " + config.classes.size() + " classes but the model's "
            + "class input is one-hot over " + inputs.oneHot + ".");
      }
      OrtSession post = picturesSession(sessions, nhwc, (int) c, name);
      try {
        return new OnnxGanEngine(name, session, config, inputs, shape, nhwc, post);
      } catch (OrtException | RuntimeException e) {
        close(post);
        throw e;
      }
    } catch (OrtException e) {
      close(session);
      throw new ModelLoadException(name, "Could not read the model's inputs and outputs: "
          + SessionFactory.firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      close(session);
      throw e;
    }
  }

  private static OrtSession picturesSession(SessionFactory sessions, boolean nhwc, int channels, String name) {
    String resource = "pictures-" + (nhwc ? "nhwc" : "nchw") + "-" + channels + ".onnx";
    byte[] graph;
    try (var in = OnnxGanEngine.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelLoadException(name, "The onnx backend's resource " + resource + " is missing.");
      }
      graph = in.readAllBytes();
    } catch (IOException e) {
      throw new ModelLoadException(name, "Could not read the onnx backend's resource " + resource + ": "
          + e.getMessage(), e);
    }
    return sessions.open(graph, name + " (" + resource + ")").session();
  }

  private static Path onlyOnnxFile(Path dir, String name) {
    List<Path> found;
    try (var files = Files.list(dir)) {
      found = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new ModelLoadException(name, "Could not list " + dir + ": " + e.getMessage(), e);
    }
    if (found.size() != 1) {
      throw new ModelLoadException(name, "Directory " + dir + " has " + (found.isEmpty() ? "no" : found.size())
          + " .onnx files" + (found.isEmpty() ? "" : " " + found) + "; name the generator in gan.json "
          + "(\"model\": \"generator.onnx\") or with the model setting modelFile.");
    }
    return found.get(0);
  }

  private static boolean nhwc(@Nullable String declared, long[] shape, String name) {
    if (declared != null) {
      String d = declared.toUpperCase(Locale.ROOT);
      if (d.equals("NCHW") || d.equals("NHWC")) {
        return d.equals("NHWC");
      }
      throw new ModelLoadException(name, "The model declares layout '" + declared + "'; Muse4j reads NCHW or NHWC.");
    }
    boolean first = shape[1] == 1 || shape[1] == 3;
    boolean last = shape[3] == 1 || shape[3] == 3;
    if (first != last) {
      return last;
    }
    throw new ModelLoadException(name, "Cannot tell the layout of the model's output " + java.util.Arrays.toString(
        shape) + " from its shape; add \"layout\": \"NCHW\" (PyTorch exports) or \"NHWC\" (Keras and tf2onnx "
        + "exports) to gan.json.");
  }

  private static TensorInfo tensor(NodeInfo node, String name, String what) {
    if (!(node.getInfo() instanceof TensorInfo)) {
      throw new ModelLoadException(name, "The model's " + what + " " + node.getName() + " is not a tensor.");
    }
    return (TensorInfo) node.getInfo();
  }

  @Override
  public Limits limits() {
    int side = Math.max(width, height);
    return Limits.builder().maxCount(MAX_BATCH).maxSide(side).sideMultiple(side).build();
  }

  /**
   * The size of the model's latents.
   *
   * @return the dimension
   */
  public int dimension() {
    return dimension;
  }

  @Override
  public ImageResult generate(Job<ImageRequest> job) {
    long start = System.nanoTime();
    ImageRequest request = job.request();
    if (!request.prompt().isEmpty() && warnedPrompt.compareAndSet(false, true)) {
      LOG.warn("Model {} is a GAN generator: it draws from its latent space and takes no prompt, so prompts are "
          + "ignored (this is said once). Use ImageRequest.builder() with a seed, latents or a class label.", name);
    }
    if (request.width().isPresent()
        && (request.width().getAsInt() != width || request.height().orElse(height) != height)) {
      throw new InvalidRequestException("width", "This GAN generator draws " + width + "x" + height + " pictures "
          + "only, but " + request.width().getAsInt() + "x" + request.height().orElse(height) + " was asked for; "
          + "leave the size unset or resize the pictures afterwards.");
    }
    long classId = classId(request);
    List<Latent> latents = new ArrayList<>();
    List<OptionalLong> seeds = new ArrayList<>();
    latents(request, latents, seeds);
    job.cancellation().throwIfCancelled();
    int n = latents.size();
    float[] flat = new float[n * dimension];
    for (int i = 0; i < n; i++) {
      System.arraycopy(latents.get(i).values(), 0, flat, i * dimension, dimension);
    }
    List<Image> images;
    OrtEnvironment env = SessionFactory.environment();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      long[] shape = latent4d ? new long[] {n, dimension, 1, 1} : new long[] {n, dimension};
      feed.put(latentInput, OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), shape));
      if (classInput != null) {
        feed.put(classInput, classTensor(env, n, classId));
      }
      try (OrtSession.Result result = session.run(feed)) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        try (OrtSession.Result rgb = pictures.run(Map.of("x", out, "scale", scale, "offset", offset))) {
          images = pictures(((OnnxTensor) rgb.get(0)).getByteBuffer(), n);
        }
      }
    } catch (OrtException e) {
      throw new Muse4jException("GAN model " + name + " failed: " + SessionFactory.firstLine(e.getMessage()), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
    job.step("generating", 1, 1);
    return ImageResult.of(images, latents, seeds, Duration.ofNanos(System.nanoTime() - start));
  }

  private void latents(ImageRequest request, List<Latent> latents, List<OptionalLong> seeds) {
    if (!request.latents().isEmpty()) {
      for (int i = 0; i < request.latents().size(); i++) {
        Latent l = request.latents().get(i);
        if (l.dimension() != dimension) {
          throw new InvalidRequestException("latents", "Latent " + i + " has " + l.dimension() + " values but this "
              + "GAN generator takes " + dimension + ".");
        }
        latents.add(l);
        seeds.add(OptionalLong.empty());
      }
      return;
    }
    long seed = request.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong() >>> 1);
    int n = request.count();
    if (request.morphTo().isPresent()) {
      long to = request.morphTo().getAsLong();
      latents.addAll(Latent.morph(random(seed), random(to), n));
      for (int i = 0; i < n; i++) {
        seeds.add(i == 0 ? OptionalLong.of(seed) : i == n - 1 ? OptionalLong.of(to) : OptionalLong.empty());
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      latents.add(random(seed + i));
      seeds.add(OptionalLong.of(seed + i));
    }
  }

  private Latent random(long seed) {
    return uniform ? Latent.randomUniform(seed, dimension) : Latent.random(seed, dimension);
  }

  private long classId(ImageRequest request) {
    if (request.classLabel().isEmpty()) {
      return 0;
    }
    String label = request.classLabel().get();
    if (classInput == null) {
      throw new InvalidRequestException("classLabel", "This GAN generator has no class input, so it takes no class "
          + "label; leave it unset.");
    }
    int named = classes.indexOf(label);
    if (named >= 0) {
      return named;
    }
    int known = oneHot > 0 ? oneHot : classes.size();
    try {
      long id = Long.parseLong(label.trim());
      if (id >= 0 && (known == 0 || id < known)) {
        return id;
      }
    } catch (NumberFormatException e) {
      // not an index: reported below
    }
    throw new InvalidRequestException("classLabel", "This GAN generator has no class '" + label + "'. "
        + (classes.isEmpty() ? "Its classes have no names; give an index" + (known > 0 ? " from 0 to " + (known - 1)
            : "") + "." : "Its classes are: " + String.join(", ", classes) + "."));
  }

  private OnnxTensor classTensor(OrtEnvironment env, int n, long classId) throws OrtException {
    if (oneHot > 0) {
      float[] hot = new float[n * oneHot];
      for (int i = 0; i < n; i++) {
        hot[i * oneHot + (int) classId] = 1f;
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(hot), new long[] {n, oneHot});
    }
    long[] ids = new long[n];
    java.util.Arrays.fill(ids, classId);
    return OnnxTensor.createTensor(env, LongBuffer.wrap(ids), classIdShape(n));
  }

  private long[] classIdShape(int n) {
    return classIdRank2 ? new long[] {n, 1} : new long[] {n};
  }

  /** Slices the interleaved RGB bytes of the whole batch, [N, H, W, 3], into pictures. */
  private List<Image> pictures(ByteBuffer rgb, int n) {
    int size = height * width * 3;
    if (rgb.remaining() != n * size) {
      throw new Muse4jException("GAN model " + name + " gave " + rgb.remaining() + " bytes of pictures for " + n
          + " pictures of " + width + "x" + height + "; its output size does not match its declared shape.");
    }
    List<Image> images = new ArrayList<>(n);
    byte[] picture = new byte[size];
    for (int i = 0; i < n; i++) {
      rgb.get(picture);
      images.add(Image.ofRgb(width, height, picture));
    }
    return images;
  }

  @Override
  public void close() {
    close(session);
    close(pictures);
    scale.close();
    offset.close();
  }

  private static void close(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.debug("Closing the GAN session failed", e);
    }
  }

  @Override
  public String toString() {
    return "OnnxGanEngine{" + name + ", latent " + dimension + ", " + width + "x" + height + "x" + channels + " "
        + (nhwc ? "NHWC" : "NCHW") + (sigmoid ? " sigmoid" : " tanh") + (classInput != null ? ", classes" : "") + "}";
  }

  /** The latent and class inputs the model declares. */
  private static final class Inputs {
    String latent = "";
    boolean latent4d;
    int dimension;
    @Nullable String classInput;
    int oneHot;
    boolean classIdRank2;

    static Inputs of(Map<String, NodeInfo> declared, GanConfig config, String name) {
      if (declared.isEmpty() || declared.size() > 2) {
        throw new ModelLoadException(name, "The model has " + declared.size() + " inputs " + declared.keySet()
            + "; a GAN generator takes a latent and optionally a class.");
      }
      Inputs in = new Inputs();
      String latent = config.latentInput;
      String cls = config.classInput;
      for (String input : declared.keySet()) {
        if (config.latentInput != null && !declared.containsKey(config.latentInput)
            || config.classInput != null && !declared.containsKey(config.classInput)) {
          throw new ModelLoadException(name, "gan.json names an input the model lacks; its inputs are "
              + declared.keySet() + ".");
        }
        if (input.equals(latent) || input.equals(cls)) {
          continue;
        }
        boolean looksLikeClass = declared.size() == 2 && (CLASS_NAME.matcher(input).matches()
            || tensor(declared.get(input), name, "input").type == OnnxJavaType.INT64);
        if (cls == null && looksLikeClass) {
          cls = input;
        } else if (latent == null) {
          latent = input;
        } else if (cls == null) {
          cls = input;
        }
      }
      if (latent == null || declared.size() == 2 && cls == null) {
        throw new ModelLoadException(name, "Cannot tell which of the inputs " + declared.keySet() + " is the latent; "
            + "name it in gan.json (\"latentInput\" and \"classInput\").");
      }
      TensorInfo z = tensor(declared.get(latent), name, "latent input");
      long[] zs = z.getShape();
      boolean ok = z.type == OnnxJavaType.FLOAT && (zs.length == 2 || zs.length == 4 && zs[2] == 1 && zs[3] == 1)
          && zs[1] > 0;
      if (!ok) {
        throw new ModelLoadException(name, "The latent input " + latent + " is " + z.type + " "
            + java.util.Arrays.toString(zs) + "; Muse4j feeds float [N, d] or [N, d, 1, 1] with a fixed d.");
      }
      in.latent = latent;
      in.latent4d = zs.length == 4;
      in.dimension = (int) zs[1];
      if (cls != null) {
        TensorInfo c = tensor(declared.get(cls), name, "class input");
        long[] cs = c.getShape();
        if (c.type == OnnxJavaType.INT64 && (cs.length == 1 || cs.length == 2 && cs[1] == 1)) {
          in.classIdRank2 = cs.length == 2;
        } else if (c.type == OnnxJavaType.FLOAT && cs.length == 2 && cs[1] > 0) {
          in.oneHot = (int) cs[1];
        } else {
          throw new ModelLoadException(name, "The class input " + cls + " is " + c.type + " "
              + java.util.Arrays.toString(cs) + "; Muse4j feeds an int64 id [N] or [N, 1], or a one-hot float "
              + "[N, classes].");
        }
        in.classInput = cls;
      }
      return in;
    }
  }
}

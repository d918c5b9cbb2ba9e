package dev.muse4j.onnx.internal.style;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Image;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4jException;
import dev.muse4j.StyleRequest;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.style.StyleConfig.Channels;
import dev.muse4j.onnx.internal.style.StyleConfig.Kind;
import dev.muse4j.onnx.internal.style.StyleConfig.Layout;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import dev.muse4j.spi.StyleEngine;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Style transfer and image-to-image models on ONNX Runtime: single-style feed-forward networks (the ONNX model zoo's
 * fast neural style and re-exports of it), two-input arbitrary stylization networks (content and style pictures),
 * AdaIN encoder/decoder pairs, and any single-input image-to-image model (super-resolution on the Y channel, filters).
 *
 * <p>Pictures of any size: a model with a fixed input size runs tile by tile with overlap and feathered blending
 * ({@link Tiling}); a model with dynamic sides runs on the whole picture when it fits the pixel budget, and tiled
 * otherwise. Tiles go several to a run when the model has a batch dimension.
 *
 * <p>Thread-safe: the sessions are shared and each transfer keeps its buffers to itself. The core closes the engine.
 *
 * @since 0.2.0
 */
public final class OnnxStyleEngine implements StyleEngine {
  private final String name;
  private final StyleConfig config;
  private final Kind kind;
  private final List<OrtSession> sessions;
  /** The main session (single, two-input) or the encoder (AdaIN). */
  private final OrtSession main;
  private final @Nullable OrtSession decoder;
  private final ImageInput input;
  private final @Nullable ImageInput styleInput;
  private final ImageInput output;
  private final String outputName;
  private final @Nullable String decoderInputName;
  private final Channels channels;
  private final int scale;
  private final int overlap;
  private final int batch;

  private OnnxStyleEngine(String name, StyleConfig config, Kind kind, List<OrtSession> sessions, ImageInput input,
      @Nullable ImageInput styleInput, ImageInput output, String outputName, @Nullable String decoderInputName) {
    this.name = name;
    this.config = config;
    this.kind = kind;
    this.sessions = List.copyOf(sessions);
    this.main = sessions.get(0);
    this.decoder = kind == Kind.ADAIN ? sessions.get(1) : null;
    this.input = input;
    this.styleInput = styleInput;
    this.output = output;
    this.outputName = outputName;
    this.decoderInputName = decoderInputName;
    this.channels = channels(config, input);
    this.scale = scale(config, input, output);
    if (input.fixedSize() && config.tile != null && (config.tile != input.width || config.tile != input.height)) {
      throw config.error(config.source("tile") + " is " + config.tile + " but the graph's input " + input
          + " is fixed at " + input.width + "x" + input.height);
    }
    int tile = input.fixedSize() ? (int) Math.min(input.width, input.height) : tileSide();
    this.overlap = config.overlap != null ? config.overlap : Math.min(Math.max(4, tile / 8), (tile - 1) / 2);
    if (overlap * 2 >= tile) {
      throw config.error(config.source("overlap") + " is " + overlap + " but must be less than half the tile ("
          + tile + ")");
    }
    this.batch = input.batch > 0 ? (int) input.batch : kind == Kind.SINGLE ? config.batch : 1;
  }

  /**
   * Opens a style model: a directory with one .onnx (and optionally style.json), an AdaIN pair (encoder.onnx and
   * decoder.onnx), or a single .onnx file.
   *
   * @param model the directory or file as the user named it
   * @param options the model options (none are read yet)
   * @param sessions opens sessions
   * @param json reads style.json
   * @return the engine; the core closes it
   */
  public static OnnxStyleEngine open(String model, ModelOptions options, SessionFactory sessions, ObjectMapper json) {
    Path path = Path.of(model);
    Path dir = Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ModelLoadException(model, "Style model '" + model + "' does not exist.");
    }
    StyleConfig config = StyleConfig.read(dir, model, json);
    Kind kind = config.kind != null ? config.kind
        : Files.isRegularFile(dir.resolve(config.encoder)) && Files.isRegularFile(dir.resolve(config.decoder))
            ? Kind.ADAIN : null;
    List<OrtSession> opened = new ArrayList<>();
    try {
      if (kind == Kind.ADAIN) {
        OrtSession enc = sessions.open(dir.resolve(config.encoder), model, Map.of()).session();
        opened.add(enc);
        OrtSession dec = sessions.open(dir.resolve(config.decoder), model, Map.of()).session();
        opened.add(dec);
        StyleConfig c = config.withMetadata(enc.getMetadata().getCustomMetadata());
        ImageInput in = ImageInput.of("input", first(enc.getInputInfo()), c, 3);
        NodeInfo features = first(dec.getInputInfo());
        NodeInfo out = first(dec.getOutputInfo());
        return new OnnxStyleEngine(model, c, Kind.ADAIN, opened, in, null, ImageInput.of("output", out, c, 3),
            out.getName(), features.getName());
      }
      Path file = Files.isRegularFile(path) ? path : dir.resolve(modelFile(dir, config, model));
      OrtSession session = sessions.open(file, model, Map.of()).session();
      opened.add(session);
      StyleConfig c = config.withMetadata(session.getMetadata().getCustomMetadata());
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (kind == null) {
        kind = inputs.size() == 2 ? Kind.TWO_INPUT : Kind.SINGLE;
      }
      int wanted = kind == Kind.TWO_INPUT ? 2 : 1;
      if (inputs.size() != wanted) {
        throw c.error("a " + (kind == Kind.TWO_INPUT ? "two-input (content and style)" : "single-input")
            + " model needs " + wanted + " picture input(s) but " + file.getFileName() + " declares "
            + inputs.keySet());
      }
      NodeInfo content = kind == Kind.TWO_INPUT && c.contentInput != null ? named(inputs, c.contentInput, c)
          : first(inputs);
      NodeInfo style = null;
      if (kind == Kind.TWO_INPUT) {
        style = c.styleInput != null ? named(inputs, c.styleInput, c) : inputs.values().stream()
            .filter(n -> !n.getName().equals(content.getName())).findFirst().orElseThrow();
      }
      ImageInput in = ImageInput.of("input", content, c, 0);
      NodeInfo out = first(session.getOutputInfo());
      return new OnnxStyleEngine(model, c, kind, opened, in,
          style == null ? null : ImageInput.of("style input", style, c, in.channels),
          ImageInput.of("output", out, c, in.channels), out.getName(), null);
    } catch (OrtException e) {
      closeAll(opened);
      throw new ModelLoadException(model, "Could not read the graph of " + model + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  private static String modelFile(Path dir, StyleConfig config, String model) {
    if (config.model != null) {
      return config.model;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> onnx = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted()
          .toList();
      if (onnx.size() == 1) {
        return onnx.get(0);
      }
      throw new ModelLoadException(model, "Directory " + dir + " has " + (onnx.isEmpty() ? "no .onnx file"
          : onnx.size() + " .onnx files " + onnx) + "; name the style model with \"model\" in style.json "
          + "(or \"encoder\" and \"decoder\" for an AdaIN pair).");
    } catch (IOException e) {
      throw new ModelLoadException(model, "Could not list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static NodeInfo first(Map<String, NodeInfo> nodes) {
    Iterator<NodeInfo> it = nodes.values().iterator();
    return it.next();
  }

  private static NodeInfo named(Map<String, NodeInfo> nodes, String name, StyleConfig c) {
    NodeInfo n = nodes.get(name);
    if (n == null) {
      throw c.error("no graph input is named '" + name + "'; the inputs are " + nodes.keySet());
    }
    return n;
  }

  private static void closeAll(List<OrtSession> opened) {
    for (OrtSession s : opened) {
      try {
        s.close();
      } catch (OrtException | RuntimeException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  private static Channels channels(StyleConfig config, ImageInput input) {
    if (config.channels == null) {
      return input.channels == 1 ? Channels.Y : Channels.RGB;
    }
    int needed = config.channels == Channels.Y ? 1 : 3;
    if (needed != input.channels) {
      throw config.error(config.source("channels") + " says " + config.channels + " (" + needed + " channel"
          + (needed == 1 ? "" : "s") + ") but the graph's input " + input + " has " + input.channels);
    }
    return config.channels;
  }

  private static int scale(StyleConfig config, ImageInput input, ImageInput output) {
    if (input.fixedSize() && output.fixedSize()) {
      if (output.width % input.width != 0 || output.height / input.height != output.width / input.width
          || output.height % input.height != 0) {
        throw config.error("the graph maps " + input + " to " + output + ", which is not a whole scale factor");
      }
      int graphScale = (int) (output.width / input.width);
      if (config.scale != null && config.scale != graphScale) {
        throw config.error(config.source("scale") + " is " + config.scale + " but the graph maps " + input
            + " to " + output + " (scale " + graphScale + ")");
      }
      return graphScale;
    }
    return config.scale != null ? config.scale : 1;
  }

  private int tileSide() {
    int t = config.tile != null ? config.tile : StyleConfig.DEFAULT_DYNAMIC_TILE;
    return roundUp(t, config.sideMultiple);
  }

  private static int roundUp(int v, int multiple) {
    return (v + multiple - 1) / multiple * multiple;
  }

  @Override
  public Limits limits() {
    return Limits.builder().maxSide(Image.MAX_SIDE / scale).sideMultiple(1).build();
  }

  @Override
  public ImageResult transfer(Job<StyleRequest> job) {
    long start = System.nanoTime();
    StyleRequest request = job.request();
    check(request);
    Image content = request.content();
    int w = content.width();
    int h = content.height();
    float[][] rgb = Planes.rgb(content);
    Image result;
    if (request.strength() == 0.0) {
      result = scale == 1 ? content : Planes.image(Planes.resize(rgb, w, h, w * scale, h * scale), w * scale,
          h * scale);
    } else {
      float[][] styled = stylize(job, rgb, w, h);
      result = finish(request, rgb, styled, w, h);
    }
    return ImageResult.of(List.of(result), Duration.ofNanos(System.nanoTime() - start));
  }

  private void check(StyleRequest request) {
    if (request.stylePrompt().isPresent()) {
      throw new InvalidRequestException("stylePrompt", "Style model " + name + " runs locally and takes no style "
          + "described in words; give a style picture to a two-input or AdaIN model, or use a remote backend.");
    }
    if (kind == Kind.SINGLE && request.style().isPresent()) {
      throw new InvalidRequestException("style", "Style model " + name + " has its style built in (a single-style "
          + "or image-to-image network); it takes no style picture. Leave out the style picture, or open a "
          + "two-input or AdaIN model (docs/style.md) to apply the style of a picture.");
    }
    if (kind != Kind.SINGLE && request.style().isEmpty()) {
      throw new InvalidRequestException("style", "Style model " + name + " is " + (kind == Kind.ADAIN
          ? "an AdaIN encoder/decoder pair" : "a two-input (content and style) network") + " and needs a style "
          + "picture: StyleRequest.builder(content).style(picture) (muse style --style art.png).");
    }
  }

  /** The model's output at {@code scale} times the picture's size: 3 RGB planes, or 1 Y plane. */
  private float[][] stylize(Job<StyleRequest> job, float[][] rgb, int w, int h) {
    float[][] source = channels == Channels.Y ? new float[][] {Planes.luma(rgb)} : rgb;
    Tiling tiling = tiling(w, h);
    if (kind == Kind.ADAIN) {
      return adain(job, source, tiling);
    }
    StyleTensor style = kind == Kind.TWO_INPUT ? styleTensor(job.request().style().orElseThrow()) : null;
    Tiling.Blender blender = new Tiling.Blender(tiling, source.length, scale);
    int total = tiling.count();
    int per = tiling.count() == 1 ? 1 : batch;
    int done = 0;
    while (done < total) {
      job.cancellation().throwIfCancelled();
      int n = Math.min(per, total - done);
      float[][][] tiles = new float[n][][];
      for (int i = 0; i < n; i++) {
        tiles[i] = cut(source, tiling, (done + i) % tiling.xs.length, (done + i) / tiling.xs.length);
      }
      float[][][] outs = run(tiles, tiling.tileWidth, tiling.tileHeight, style);
      for (int i = 0; i < n; i++) {
        blender.add((done + i) % tiling.xs.length, (done + i) / tiling.xs.length, outs[i]);
      }
      done += n;
      job.step("tiles", done, total);
    }
    return blender.result();
  }

  private Tiling tiling(int w, int h) {
    if (input.fixedSize()) {
      return new Tiling(w, h, (int) input.width, (int) input.height, overlap);
    }
    if ((long) w * h <= config.pixelBudget) {
      return new Tiling(w, h, roundUp(w, config.sideMultiple), roundUp(h, config.sideMultiple), 0);
    }
    int t = tileSide();
    return new Tiling(w, h, t, t, overlap);
  }

  /** One tile's planes, mirrored at the picture's borders where the tile reaches past them. */
  private static float[][] cut(float[][] source, Tiling tiling, int tx, int ty) {
    int tw = tiling.tileWidth;
    int th = tiling.tileHeight;
    int x0 = tiling.xs[tx];
    int y0 = tiling.ys[ty];
    float[][] tile = new float[source.length][tw * th];
    boolean inside = x0 + tw <= tiling.width;
    int[] sx = new int[tw];
    for (int x = 0; x < tw; x++) {
      sx[x] = Planes.reflect(x0 + x, tiling.width);
    }
    for (int y = 0; y < th; y++) {
      int row = Planes.reflect(y0 + y, tiling.height) * tiling.width;
      for (int c = 0; c < source.length; c++) {
        float[] from = source[c];
        float[] to = tile[c];
        if (inside) {
          System.arraycopy(from, row + x0, to, y * tw, tw);
        } else {
          for (int x = 0; x < tw; x++) {
            to[y * tw + x] = from[row + sx[x]];
          }
        }
      }
    }
    return tile;
  }

  /** Runs a batch of tiles through a single-input or two-input model. */
  private float[][][] run(float[][][] tiles, int tw, int th, @Nullable StyleTensor style) {
    int n = tiles.length;
    int runBatch = input.batch > 0 ? (int) input.batch : n;
    float[] data = new float[runBatch * input.channels * tw * th];
    for (int b = 0; b < runBatch; b++) {
      put(tiles[Math.min(b, n - 1)], data, b, tw, th, input.layout, input.channels);
    }
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      feeds.put(input.name, tensor(data, shape(input.layout, runBatch, input.channels, th, tw)));
      if (style != null) {
        feeds.put(style.input, tensor(style.data, style.shape));
      }
      try (OrtSession.Result result = main.run(feeds)) {
        return read(result, outputName, n, tw * scale, th * scale, output, config.outputRange);
      }
    } catch (OrtException e) {
      throw failed(e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  /** A style picture as the style input takes it. */
  private record StyleTensor(String input, float[] data, long[] shape) {}

  /** The style picture as the style input takes it (fixed size, or its longer side at styleSize). */
  private StyleTensor styleTensor(Image style) {
    ImageInput in = Objects.requireNonNull(styleInput, "styleInput");
    int[] size = styleSize(style, in);
    float[][] planes = Planes.resize(Planes.rgb(style), style.width(), style.height(), size[0], size[1]);
    float[] data = new float[3 * size[0] * size[1]];
    put(planes, data, 0, size[0], size[1], in.layout, 3);
    return new StyleTensor(in.name, data, shape(in.layout, 1, 3, size[1], size[0]));
  }

  private int[] styleSize(Image style, ImageInput in) {
    if (in.fixedSize()) {
      return new int[] {(int) in.width, (int) in.height};
    }
    int longest = config.styleSize != null ? config.styleSize : kind == Kind.ADAIN ? 512 : 256;
    double f = (double) longest / Math.max(style.width(), style.height());
    int m = config.sideMultiple;
    return new int[] {Math.max(m, roundUp((int) Math.round(style.width() * f), m)),
        Math.max(m, roundUp((int) Math.round(style.height() * f), m))};
  }

  private static long[] shape(Layout layout, int n, int c, int h, int w) {
    return layout == Layout.NCHW ? new long[] {n, c, h, w} : new long[] {n, h, w, c};
  }

  /** Writes one picture's planes (0..255) into a batch tensor at index b, in the model's layout, range and order. */
  private void put(float[][] planes, float[] data, int b, int tw, int th, Layout layout, int c) {
    StyleConfig.Range range = config.range;
    int hw = tw * th;
    int base = b * c * hw;
    for (int k = 0; k < c; k++) {
      float[] plane = planes[channels == Channels.BGR ? c - 1 - k : k];
      if (layout == Layout.NCHW) {
        int off = base + k * hw;
        for (int i = 0; i < hw; i++) {
          data[off + i] = range.toModel(plane[i]);
        }
      } else {
        for (int i = 0; i < hw; i++) {
          data[base + i * c + k] = range.toModel(plane[i]);
        }
      }
    }
  }

  private static OnnxTensor tensor(float[] data, long[] shape) throws OrtException {
    return OnnxTensor.createTensor(SessionFactory.environment(), FloatBuffer.wrap(data), shape);
  }

  /** Reads the first n pictures of an output tensor as planes in 0..255, checking their size. */
  private float[][][] read(OrtSession.Result result, String outName, int n, int ow, int oh, ImageInput layout,
      StyleConfig.Range range) {
    OnnxValue value = result.get(outName).orElseThrow();
    if (!(value instanceof OnnxTensor)) {
      throw new ModelLoadException(name, "Output '" + outName + "' of " + name + " is not a tensor.");
    }
    OnnxTensor t = (OnnxTensor) value;
    long[] shape = t.getInfo().getShape();
    int c = layout.channels;
    long[] expected = shape(layout.layout, (int) shape[0], c, oh, ow);
    if (!Arrays.equals(shape, expected)) {
      throw config.error("the model turned a " + ow / scale + "x" + oh / scale + " picture into " + outName + " "
          + Arrays.toString(shape) + ", but " + Arrays.toString(expected) + " was expected (" + layout.layout
          + ", scale " + scale + "; set \"scale\" or \"layout\" in style.json if the model differs)");
    }
    FloatBuffer buf = t.getFloatBuffer();
    int hw = ow * oh;
    float[] all = new float[n * c * hw];
    buf.get(all);
    float scaleOut = 255f / (range.high - range.low);
    float low = range.low;
    float[][][] out = new float[n][c][hw];
    for (int b = 0; b < n; b++) {
      int base = b * c * hw;
      for (int k = 0; k < c; k++) {
        float[] plane = out[b][channels == Channels.BGR ? c - 1 - k : k];
        if (layout.layout == Layout.NCHW) {
          int off = base + k * hw;
          for (int i = 0; i < hw; i++) {
            plane[i] = Math.max(0f, Math.min(255f, (all[off + i] - low) * scaleOut));
          }
        } else {
          for (int i = 0; i < hw; i++) {
            plane[i] = Math.max(0f, Math.min(255f, (all[base + i * c + k] - low) * scaleOut));
          }
        }
      }
    }
    return out;
  }

  /**
   * AdaIN: encode every tile, take the content features' mean and standard deviation per channel over the whole
   * picture (so that tiles agree), move them to the style's, mix with the content features by strength (AdaIN's
   * alpha), and decode tile by tile.
   */
  private float[][] adain(Job<StyleRequest> job, float[][] source, Tiling tiling) {
    StyleRequest request = job.request();
    Image style = request.style().orElseThrow();
    int[] size = styleSize(style, input);
    float[][] stylePlanes = Planes.resize(Planes.rgb(style), style.width(), style.height(), size[0], size[1]);
    Features styleFeatures = encode(stylePlanes, size[0], size[1]);
    double[][] styleStats = styleFeatures.stats(List.of(styleFeatures));
    int total = tiling.count();
    List<Features> encoded = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      job.cancellation().throwIfCancelled();
      encoded.add(encode(cut(source, tiling, i % tiling.xs.length, i / tiling.xs.length), tiling.tileWidth,
          tiling.tileHeight));
      job.step("encoding", i + 1, total);
    }
    double[][] contentStats = encoded.get(0).stats(encoded);
    float alpha = (float) request.strength();
    Tiling.Blender blender = new Tiling.Blender(tiling, 3, 1);
    for (int i = 0; i < total; i++) {
      job.cancellation().throwIfCancelled();
      Features f = encoded.get(i);
      f.adain(contentStats, styleStats, alpha);
      blender.add(i % tiling.xs.length, i / tiling.xs.length, decode(f, tiling.tileWidth, tiling.tileHeight));
      job.step("decoding", i + 1, total);
    }
    return blender.result();
  }

  private Features encode(float[][] planes, int w, int h) {
    float[] data = new float[3 * w * h];
    put(planes, data, 0, w, h, input.layout, 3);
    try (OnnxTensor in = tensor(data, shape(input.layout, 1, 3, h, w));
        OrtSession.Result result = main.run(Map.of(input.name, in))) {
      OnnxTensor t = (OnnxTensor) result.get(0);
      long[] shape = t.getInfo().getShape();
      if (shape.length != 4) {
        throw config.error("the encoder's output has shape " + Arrays.toString(shape) + ", not NCHW features");
      }
      FloatBuffer buf = t.getFloatBuffer();
      float[] values = new float[buf.remaining()];
      buf.get(values);
      return new Features(values, shape);
    } catch (OrtException e) {
      throw failed(e);
    }
  }

  private float[][] decode(Features f, int w, int h) {
    OrtSession dec = Objects.requireNonNull(decoder, "decoder");
    String decInput = Objects.requireNonNull(decoderInputName, "decoderInputName");
    try (OnnxTensor in = tensor(f.values, f.shape);
        OrtSession.Result result = dec.run(Map.of(decInput, in))) {
      return read(result, outputName, 1, w, h, output, config.outputRange)[0];
    } catch (OrtException e) {
      throw failed(e);
    }
  }

  /** NCHW features of one picture. */
  private static final class Features {
    final float[] values;
    final long[] shape;

    Features(float[] values, long[] shape) {
      this.values = values;
      this.shape = shape;
    }

    /** Mean and standard deviation per channel over several feature maps: {means, stds}. */
    double[][] stats(List<Features> all) {
      int c = (int) shape[1];
      double[] sum = new double[c];
      double[] sq = new double[c];
      long count = 0;
      for (Features f : all) {
        int hw = (int) (f.shape[2] * f.shape[3]);
        for (int k = 0; k < c; k++) {
          for (int i = 0; i < hw; i++) {
            double v = f.values[k * hw + i];
            sum[k] += v;
            sq[k] += v * v;
          }
        }
        count += hw;
      }
      double[] mean = new double[c];
      double[] std = new double[c];
      for (int k = 0; k < c; k++) {
        mean[k] = sum[k] / count;
        std[k] = Math.sqrt(Math.max(0, sq[k] / count - mean[k] * mean[k]) + 1e-5);
      }
      return new double[][] {mean, std};
    }

    void adain(double[][] content, double[][] style, float alpha) {
      int c = (int) shape[1];
      int hw = (int) (shape[2] * shape[3]);
      for (int k = 0; k < c; k++) {
        double gain = style[1][k] / content[1][k];
        for (int i = 0; i < hw; i++) {
          float v = values[k * hw + i];
          float t = (float) ((v - content[0][k]) * gain + style[0][k]);
          values[k * hw + i] = alpha * t + (1 - alpha) * v;
        }
      }
    }
  }

  private Muse4jException failed(OrtException e) {
    return new ModelLoadException(name, "ONNX Runtime failed to run style model " + name + ": " + e.getMessage(), e);
  }

  /** Colours, strength and size: the styled planes, the content, and the request's options to the final picture. */
  private Image finish(StyleRequest request, float[][] rgb, float[][] styled, int w, int h) {
    int ow = w * scale;
    int oh = h * scale;
    float[][] base = scale == 1 ? rgb : Planes.resize(rgb, w, h, ow, oh);
    float[][] out;
    if (channels == Channels.Y || request.keepColours()) {
      float[] y = channels == Channels.Y ? styled[0] : Planes.luma(styled);
      float[][] chroma = Planes.ycbcr(base);
      out = Planes.rgbFromYcbcr(y, chroma[1], chroma[2]);
    } else {
      out = styled;
    }
    float a = (float) request.strength();
    if (kind != Kind.ADAIN && a < 1f) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < out[c].length; i++) {
          out[c][i] = a * out[c][i] + (1 - a) * base[c][i];
        }
      }
    }
    return Planes.image(out, ow, oh);
  }

  @Override
  public void close() {
    closeAll(sessions);
  }

  @Override
  public String toString() {
    return "OnnxStyleEngine{" + name + ", " + kind + ", " + input + " -> " + output + ", scale " + scale + "}";
  }
}

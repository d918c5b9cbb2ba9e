package dev.muse4j.onnx.internal.diffusion;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.JsonErrors;
import dev.muse4j.onnx.internal.session.SessionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX component of a pipeline ({@code unet/model.onnx} and its {@code config.json} when the export has one),
 * with its session and the names, types and shapes its metadata declares. Thread-safe: the session is; the engine
 * closes it.
 */
final class Component implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Component.class);

  final String folder;
  final Path file;
  final OrtSession session;
  /** The component's config.json (Optimum exports), or a missing node (the legacy layout has none). */
  final JsonNode config;

  private Component(String folder, Path file, OrtSession session, JsonNode config) {
    this.folder = folder;
    this.file = file;
    this.session = session;
    this.config = config;
  }

  /**
   * Opens a component folder's model.
   *
   * @param dir the pipeline directory
   * @param folder the component folder, e.g. {@code unet}
   * @param modelName the model as the user named it
   * @param sessions opens the session
   * @param json reads config.json
   * @return the component; the caller closes it
   * @throws ModelLoadException naming the folder or file that is missing or wrong
   */
  static Component open(Path dir, String folder, String modelName, SessionFactory sessions, ObjectMapper json) {
    Path file = modelFile(dir, folder, modelName);
    JsonNode config = config(dir.resolve(folder), modelName, json);
    OrtSession session = sessions.open(file, modelName, Map.of()).session();
    return new Component(folder, file, session, config);
  }

  /** The folder's model file: model.onnx, or its only .onnx file. */
  static Path modelFile(Path dir, String folder, String modelName) {
    Path folderPath = dir.resolve(folder);
    if (!Files.isDirectory(folderPath)) {
      throw new ModelLoadException(modelName, "The Stable Diffusion pipeline has no " + folder + "/ folder (looked for " + folderPath
          + "). A Stable Diffusion pipeline needs text_encoder/, unet/, vae_decoder/, tokenizer/ and scheduler/ "
          + "(vae_encoder/ for image-to-image); export the whole pipeline (see docs/images.md).");
    }
    Path model = folderPath.resolve("model.onnx");
    if (Files.isRegularFile(model)) {
      return model;
    }
    List<Path> candidates;
    try (Stream<Path> files = Files.list(folderPath)) {
      candidates = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
    } catch (IOException e) {
      throw new ModelLoadException(modelName, "Could not list " + folderPath + ": " + e.getMessage(), e);
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new ModelLoadException(modelName, candidates.isEmpty()
        ? "The folder " + folderPath + " has no model.onnx."
        : "The folder " + folderPath + " has no model.onnx but several .onnx files "
            + candidates.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList())
            + "; keep one, or name it model.onnx.");
  }

  /** A folder's config.json, or a missing node. */
  static JsonNode config(Path folder, String modelName, ObjectMapper json) {
    Path file = folder.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(modelName, file + " is not valid JSON (" + JsonErrors.describe(e) + ").", e);
    }
  }

  /** The file as messages name it: {@code unet/model.onnx}. */
  String where() {
    return folder + "/" + file.getFileName();
  }

  /** The names of the model's inputs, in declared order. */
  java.util.Set<String> inputNames(String modelName) {
    try {
      return session.getInputInfo().keySet();
    } catch (OrtException e) {
      throw new ModelLoadException(modelName, "Could not read the inputs of " + where() + ": "
          + SessionFactory.firstLine(e.getMessage()), e);
    }
  }

  /** Whether the model declares an input of this name. */
  boolean hasInput(String name) {
    try {
      return session.getInputInfo().containsKey(name);
    } catch (OrtException e) {
      return false;
    }
  }

  /**
   * An input's tensor description: the named one, or when {@code name} is absent and {@code fallbackToFirst}, the
   * first input.
   */
  Port input(String name, boolean fallbackToFirst, String modelName) {
    return port(name, fallbackToFirst, true, modelName);
  }

  /** An output's tensor description, as {@link #input}. */
  Port output(String name, boolean fallbackToFirst, String modelName) {
    return port(name, fallbackToFirst, false, modelName);
  }

  private Port port(String name, boolean fallbackToFirst, boolean input, String modelName) {
    Map<String, NodeInfo> nodes;
    try {
      nodes = input ? session.getInputInfo() : session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelLoadException(modelName, "Could not read the " + (input ? "inputs" : "outputs") + " of "
          + where() + ": " + SessionFactory.firstLine(e.getMessage()), e);
    }
    NodeInfo node = nodes.get(name);
    if (node == null && fallbackToFirst && !nodes.isEmpty()) {
      node = nodes.values().iterator().next();
      LOG.debug("{} has no {} '{}'; using '{}'", where(), input ? "input" : "output", name, node.getName());
    }
    if (node == null || !(node.getInfo() instanceof TensorInfo info)) {
      throw new ModelLoadException(modelName, where() + " has no tensor " + (input ? "input" : "output") + " '" + name
          + "'; its " + (input ? "inputs" : "outputs") + " are " + nodes.keySet() + ".");
    }
    return new Port(node.getName(), info.type, info.getShape());
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.debug("Closing {} failed", file, e);
    }
  }

  /**
   * An input or output: its name, element type and declared shape ({@code -1} for a symbolic dimension).
   *
   * @param name the tensor's name
   * @param type its element type
   * @param shape its shape
   */
  record Port(String name, OnnxJavaType type, long[] shape) {
    /** Whether the element type is float32 or float16. */
    boolean isFloat() {
      return type == OnnxJavaType.FLOAT || type == OnnxJavaType.FLOAT16;
    }

    /** A dimension, or -1 when symbolic or absent. */
    long dim(int i) {
      return i < shape.length ? shape[i] : -1;
    }

    String describe() {
      return name + " " + type + " " + Arrays.toString(shape);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Port p && p.name.equals(name) && p.type == type && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}

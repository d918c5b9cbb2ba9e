package dev.muse4j.onnx.internal.gan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fields of {@code gan.json}, all optional; unknown fields are an error so that a typo does not go unnoticed.
 *
 * <pre>{@code
 * {"model": "model.onnx", "layout": "NCHW", "output": "tanh", "latent": "normal",
 *  "latentInput": "z", "classInput": "label", "classes": ["cat", "dog"]}
 * }</pre>
 *
 * <p>Immutable.
 */
final class GanConfig {
  private static final Set<String> FIELDS = Set.of("model", "layout", "output", "latent", "latentInput",
      "classInput", "classes", "description");

  /** The .onnx file's name, or null to take the one .onnx file in the directory. */
  final @Nullable String model;
  /** {@code NCHW} or {@code NHWC}, or null to read it from the output's shape. */
  final @Nullable String layout;
  /** True for a sigmoid output in [0, 1]; false for tanh, [-1, 1] (the default). */
  final boolean sigmoid;
  /** True when the model was trained on uniform noise in [-1, 1]; false for standard normal (the default). */
  final boolean uniform;
  final @Nullable String latentInput;
  final @Nullable String classInput;
  final List<String> classes;

  private GanConfig(@Nullable String model, @Nullable String layout, boolean sigmoid, boolean uniform,
      @Nullable String latentInput, @Nullable String classInput, List<String> classes) {
    this.model = model;
    this.layout = layout;
    this.sigmoid = sigmoid;
    this.uniform = uniform;
    this.latentInput = latentInput;
    this.classInput = classInput;
    this.classes = List.copyOf(classes);
  }

  static GanConfig read(Path file, String name, ObjectMapper json) {
    JsonNode root;
    try {
      root = json.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelLoadException(name, "Could not read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelLoadException(name, file + " must hold a JSON object (it may be {}).");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new ModelLoadException(name, file + " has an unknown field '" + field + "'; known: "
            + new java.util.TreeSet<>(FIELDS) + ".");
      }
    }
    String layout = choice(root, "layout", file, name, "NCHW", "NHWC");
    String output = choice(root, "output", file, name, "tanh", "sigmoid");
    String latent = choice(root, "latent", file, name, "normal", "uniform");
    List<String> classes = new ArrayList<>();
    for (JsonNode c : root.path("classes")) {
      if (!c.isTextual() || c.asText().isBlank() || classes.contains(c.asText())) {
        throw new ModelLoadException(name, file + ": classes must be distinct, non-empty strings.");
      }
      classes.add(c.asText());
    }
    return new GanConfig(text(root, "model"), layout == null ? null : layout.toUpperCase(Locale.ROOT),
        "sigmoid".equals(output), "uniform".equals(latent), text(root, "latentInput"), text(root, "classInput"),
        classes);
  }

  private static @Nullable String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static @Nullable String choice(JsonNode root, String field, Path file, String name, String... allowed) {
    String value = text(root, field);
    if (value == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(value)) {
        return a;
      }
    }
    throw new ModelLoadException(name, file + ": " + field + " is '" + value + "' but must be one of "
        + String.join(", ", allowed) + ".");
  }
}

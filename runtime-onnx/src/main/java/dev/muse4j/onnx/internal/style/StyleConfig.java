package dev.muse4j.onnx.internal.style;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What {@code style.json} beside a model says, with the documented defaults; each field may also come from the
 * model's own metadata (a custom metadata entry of the same name), which {@code style.json} overrides. Unknown
 * fields and malformed values are errors that name the file. The graph's side is checked in {@link ImageInput}.
 *
 * <p>Immutable.
 */
final class StyleConfig {
  /** The fields style.json may have; docs/style.md describes each. */
  static final Set<String> FIELDS = Set.of("kind", "model", "encoder", "decoder", "layout", "range", "outputRange",
      "channels", "tile", "overlap", "pixelBudget", "sideMultiple", "batch", "scale", "styleSize", "contentInput",
      "styleInput");
  /** Pixels a model with dynamic sides runs on in one piece; larger pictures are tiled. 2048 x 2048. */
  static final long DEFAULT_PIXEL_BUDGET = 2048L * 2048L;
  static final int DEFAULT_DYNAMIC_TILE = 512;
  static final int DEFAULT_SIDE_MULTIPLE = 8;
  static final int DEFAULT_BATCH = 4;

  enum Kind { SINGLE, TWO_INPUT, ADAIN }

  enum Layout { NCHW, NHWC }

  enum Channels { RGB, BGR, Y }

  /** A value range a model takes or gives, mapped from and to 0..255. */
  enum Range {
    BYTE("0..255", 0, 255), UNIT("0..1", 0, 1), SIGNED("-1..1", -1, 1);

    final String text;
    final float low;
    final float high;

    Range(String text, float low, float high) {
      this.text = text;
      this.low = low;
      this.high = high;
    }

    float toModel(float byteValue) {
      return low + byteValue * ((high - low) / 255f);
    }
  }

  final Path file;
  final boolean present;
  final @Nullable Kind kind;
  final @Nullable String model;
  final String encoder;
  final String decoder;
  final @Nullable Layout layout;
  final Range range;
  final Range outputRange;
  final @Nullable Channels channels;
  final @Nullable Integer tile;
  final @Nullable Integer overlap;
  final long pixelBudget;
  final int sideMultiple;
  final int batch;
  final @Nullable Integer scale;
  final @Nullable Integer styleSize;
  final @Nullable String contentInput;
  final @Nullable String styleInput;

  private final Values v;

  private StyleConfig(Path file, boolean present, Values v) {
    this.file = file;
    this.present = present;
    this.v = v;
    this.kind = v.choice("kind", Kind.class, Map.of("single", Kind.SINGLE, "two-input", Kind.TWO_INPUT,
        "adain", Kind.ADAIN));
    this.model = v.text("model");
    String enc = v.text("encoder");
    this.encoder = enc == null ? "encoder.onnx" : enc;
    String dec = v.text("decoder");
    this.decoder = dec == null ? "decoder.onnx" : dec;
    this.layout = v.choice("layout", Layout.class, Map.of("NCHW", Layout.NCHW, "NHWC", Layout.NHWC));
    Map<String, Range> ranges = Map.of("0..255", Range.BYTE, "0..1", Range.UNIT, "-1..1", Range.SIGNED);
    Range r = v.choice("range", Range.class, ranges);
    this.range = r == null ? Range.BYTE : r;
    Range o = v.choice("outputRange", Range.class, ranges);
    this.outputRange = o == null ? range : o;
    this.channels = v.choice("channels", Channels.class, Map.of("RGB", Channels.RGB, "BGR", Channels.BGR,
        "Y", Channels.Y));
    this.tile = v.integer("tile", 8, 16384);
    this.overlap = v.integer("overlap", 0, 8192);
    Integer budget = v.integer("pixelBudget", 1, Integer.MAX_VALUE);
    this.pixelBudget = budget == null ? DEFAULT_PIXEL_BUDGET : budget;
    Integer multiple = v.integer("sideMultiple", 1, 1024);
    this.sideMultiple = multiple == null ? DEFAULT_SIDE_MULTIPLE : multiple;
    Integer b = v.integer("batch", 1, 256);
    this.batch = b == null ? DEFAULT_BATCH : b;
    this.scale = v.integer("scale", 1, 16);
    this.styleSize = v.integer("styleSize", 16, 4096);
    this.contentInput = v.text("contentInput");
    this.styleInput = v.text("styleInput");
    if (tile != null && overlap != null && overlap * 2 >= tile) {
      throw v.error("overlap is " + overlap + " but must be less than half the tile (" + tile + ")");
    }
  }

  /**
   * Reads {@code style.json} in a directory, if there is one.
   *
   * @param dir the model directory
   * @param modelName the model as the user named it
   * @param json the mapper
   * @return the settings; defaults where the file is absent
   */
  static StyleConfig read(Path dir, String modelName, ObjectMapper json) {
    Path file = dir.resolve("style.json");
    if (!Files.isRegularFile(file)) {
      return new StyleConfig(file, false, new Values(modelName, file, null, Map.of()));
    }
    JsonNode node;
    try {
      node = json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(modelName, file + " is not valid JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new ModelLoadException(modelName, file + " must hold a JSON object; docs/style.md lists its fields.");
    }
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new ModelLoadException(modelName, file + " has unknown field(s) " + unknown + "; the fields are "
          + new TreeSet<>(FIELDS) + " (docs/style.md).");
    }
    return new StyleConfig(file, true, new Values(modelName, file, node, Map.of()));
  }

  /**
   * The same settings with the model's custom metadata under them: a field style.json leaves out is taken from the
   * metadata entry of the same name, if any.
   */
  StyleConfig withMetadata(Map<String, String> metadata) {
    if (metadata.keySet().stream().noneMatch(FIELDS::contains)) {
      return this;
    }
    return new StyleConfig(file, present, new Values(v.modelName, file, v.node, metadata));
  }

  /** Where a value came from, for messages. */
  String source(String field) {
    return v.node != null && v.node.has(field) ? file.getFileName() + " (" + field + ")"
        : v.metadata.containsKey(field) ? "the model's metadata (" + field + ")" : "the default " + field;
  }

  boolean given(String field) {
    return (v.node != null && v.node.has(field)) || v.metadata.containsKey(field);
  }

  ModelLoadException error(String message) {
    return v.error(message);
  }

  /** Reads typed values from the JSON node, then the metadata. */
  private static final class Values {
    final String modelName;
    final Path file;
    final @Nullable JsonNode node;
    final Map<String, String> metadata;

    Values(String modelName, Path file, @Nullable JsonNode node, Map<String, String> metadata) {
      this.modelName = modelName;
      this.file = file;
      this.node = node;
      this.metadata = metadata;
    }

    @Nullable String text(String field) {
      if (node != null && node.has(field)) {
        JsonNode value = node.get(field);
        if (!value.isTextual() || value.asText().isBlank()) {
          throw error(field + " must be a non-blank string but is " + value);
        }
        return value.asText();
      }
      String meta = metadata.get(field);
      return meta == null || meta.isBlank() ? null : meta.trim();
    }

    @Nullable Integer integer(String field, int min, int max) {
      String raw;
      if (node != null && node.has(field)) {
        JsonNode value = node.get(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
          throw error(field + " must be a whole number from " + min + " to " + max + " but is " + value);
        }
        raw = value.asText();
      } else {
        raw = metadata.get(field);
        if (raw == null) {
          return null;
        }
      }
      int parsed;
      try {
        parsed = Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        throw error(field + " must be a whole number from " + min + " to " + max + " but is " + raw);
      }
      if (parsed < min || parsed > max) {
        throw error(field + " must be from " + min + " to " + max + " but is " + parsed);
      }
      return parsed;
    }

    <E extends Enum<E>> @Nullable E choice(String field, Class<E> type, Map<String, E> names) {
      String value = text(field);
      if (value == null) {
        return null;
      }
      for (Map.Entry<String, E> e : names.entrySet()) {
        if (e.getKey().equalsIgnoreCase(value.trim())) {
          return e.getValue();
        }
      }
      throw error(field + " is \"" + value + "\" but must be one of " + new TreeSet<>(names.keySet()));
    }

    ModelLoadException error(String message) {
      String where = node != null ? file.toString() : "Style model " + modelName;
      return new ModelLoadException(modelName, where + ": " + message + " (docs/style.md describes style.json).");
    }
  }

  @Override
  public String toString() {
    return "StyleConfig{" + file + (present ? "" : " (absent)") + "}";
  }
}

package dev.muse4j.onnx.internal.style;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;

/**
 * A picture tensor a graph takes or gives, as its declared shape says: rank 4, one or three channels, NCHW or NHWC,
 * fixed or dynamic batch and sides (-1 for dynamic). The layout comes from {@code style.json} when given, which must
 * then agree with the shape; otherwise from where the 1 or 3 sits.
 */
final class ImageInput {
  final String name;
  final long[] shape;
  final StyleConfig.Layout layout;
  final int channels;
  /** Fixed batch size, or -1. */
  final long batch;
  /** Fixed height and width, or -1. */
  final long height;
  final long width;

  private ImageInput(String name, long[] shape, StyleConfig.Layout layout) {
    this.name = name;
    this.shape = shape;
    this.layout = layout;
    int c = layout == StyleConfig.Layout.NCHW ? 1 : 3;
    this.channels = (int) shape[c];
    this.batch = shape[0] > 0 ? shape[0] : -1;
    this.height = shape[layout == StyleConfig.Layout.NCHW ? 2 : 1] > 0 ? shape[layout == StyleConfig.Layout.NCHW
        ? 2 : 1] : -1;
    this.width = shape[layout == StyleConfig.Layout.NCHW ? 3 : 2] > 0 ? shape[layout == StyleConfig.Layout.NCHW
        ? 3 : 2] : -1;
  }

  boolean fixedSize() {
    return height > 0 && width > 0;
  }

  /**
   * Reads a graph input or output as a picture.
   *
   * @param what "input" or "output", for messages
   * @param info the node
   * @param config style.json, whose layout wins and must agree with the shape
   * @param channels the channel count expected, or 0 for 1 or 3
   */
  static ImageInput of(String what, NodeInfo info, StyleConfig config, int channels) {
    if (!(info.getInfo() instanceof TensorInfo)) {
      throw config.error("the graph's " + what + " '" + info.getName() + "' is not a tensor");
    }
    TensorInfo tensor = (TensorInfo) info.getInfo();
    long[] shape = tensor.getShape();
    if (tensor.type != OnnxJavaType.FLOAT) {
      throw config.error("the graph's " + what + " '" + info.getName() + "' is " + tensor.type
          + " but the style engine feeds float32 pictures; re-export the model with float32 inputs and outputs");
    }
    if (shape.length != 4) {
      throw config.error("the graph's " + what + " '" + info.getName() + "' has shape " + Arrays.toString(shape)
          + ", not a batch of pictures (rank 4, NCHW or NHWC)");
    }
    StyleConfig.Layout guessed = isChannels(shape[1], channels) && !isChannels(shape[3], channels)
        ? StyleConfig.Layout.NCHW
        : isChannels(shape[3], channels) && !isChannels(shape[1], channels) ? StyleConfig.Layout.NHWC : null;
    StyleConfig.Layout layout = config.layout;
    if (layout != null) {
      int c = layout == StyleConfig.Layout.NCHW ? 1 : 3;
      if (shape[c] > 0 && !isChannels(shape[c], channels)) {
        throw config.error(config.source("layout") + " says " + layout + " but the graph's " + what + " '"
            + info.getName() + "' has shape " + Arrays.toString(shape) + (guessed != null ? ", which is "
            + guessed : "") + ": dimension " + c + " is not " + (channels > 0 ? channels : "1 or 3")
            + " channels");
      }
    } else if (guessed != null) {
      layout = guessed;
    } else if (shape[1] < 0 && shape[3] < 0) {
      throw config.error("the graph's " + what + " '" + info.getName() + "' has shape " + Arrays.toString(shape)
          + " with no fixed channel count; say \"layout\": \"NCHW\" or \"NHWC\" in style.json");
    } else {
      throw config.error("the graph's " + what + " '" + info.getName() + "' has shape " + Arrays.toString(shape)
          + ", which has no channel dimension of " + (channels > 0 ? channels : "1 or 3") + " (NCHW or NHWC)");
    }
    long[] resolved = shape.clone();
    int c = layout == StyleConfig.Layout.NCHW ? 1 : 3;
    if (resolved[c] < 0) {
      resolved[c] = channels > 0 ? channels : 3;
    }
    return new ImageInput(info.getName(), resolved, layout);
  }

  private static boolean isChannels(long dim, int channels) {
    return channels > 0 ? dim == channels : dim == 1 || dim == 3;
  }

  @Override
  public String toString() {
    return "'" + name + "' " + Arrays.toString(shape) + " " + layout;
  }
}

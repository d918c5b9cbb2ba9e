package dev.muse4j.samples.sprites;

import dev.muse4j.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Lays pictures out as a sprite sheet, scales them up for display, and writes animated GIFs with
 * {@code javax.imageio} alone. Stateless and thread-safe.
 *
 * @since 0.2.0
 */
public final class SpriteSheets {
  private SpriteSheets() {}

  /**
   * A sheet of {@code columns × rows} cells, row by row, each the size of the first picture, with {@code gap}
   * pixels of {@code background} between and around them.
   *
   * @param pictures at most {@code columns * rows}, all the same size; missing cells stay background
   * @param columns cells across, at least 1
   * @param rows cells down, at least 1
   * @param gap pixels between cells, 0 or more
   * @param background the colour between cells, {@code 0xRRGGBB}
   * @return the sheet
   * @throws IllegalArgumentException if there are more pictures than cells or their sizes differ
   */
  public static Image grid(List<Image> pictures, int columns, int rows, int gap, int background) {
    if (pictures.isEmpty() || columns < 1 || rows < 1 || gap < 0 || pictures.size() > columns * rows) {
      throw new IllegalArgumentException("A " + columns + "x" + rows + " sheet cannot hold " + pictures.size()
          + " pictures.");
    }
    int w = pictures.get(0).width();
    int h = pictures.get(0).height();
    int sheetW = columns * w + (columns + 1) * gap;
    int sheetH = rows * h + (rows + 1) * gap;
    byte[] rgb = new byte[sheetW * sheetH * 3];
    for (int i = 0; i < sheetW * sheetH; i++) {
      rgb[3 * i] = (byte) (background >> 16);
      rgb[3 * i + 1] = (byte) (background >> 8);
      rgb[3 * i + 2] = (byte) background;
    }
    for (int k = 0; k < pictures.size(); k++) {
      Image p = pictures.get(k);
      if (p.width() != w || p.height() != h) {
        throw new IllegalArgumentException("Picture " + k + " is " + p.width() + "x" + p.height() + " but the first "
            + "is " + w + "x" + h + ".");
      }
      byte[] src = p.rgb();
      int x0 = gap + (k % columns) * (w + gap);
      int y0 = gap + (k / columns) * (h + gap);
      for (int y = 0; y < h; y++) {
        System.arraycopy(src, y * w * 3, rgb, ((y0 + y) * sheetW + x0) * 3, w * 3);
      }
    }
    return Image.ofRgb(sheetW, sheetH, rgb);
  }

  /**
   * Scales a picture up by a whole factor, each pixel a square block (sharp pixel-art edges).
   *
   * @param picture the picture
   * @param factor 1 or more; 1 returns the picture itself
   * @return the scaled picture
   */
  public static Image scale(Image picture, int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("The scale factor must be at least 1 but was " + factor + ".");
    }
    if (factor == 1) {
      return picture;
    }
    int w = picture.width();
    int h = picture.height();
    byte[] src = picture.rgb();
    byte[] out = new byte[w * factor * h * factor * 3];
    int outW = w * factor;
    for (int y = 0; y < h * factor; y++) {
      for (int x = 0; x < outW; x++) {
        int s = ((y / factor) * w + x / factor) * 3;
        int d = (y * outW + x) * 3;
        out[d] = src[s];
        out[d + 1] = src[s + 1];
        out[d + 2] = src[s + 2];
      }
    }
    return Image.ofRgb(outW, h * factor, out);
  }

  /**
   * Writes an animated GIF that loops forever.
   *
   * @param frames one or more pictures, shown in order
   * @param delayMillis how long each frame shows, rounded to hundredths of a second (at least one)
   * @param file the file, replaced if it exists
   * @throws UncheckedIOException if it cannot be written
   */
  public static void writeGif(List<Image> frames, int delayMillis, Path file) {
    Objects.requireNonNull(file, "file");
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("A GIF needs at least one frame.");
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
    if (!writers.hasNext()) {
      throw new IllegalStateException("This Java runtime has no GIF writer.");
    }
    ImageWriter writer = writers.next();
    try {
      Files.deleteIfExists(file);
      try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        for (int i = 0; i < frames.size(); i++) {
          BufferedImage image = frames.get(i).toBufferedImage();
          IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
              null);
          frameMetadata(metadata, Math.max(1, Math.round(delayMillis / 10f)), i == 0);
          writer.writeToSequence(new IIOImage(image, null, metadata), null);
        }
        writer.endWriteSequence();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
  }

  /** Sets the frame's delay and, on the first frame, the NETSCAPE2.0 extension that makes viewers loop. */
  private static void frameMetadata(IIOMetadata metadata, int delayHundredths, boolean first)
      throws IOException {
    String format = metadata.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(delayHundredths));
    control.setAttribute("transparentColorIndex", "0");
    if (first) {
      IIOMetadataNode extensions = child(root, "ApplicationExtensions");
      IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
      loop.setAttribute("applicationID", "NETSCAPE");
      loop.setAttribute("authenticationCode", "2.0");
      loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0: forever
      extensions.appendChild(loop);
    }
    metadata.setFromTree(format, root);
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}

package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * An RGB picture: width, height and 8-bit red, green and blue samples, row by row. Converts to and from
 * {@link BufferedImage} and reads and writes PNG (and reads whatever else {@link ImageIO} reads, such as JPEG).
 * Alpha is dropped on input.
 *
 * <p>Immutable and thread-safe: every array in or out is copied.
 *
 * @since 0.1.0
 */
public final class Image {
  /** The largest width or height accepted. */
  public static final int MAX_SIDE = 16384;

  private final int width;
  private final int height;
  private final byte[] rgb;

  private Image(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /**
   * Creates an image from interleaved RGB bytes.
   *
   * @param width the width in pixels, 1 to {@value #MAX_SIDE}
   * @param height the height in pixels, 1 to {@value #MAX_SIDE}
   * @param rgb {@code width * height * 3} bytes: R, G, B of each pixel, row by row from the top left; copied
   * @return the image
   * @throws IllegalArgumentException if the sizes disagree
   */
  public static Image ofRgb(int width, int height, byte[] rgb) {
    checkSize(width, height);
    Checks.notNull(rgb, "rgb");
    long expected = (long) width * height * 3;
    if (rgb.length != expected) {
      throw new IllegalArgumentException("A " + width + "x" + height + " RGB image needs " + expected
          + " bytes but got " + rgb.length + ".");
    }
    return new Image(width, height, rgb.clone());
  }

  /**
   * Converts a {@link BufferedImage} of any type.
   *
   * @param image the image
   * @return the RGB image
   */
  public static Image fromBufferedImage(BufferedImage image) {
    Checks.notNull(image, "image");
    int w = image.getWidth();
    int h = image.getHeight();
    checkSize(w, h);
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) (argb[i] >> 16);
      rgb[3 * i + 1] = (byte) (argb[i] >> 8);
      rgb[3 * i + 2] = (byte) argb[i];
    }
    return new Image(w, h, rgb);
  }

  /**
   * Decodes PNG, JPEG, BMP or GIF bytes.
   *
   * @param encoded the encoded image
   * @return the image
   * @throws IllegalArgumentException if the bytes are not an image format the JDK reads
   */
  public static Image decode(byte[] encoded) {
    Checks.notNull(encoded, "encoded");
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      if (image == null) {
        throw new IllegalArgumentException("Not a readable image (" + encoded.length
            + " bytes); expected PNG, JPEG, BMP or GIF.");
      }
      return fromBufferedImage(image);
    } catch (IOException e) {
      throw new IllegalArgumentException("Could not decode the image: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an image file (PNG, JPEG, BMP or GIF).
   *
   * @param file the file
   * @return the image
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if it is not an image
   */
  public static Image read(Path file) {
    Checks.notNull(file, "file");
    try {
      return decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read image " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException("Image sides must be between 1 and " + MAX_SIDE + " pixels but were "
          + width + "x" + height + ".");
    }
  }

  /**
   * The width in pixels.
   *
   * @return the width
   */
  public int width() {
    return width;
  }

  /**
   * The height in pixels.
   *
   * @return the height
   */
  public int height() {
    return height;
  }

  /**
   * A copy of the interleaved RGB bytes, row by row from the top left.
   *
   * @return {@code width * height * 3} bytes
   */
  public byte[] rgb() {
    return rgb.clone();
  }

  /**
   * One pixel as {@code 0xRRGGBB}.
   *
   * @param x the column, from 0
   * @param y the row, from 0
   * @return the colour
   */
  public int pixel(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    int i = (y * width + x) * 3;
    return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
  }

  /**
   * Converts to a new {@link BufferedImage} of type {@link BufferedImage#TYPE_INT_RGB}.
   *
   * @return the image
   */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[width * height];
    for (int i = 0; i < argb.length; i++) {
      argb[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
    }
    image.setRGB(0, 0, width, height, argb, 0, width);
    return image;
  }

  /**
   * Encodes as PNG.
   *
   * @return the PNG bytes
   */
  public byte[] toPng() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(toBufferedImage(), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Writes a PNG file, replacing any existing file.
   *
   * @param file the file
   * @throws UncheckedIOException if it cannot be written
   */
  public void writePng(Path file) {
    try {
      Files.write(file, toPng());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Equal when the sizes and every pixel are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Image && ((Image) o).width == width && ((Image) o).height == height
        && Arrays.equals(((Image) o).rgb, rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "Image[" + width + "x" + height + "]";
  }
}

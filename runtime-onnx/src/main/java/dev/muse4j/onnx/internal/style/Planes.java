package dev.muse4j.onnx.internal.style;

import dev.muse4j.Image;

/**
 * Pictures as planar float samples in 0..255 (one array per channel, row by row), and the conversions the style
 * engine needs: RGB and YCbCr (BT.601 full range, as JPEG uses), separable bicubic resizing and reflection at the
 * borders. Stateless.
 */
final class Planes {
  private Planes() {}

  /** The RGB planes of a picture. */
  static float[][] rgb(Image image) {
    byte[] rgb = image.rgb();
    int n = image.width() * image.height();
    float[][] planes = new float[3][n];
    for (int i = 0; i < n; i++) {
      planes[0][i] = rgb[3 * i] & 0xff;
      planes[1][i] = rgb[3 * i + 1] & 0xff;
      planes[2][i] = rgb[3 * i + 2] & 0xff;
    }
    return planes;
  }

  /** A picture from RGB planes, rounded and clipped to 0..255. */
  static Image image(float[][] rgb, int width, int height) {
    int n = width * height;
    byte[] bytes = new byte[n * 3];
    for (int i = 0; i < n; i++) {
      bytes[3 * i] = clip(rgb[0][i]);
      bytes[3 * i + 1] = clip(rgb[1][i]);
      bytes[3 * i + 2] = clip(rgb[2][i]);
    }
    return Image.ofRgb(width, height, bytes);
  }

  private static byte clip(float v) {
    return (byte) (int) (Math.max(0f, Math.min(255f, v)) + 0.5f);
  }

  /** RGB to Y, Cb, Cr planes (BT.601 full range: Y in 0..255, Cb and Cr centred on 128). */
  static float[][] ycbcr(float[][] rgb) {
    int n = rgb[0].length;
    float[][] out = new float[3][n];
    for (int i = 0; i < n; i++) {
      float r = rgb[0][i];
      float g = rgb[1][i];
      float b = rgb[2][i];
      out[0][i] = 0.299f * r + 0.587f * g + 0.114f * b;
      out[1][i] = 128f - 0.168736f * r - 0.331264f * g + 0.5f * b;
      out[2][i] = 128f + 0.5f * r - 0.418688f * g - 0.081312f * b;
    }
    return out;
  }

  /** Y, Cb, Cr planes back to RGB. */
  static float[][] rgbFromYcbcr(float[] y, float[] cb, float[] cr) {
    int n = y.length;
    float[][] out = new float[3][n];
    for (int i = 0; i < n; i++) {
      float u = cb[i] - 128f;
      float v = cr[i] - 128f;
      out[0][i] = y[i] + 1.402f * v;
      out[1][i] = y[i] - 0.344136f * u - 0.714136f * v;
      out[2][i] = y[i] + 1.772f * u;
    }
    return out;
  }

  /** The luma plane of RGB planes. */
  static float[] luma(float[][] rgb) {
    int n = rgb[0].length;
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
    }
    return y;
  }

  /** Mirrors an index into 0..n-1 without repeating the edge sample (as "reflect" padding does). */
  static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  /**
   * Resizes one plane with the bicubic (Keys, a = -0.5) kernel, widened when shrinking so that it averages rather
   * than aliases.
   */
  static float[] resize(float[] plane, int width, int height, int newWidth, int newHeight) {
    if (width == newWidth && height == newHeight) {
      return plane.clone();
    }
    float[] rows = new float[newWidth * height];
    for (int y = 0; y < height; y++) {
      resample(plane, y * width, 1, width, rows, y * newWidth, 1, newWidth);
    }
    float[] out = new float[newWidth * newHeight];
    for (int x = 0; x < newWidth; x++) {
      resample(rows, x, newWidth, height, out, x, newWidth, newHeight);
    }
    return out;
  }

  private static void resample(float[] in, int inOff, int inStride, int n, float[] out, int outOff, int outStride,
      int m) {
    double scale = (double) n / m;
    double support = scale > 1 ? 2 * scale : 2;
    double stretch = scale > 1 ? scale : 1;
    for (int j = 0; j < m; j++) {
      double centre = (j + 0.5) * scale - 0.5;
      int from = (int) Math.floor(centre - support) + 1;
      int to = (int) Math.floor(centre + support);
      double sum = 0;
      double weights = 0;
      for (int i = from; i <= to; i++) {
        double w = keys((i - centre) / stretch);
        if (w != 0) {
          sum += w * in[inOff + Math.max(0, Math.min(n - 1, i)) * inStride];
          weights += w;
        }
      }
      out[outOff + j * outStride] = (float) (sum / weights);
    }
  }

  private static double keys(double x) {
    double a = -0.5;
    double t = Math.abs(x);
    if (t <= 1) {
      return ((a + 2) * t - (a + 3)) * t * t + 1;
    }
    if (t < 2) {
      return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
    }
    return 0;
  }

  /** Resizes every plane. */
  static float[][] resize(float[][] planes, int width, int height, int newWidth, int newHeight) {
    float[][] out = new float[planes.length][];
    for (int c = 0; c < planes.length; c++) {
      out[c] = resize(planes[c], width, height, newWidth, newHeight);
    }
    return out;
  }
}

package dev.muse4j.onnx.internal.style;

/**
 * Where the tiles of one picture go, and how their outputs are blended back: tiles overlap by at least
 * {@code overlap} pixels, are spread evenly so that the last one ends at the border, and each tile's weight ramps
 * linearly from 0 to 1 across the overlap on every side it shares with another tile ("feathering"), so that
 * neighbouring tiles fade into each other instead of meeting at a seam. Outside shared sides the weight is 1; the
 * blended value is the weighted sum divided by the summed weight.
 */
final class Tiling {
  final int width;
  final int height;
  final int tileWidth;
  final int tileHeight;
  final int overlap;
  final int[] xs;
  final int[] ys;

  Tiling(int width, int height, int tileWidth, int tileHeight, int overlap) {
    this.width = width;
    this.height = height;
    this.tileWidth = tileWidth;
    this.tileHeight = tileHeight;
    this.overlap = overlap;
    this.xs = positions(width, tileWidth, overlap);
    this.ys = positions(height, tileHeight, overlap);
  }

  int count() {
    return xs.length * ys.length;
  }

  /** Tile origins along one side: one tile (padded) when the side fits, else evenly spread with enough overlap. */
  static int[] positions(int length, int tile, int overlap) {
    if (length <= tile) {
      return new int[] {0};
    }
    int stride = tile - overlap;
    int n = (length - tile + stride - 1) / stride + 1;
    int[] at = new int[n];
    for (int k = 0; k < n; k++) {
      at[k] = (int) Math.round((double) k * (length - tile) / (n - 1));
    }
    return at;
  }

  /** Sums weighted tile outputs at {@code scale} times the tiling's size. */
  static final class Blender {
    private final Tiling tiling;
    private final int scale;
    private final int outWidth;
    private final float[][] sum;
    private final float[] weight;

    Blender(Tiling tiling, int channels, int scale) {
      this.tiling = tiling;
      this.scale = scale;
      this.outWidth = tiling.width * scale;
      int n = outWidth * tiling.height * scale;
      this.sum = new float[channels][n];
      this.weight = new float[n];
    }

    /**
     * Adds one tile's output.
     *
     * @param tx the tile's column index in {@link Tiling#xs}
     * @param ty the tile's row index in {@link Tiling#ys}
     * @param tile its planes, {@code tileWidth * scale} wide and {@code tileHeight * scale} high
     */
    void add(int tx, int ty, float[][] tile) {
      int tw = tiling.tileWidth * scale;
      int th = tiling.tileHeight * scale;
      int x0 = tiling.xs[tx] * scale;
      int y0 = tiling.ys[ty] * scale;
      float[] wx = ramp(tw, tx > 0, tx < tiling.xs.length - 1);
      float[] wy = ramp(th, ty > 0, ty < tiling.ys.length - 1);
      int maxX = Math.min(tw, outWidth - x0);
      int maxY = Math.min(th, tiling.height * scale - y0);
      float[] w = new float[maxX];
      for (int y = 0; y < maxY; y++) {
        int row = (y0 + y) * outWidth + x0;
        for (int x = 0; x < maxX; x++) {
          w[x] = wx[x] * wy[y];
          weight[row + x] += w[x];
        }
        for (int c = 0; c < sum.length; c++) {
          float[] to = sum[c];
          float[] from = tile[c];
          int at = y * tw;
          for (int x = 0; x < maxX; x++) {
            to[row + x] += w[x] * from[at + x];
          }
        }
      }
    }

    private float[] ramp(int size, boolean start, boolean end) {
      float[] w = new float[size];
      float r = tiling.overlap * scale;
      for (int i = 0; i < size; i++) {
        float v = 1f;
        if (r > 0 && start) {
          v = Math.min(v, (i + 0.5f) / r);
        }
        if (r > 0 && end) {
          v = Math.min(v, (size - i - 0.5f) / r);
        }
        w[i] = v;
      }
      return w;
    }

    /** The blended planes. */
    float[][] result() {
      for (float[] plane : sum) {
        for (int i = 0; i < weight.length; i++) {
          plane[i] /= weight[i];
        }
      }
      return sum;
    }
  }
}

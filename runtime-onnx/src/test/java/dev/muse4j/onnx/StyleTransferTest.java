package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.Capability;
import dev.muse4j.Image;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.Progress;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Local style transfer through the public API, on the tiny fixtures of tools/fixtures/make_style.py. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StyleTransferTest {
  private Backend onnx;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
  }

  @AfterAll
  void close() {
    onnx.close();
  }

  /** A smooth, colourful test picture with some edges. */
  static Image picture(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        boolean square = (x / 37 + y / 29) % 2 == 0;
        rgb[i] = (byte) (40 + 150 * x / Math.max(1, w - 1));
        rgb[i + 1] = (byte) (60 + 120 * y / Math.max(1, h - 1) + (square ? 20 : 0));
        rgb[i + 2] = (byte) (180 - 100 * (x + y) / Math.max(1, w + h - 2));
      }
    }
    return Image.ofRgb(w, h, rgb);
  }

  /** Seeded coloured noise: a style picture whose statistics differ from {@link #picture}'s. */
  static Image noise(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    new java.util.Random(7).nextBytes(rgb);
    return Image.ofRgb(w, h, rgb);
  }

  private static Path withStyleJson(String fixture, Path dir, String json) throws IOException {
    Fixtures.copy(fixture, dir, name -> !name.equals("style.json"));
    if (json != null) {
      Files.writeString(dir.resolve("style.json"), json);
    }
    return dir;
  }

  private Image transfer(String model, StyleRequest request) {
    try (StyleTransfer style = onnx.style(model)) {
      return style.transfer(request).image();
    }
  }

  /** Mean and largest absolute difference per sample. */
  static double[] difference(Image a, Image b) {
    byte[] x = a.rgb();
    byte[] y = b.rgb();
    double sum = 0;
    int max = 0;
    for (int i = 0; i < x.length; i++) {
      int d = Math.abs((x[i] & 0xff) - (y[i] & 0xff));
      sum += d;
      max = Math.max(max, d);
    }
    return new double[] {sum / x.length, max};
  }

  @Test
  void theBackendOffersStyleTransfer() {
    assertThat(onnx.capabilities()).contains(Capability.STYLE);
  }

  @Test
  void oddSizesComeBackAtExactlyTheirSize() {
    Image odd = picture(333, 517);
    for (String model : List.of("style-zoo-224", "style-nhwc-dynamic", "style-pixelwise")) {
      Image out = transfer(Fixtures.model(model), StyleRequest.of(odd));
      assertThat(out.width()).as(model).isEqualTo(333);
      assertThat(out.height()).as(model).isEqualTo(517);
      assertThat(out).as(model).isNotEqualTo(odd);
    }
    Image tiny = picture(7, 3);
    Image out = transfer(Fixtures.model("style-zoo-224"), StyleRequest.of(tiny));
    assertThat(out.width()).isEqualTo(7);
    assertThat(out.height()).isEqualTo(3);
  }

  @Test
  void aTiledRunOfAPixelWiseModelEqualsAnUntiledRun(@TempDir Path tiled, @TempDir Path whole) throws IOException {
    withStyleJson("style-pixelwise", tiled, "{\"tile\": 64, \"overlap\": 16, \"pixelBudget\": 1, \"sideMultiple\": 1, "
        + "\"batch\": 3}");
    withStyleJson("style-pixelwise", whole, "{\"sideMultiple\": 1}");
    Image in = picture(301, 207);
    List<Progress> steps = new CopyOnWriteArrayList<>();

    Image a = transfer(tiled.toString(), StyleRequest.builder(in).progressListener(steps::add).build());
    Image b = transfer(whole.toString(), StyleRequest.of(in));

    // 6 x 4 tiles of 64 with at least 16 overlap, three to a run: 8 runs, progress counted in tiles.
    assertThat(steps).extracting(Progress::step).containsExactly(3, 6, 9, 12, 15, 18, 21, 24);
    assertThat(steps).extracting(Progress::totalSteps).containsOnly(24);

    // Blending weights sum to one, so only float rounding differs: at most one step of 255.
    assertThat(difference(a, b)[1]).isLessThanOrEqualTo(1.0);
  }

  @Test
  void theSeamErrorOfAConvolutionalModelIsMeasuredAndBounded(@TempDir Path tiled, @TempDir Path whole)
      throws IOException {
    withStyleJson("style-nhwc-dynamic", tiled, "{\"layout\": \"NHWC\", \"range\": \"0..1\", \"sideMultiple\": 2, "
        + "\"tile\": 128, \"overlap\": 32, \"pixelBudget\": 1}");
    withStyleJson("style-nhwc-dynamic", whole, "{\"layout\": \"NHWC\", \"range\": \"0..1\", \"sideMultiple\": 2}");
    Image in = picture(480, 320);

    Image a = transfer(tiled.toString(), StyleRequest.of(in));
    Image b = transfer(whole.toString(), StyleRequest.of(in));

    double[] d = difference(a, b);
    // Feathering spreads the change from one tile to the next over the overlap (columns 96..128 here): the step
    // between neighbouring columns there may exceed the untiled picture's by little more than inside a tile.
    double seam = columnStep(a, 96, 128) - columnStep(b, 96, 128);
    double interior = columnStep(a, 20, 90) - columnStep(b, 20, 90);
    System.out.printf("seam (tiled 128/32 vs whole): mean difference %.2f, max %.0f of 255 (instance norm sees each "
        + "tile's own statistics); column step beyond the untiled picture's: %.2f in the overlap, %.2f inside a "
        + "tile%n", d[0], d[1], seam, interior);
    assertThat(d[0]).as("mean difference to the untiled run").isLessThan(30.0);
    assertThat(seam).as("no visible step where tiles meet").isLessThan(Math.max(interior, 0) + 1.5);
  }

  @Test
  void aFullHdPictureThroughTheZooShapedModelHasNoVisibleSeams() {
    // style-zoo-224 (fixed 224, tiled with overlap 28) and style-nhwc-dynamic (the same weights, run whole) differ
    // only by tiling.
    Image in = picture(1920, 1080);
    Image tiled = transfer(Fixtures.model("style-zoo-224"), StyleRequest.of(in));
    Image whole = transfer(Fixtures.model("style-nhwc-dynamic"), StyleRequest.of(in));

    int n = 10;
    double overlapExcess = 0;
    double interiorExcess = 0;
    for (int k = 0; k < n - 1; k++) {
      int x = (int) Math.round((double) k * (1920 - 224) / (n - 1));
      int next = (int) Math.round((double) (k + 1) * (1920 - 224) / (n - 1));
      int after = k + 2 < n ? (int) Math.round((double) (k + 2) * (1920 - 224) / (n - 1)) : 1920;
      // The overlap of tiles k and k + 1, and the stretch after it that only tile k + 1 covers.
      overlapExcess += columnStep(tiled, next + 1, x + 224) - columnStep(whole, next + 1, x + 224);
      interiorExcess += columnStep(tiled, x + 224 + 1, after) - columnStep(whole, x + 224 + 1, after);
    }
    overlapExcess /= n - 1;
    interiorExcess /= n - 1;
    double[] d = difference(tiled, whole);
    System.out.printf("1920x1080, 60 tiles of 224 (overlap >= 28) vs one whole run: mean difference %.2f, max %.0f; "
        + "column step beyond the whole run's: %.2f in the overlaps, %.2f between them%n", d[0], d[1], overlapExcess,
        interiorExcess);
    assertThat(tiled.width()).isEqualTo(1920);
    assertThat(tiled.height()).isEqualTo(1080);
    assertThat(d[0]).isLessThan(30.0);
    assertThat(overlapExcess).as("no visible step where tiles meet").isLessThan(Math.max(interiorExcess, 0) + 1.5);
  }

  /** The mean absolute step between neighbouring columns from x0 to x1, over rows and channels. */
  private static double columnStep(Image image, int x0, int x1) {
    double sum = 0;
    int n = 0;
    for (int at = x0; at < x1; at++) {
      for (int y = 0; y < image.height(); y++) {
        int p = image.pixel(at, y);
        int q = image.pixel(at - 1, y);
        for (int s = 0; s < 24; s += 8) {
          sum += Math.abs((p >> s & 0xff) - (q >> s & 0xff));
          n++;
        }
      }
    }
    return sum / n;
  }

  @Test
  void strengthZeroReturnsTheInput() {
    Image in = picture(250, 230);
    for (String model : List.of("style-zoo-224", "style-nhwc-dynamic")) {
      assertThat(transfer(Fixtures.model(model), StyleRequest.builder(in).strength(0).build())).isEqualTo(in);
    }
  }

  @Test
  void strengthBlendsTheStylizedPictureWithTheOriginal() {
    Image in = picture(250, 230);
    Image full = transfer(Fixtures.model("style-zoo-224"), StyleRequest.of(in));
    Image half = transfer(Fixtures.model("style-zoo-224"), StyleRequest.builder(in).strength(0.5).build());

    double toIn = difference(half, in)[0];
    double toFull = difference(half, full)[0];
    assertThat(toIn).isGreaterThan(0);
    assertThat(Math.abs(toIn - toFull)).isLessThan(0.1 * (toIn + toFull) + 1);
  }

  @Test
  void keepingColoursKeepsTheInputsChroma() {
    Image in = picture(300, 200);
    Image styled = transfer(Fixtures.model("style-zoo-224"), StyleRequest.of(in));
    Image kept = transfer(Fixtures.model("style-zoo-224"), StyleRequest.builder(in).keepColours(true).build());

    double[] keptChroma = chromaDifference(kept, in);
    double[] styledChroma = chromaDifference(styled, in);
    System.out.printf("chroma difference to the input: %.3f with keepColours, %.3f without%n", keptChroma[0],
        styledChroma[0]);
    assertThat(keptChroma[0]).isLessThan(1.5);
    assertThat(styledChroma[0]).isGreaterThan(3 * keptChroma[0]);
    assertThat(difference(kept, in)[0]).as("the luminance is restyled").isGreaterThan(2.0);
  }

  /** Mean absolute Cb and Cr difference (BT.601), as {mean}. */
  private static double[] chromaDifference(Image a, Image b) {
    double sum = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        double[] p = cbcr(a.pixel(x, y));
        double[] q = cbcr(b.pixel(x, y));
        sum += Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]);
      }
    }
    return new double[] {sum / (2.0 * a.width() * a.height())};
  }

  private static double[] cbcr(int rgb) {
    int r = rgb >> 16 & 0xff;
    int g = rgb >> 8 & 0xff;
    int b = rgb & 0xff;
    return new double[] {128 - 0.168736 * r - 0.331264 * g + 0.5 * b, 128 + 0.5 * r - 0.418688 * g - 0.081312 * b};
  }

  @Test
  void adainTakesAStylePictureAndStrengthIsAlpha() {
    Image in = picture(203, 151);
    Image art = noise(90, 120);
    Image full = transfer(Fixtures.model("style-adain"), StyleRequest.builder(in).style(art).build());
    Image half = transfer(Fixtures.model("style-adain"), StyleRequest.builder(in).style(art).strength(0.5).build());

    assertThat(full.width()).isEqualTo(203);
    assertThat(full.height()).isEqualTo(151);
    assertThat(difference(full, half)[0]).isGreaterThan(0.1);
    assertThat(transfer(Fixtures.model("style-adain"), StyleRequest.builder(in).style(art).strength(0).build()))
        .isEqualTo(in);
  }

  @Test
  void aTiledAdainRunUsesTheWholePicturesStatistics(@TempDir Path tiled) throws IOException {
    withStyleJson("style-adain", tiled, "{\"kind\": \"adain\", \"range\": \"0..1\", \"sideMultiple\": 4, "
        + "\"tile\": 64, \"overlap\": 16, \"pixelBudget\": 1}");
    Image in = picture(203, 151);
    Image art = noise(90, 120);
    List<String> stages = new CopyOnWriteArrayList<>();
    Image a;
    try (StyleTransfer style = onnx.style(tiled.toString())) {
      a = style.transfer(StyleRequest.builder(in).style(art).progressListener(p -> stages.add(p.stage())).build())
          .image();
    }
    Image b = transfer(Fixtures.model("style-adain"), StyleRequest.builder(in).style(art).build());

    double[] d = difference(a, b);
    System.out.printf("AdaIN tiled (64/16) vs whole: mean %.2f, max %.0f%n", d[0], d[1]);
    assertThat(d[0]).isLessThan(6.0);
    assertThat(stages).contains("encoding", "decoding");
  }

  @Test
  void aTwoInputModelTakesTheStylePicture() {
    Image in = picture(150, 99);
    Image a = transfer(Fixtures.model("style-two-input"), StyleRequest.builder(in).style(picture(64, 64)).build());
    Image b = transfer(Fixtures.model("style-two-input"),
        StyleRequest.builder(in).style(Image.ofRgb(1, 1, new byte[] {(byte) 250, 10, 10})).build());

    assertThat(a.width()).isEqualTo(150);
    assertThat(a.height()).isEqualTo(99);
    assertThat(a).isNotEqualTo(b);
    assertThatThrownBy(() -> transfer(Fixtures.model("style-two-input"), StyleRequest.of(in)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs a style picture");
  }

  @Test
  void progressIsReportedPerTileBatchAndCancellationStopsBetweenTiles() throws Exception {
    Image big = picture(1920, 1080);
    List<Progress> seen = new CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    try (StyleTransfer style = onnx.style(Fixtures.model("style-zoo-224"))) {
      style.transfer(StyleRequest.builder(picture(600, 300)).progressListener(seen::add).build());
      // 600 wide: 3 columns of 224 with at least 28 overlap; 300 high: 2 rows. Fixed batch 1: one step per tile.
      assertThat(seen).extracting(Progress::totalSteps).containsOnly(6);
      assertThat(seen).extracting(Progress::step).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(seen.get(0).stage()).isEqualTo("tiles");

      List<Progress> partial = new CopyOnWriteArrayList<>();
      CompletableFuture<ImageResult> future = style.transferAsync(StyleRequest.builder(big).progressListener(p -> {
        partial.add(p);
        started.countDown();
        try {
          cancelled.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).build());
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      future.cancel(true);
      cancelled.countDown();
      assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
      assertThat(partial.size()).isLessThan(partial.get(0).totalSteps());
    }
  }

  @Test
  void superResolutionIsSharperThanBicubic(@TempDir Path dir) throws IOException {
    Path shared = Path.of(Fixtures.shared("super-resolution"));
    Files.copy(shared.resolve("pytorch_super_resolution.onnx"), dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("style.json"), "{\"channels\": \"Y\", \"range\": \"0..1\"}");
    Image photo = Image.read(shared.resolve("test_superresolution.png"));
    // A lower-resolution version of the photo, as the model was trained on (a third of the size).
    Image small = Image.fromBufferedImage(scale(photo.toBufferedImage(), photo.width() / 3, photo.height() / 3));

    ImageResult result;
    try (StyleTransfer sr = onnx.style(dir.toString())) {
      result = sr.transfer(StyleRequest.of(small));
      assertThatThrownBy(() -> sr.transfer(StyleRequest.of(Image.ofRgb(6000, 1, new byte[18000]))))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxSide");
    }
    Image up = result.image();
    Image bicubic = Image.fromBufferedImage(scale(small.toBufferedImage(), small.width() * 3, small.height() * 3));

    assertThat(up.width()).isEqualTo(small.width() * 3);
    assertThat(up.height()).isEqualTo(small.height() * 3);
    double model = gradientEnergy(up);
    double plain = gradientEnergy(bicubic);
    System.out.printf("super-resolution %dx%d -> %dx%d: gradient energy %.1f vs bicubic %.1f (ratio %.3f)%n",
        small.width(), small.height(), up.width(), up.height(), model, plain, model / plain);
    assertThat(model / plain).isGreaterThan(1.10);
    assertThat(chromaDifference(up, bicubic)[0]).as("chroma is the bicubic upscale's").isLessThan(1.5);
  }

  private static BufferedImage scale(BufferedImage in, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(in, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Mean squared luma difference between horizontal and vertical neighbours. */
  private static double gradientEnergy(Image image) {
    double sum = 0;
    for (int y = 0; y < image.height() - 1; y++) {
      for (int x = 0; x < image.width() - 1; x++) {
        double l = luma(image.pixel(x, y));
        double dx = luma(image.pixel(x + 1, y)) - l;
        double dy = luma(image.pixel(x, y + 1)) - l;
        sum += dx * dx + dy * dy;
      }
    }
    return sum / ((image.width() - 1.0) * (image.height() - 1.0));
  }

  private static double luma(int rgb) {
    return 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void anEmptyPictureOrOneOverTheLargestSideCannotBeMade() {
    assertThatThrownBy(() -> Image.ofRgb(0, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 16384");
    assertThatThrownBy(() -> Image.ofRgb(Image.MAX_SIDE + 1, 1, new byte[(Image.MAX_SIDE + 1) * 3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16385x1");
  }

  @Test
  void aStylePictureForASingleStyleModelIsRefused() {
    assertThatThrownBy(() -> transfer(Fixtures.model("style-zoo-224"),
        StyleRequest.builder(picture(50, 50)).style(picture(20, 20)).build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has its style built in")
        .hasMessageContaining("takes no style picture");
  }

  @Test
  void anAdainModelWithoutAStylePictureIsRefused() {
    assertThatThrownBy(() -> transfer(Fixtures.model("style-adain"), StyleRequest.of(picture(50, 50))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("AdaIN")
        .hasMessageContaining("needs a style picture");
  }

  @Test
  void aStyleJsonThatContradictsTheGraphNamesBoth(@TempDir Path a, @TempDir Path b, @TempDir Path c,
      @TempDir Path d) throws IOException {
    withStyleJson("style-zoo-224", a, "{\"layout\": \"NHWC\"}");
    assertThatThrownBy(() -> onnx.style(a.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("style.json (layout) says NHWC").hasMessageContaining("'input1' has shape [1, 3, 224, 224]")
        .hasMessageContaining("which is NCHW");
    withStyleJson("style-zoo-224", b, "{\"tile\": 256}");
    assertThatThrownBy(() -> onnx.style(b.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("style.json (tile) is 256").hasMessageContaining("fixed at 224x224");
    withStyleJson("style-zoo-224", c, "{\"layot\": \"NCHW\"}");
    assertThatThrownBy(() -> onnx.style(c.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unknown field(s) [layot]").hasMessageContaining("layout");
    withStyleJson("style-zoo-224", d, "{\"range\": \"0..100\"}");
    assertThatThrownBy(() -> onnx.style(d.toString())).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("range is \"0..100\" but must be one of");
  }

  @Test
  void aStyleModelOpenedAsTextIsNamed() {
    assertThatThrownBy(() -> onnx.text(Fixtures.model("style-zoo-224"))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("a style transfer model").hasMessageContaining("backend.style(");
  }
}

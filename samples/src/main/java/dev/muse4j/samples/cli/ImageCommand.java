package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.samples.sprites.EmbeddedSprites;
import dev.muse4j.samples.sprites.SpriteSheets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code muse image}: pictures from a prompt, with any backend that offers images; or, from a GAN (the embedded
 * sprite artist when no model is named), a sprite sheet ({@code --grid}) or a morph written as frames and an
 * animated GIF ({@code --frames --from --to}).
 */
@Command(name = "image", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = {"Generate pictures and write them as PNG.",
    "With no model (onnx backend), the embedded sprite artist draws an 8x8 sprite sheet.",
    "GAN models take no prompt: --grid 8x8 writes a sprite sheet, --frames N --from A --to B a morph (PNGs and "
        + "a GIF)."})
final class ImageCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)[xX](\\d+)");
  /** Light grey between the cells of a sprite sheet. */
  private static final int SHEET_BACKGROUND = 0xd8d8d8;

  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "What to draw (not for GAN models).")
  List<String> prompt = new ArrayList<>();

  @Option(names = "--size", paramLabel = "WxH", description = "Size, e.g. 512x512 (multiples of 8).")
  @Nullable String size;

  @Option(names = "--steps", description = "Denoising steps (model default if unset).")
  @Nullable Integer steps;

  @Option(names = "--seed", description = "Random seed for a repeatable picture (local backends).")
  @Nullable Long seed;

  @Option(names = "--count", defaultValue = "1", description = "How many pictures. Default: ${DEFAULT-VALUE}.")
  int count = 1;

  @Option(names = "--negative", description = "What to steer away from.")
  @Nullable String negative;

  @Option(names = "--guidance", description = "Guidance scale (model default if unset; 1 or less turns "
      + "classifier-free guidance off).")
  @Nullable Double guidance;

  @Option(names = "--scheduler", description = "Denoising scheduler: euler, euler_a, ddim, dpmpp_2m, lcm or pndm "
      + "(the model's own if unset).")
  @Nullable String scheduler;

  @Option(names = "--init", paramLabel = "IMAGE", description = "Start from this picture (image-to-image).")
  @Nullable Path init;

  @Option(names = "--strength", defaultValue = "0.8", description = "With --init: how much to change the picture, "
      + "0 (keep it) to 1 (ignore it). Default: ${DEFAULT-VALUE}.")
  double strength = 0.8;

  @Option(names = {"-o", "--out"}, defaultValue = "muse-image.png",
      description = "Output PNG; with --count > 1, -1, -2, ... are added. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("muse-image.png");

  @Option(names = "--grid", paramLabel = "CxR", description = "A sprite sheet of C x R pictures (at most 64), "
      + "seeds --seed, --seed + 1, ... Default with the embedded artist: 8x8.")
  @Nullable String grid;

  @Option(names = "--frames", paramLabel = "N", description = "A morph of N frames (2 to 64) from --from to --to: "
      + "writes each frame and an animated GIF.")
  @Nullable Integer frames;

  @Option(names = "--from", paramLabel = "SEED", description = "The morph's first seed. Default: 1.")
  long from = 1;

  @Option(names = "--to", paramLabel = "SEED", description = "The morph's last seed. Default: 2.")
  long to = 2;

  @Option(names = "--scale", description = "Scale pictures up by this whole factor (sharp pixels). Default: 1; 4 "
      + "with the embedded artist.")
  @Nullable Integer scale;

  @Override
  public Integer call() throws Exception {
    BackendOptions backend = backendMixin.options;
    PrintWriter err = spec.commandLine().getErr();
    boolean embedded = backend.model == null && backend.backend.equals("onnx");
    String text = String.join(" ", prompt).trim();
    int[] cells = grid != null ? size("--grid", grid) : embedded && frames == null ? new int[] {8, 8} : null;
    ImageRequest.Builder builder = text.isEmpty() ? ImageRequest.builder() : ImageRequest.builder(text);
    builder.steps(steps).seed(seed).count(count).negativePrompt(negative).guidanceScale(guidance)
        .scheduler(scheduler).progressListener(new ProgressBar(err));
    if (init != null) {
      builder.initImage(Image.read(init), strength);
    }
    if (cells != null) {
      if (cells[0] * cells[1] > ImageRequest.MAX_COUNT) {
        throw new InvalidRequestException("grid", "--grid " + cells[0] + "x" + cells[1] + " has " + cells[0] * cells[1]
            + " cells; a sheet holds at most " + ImageRequest.MAX_COUNT + " (8x8).");
      }
      builder.seed(seed == null ? 1L : seed).count(cells[0] * cells[1]);
    }
    if (frames != null) {
      builder.morph(from, to, frames);
    }
    int factor = scale != null ? scale : embedded ? 4 : 1;
    if (size != null) {
      int[] wh = size("--size", size);
      builder.size(wh[0], wh[1]);
    }
    ImageRequest request = builder.build();
    String model = embedded ? EmbeddedSprites.MODEL : backend.requireModel("image");
    try (Backend b = backend.open();
        ImageGenerator generator = b.image(model);
        Cancellation cancellation = new Cancellation(err)) {
      CompletableFuture<ImageResult> future = generator.generateAsync(request);
      cancellation.onInterrupt(() -> future.cancel(true));
      ImageResult result = Futures.await(future);
      List<Image> images = new ArrayList<>();
      for (Image image : result.images()) {
        images.add(SpriteSheets.scale(image, factor));
      }
      if (cells != null) {
        Image sheet = SpriteSheets.grid(images, cells[0], cells[1], factor, SHEET_BACKGROUND);
        sheet.writePng(out);
        spec.commandLine().getOut().println("wrote " + out + " (" + cells[0] + "x" + cells[1] + " sheet, seeds "
            + result.seed(0).orElse(0) + " to " + result.seed(images.size() - 1).orElse(0) + ", " + sheet.width()
            + "x" + sheet.height() + ")");
        err.println("[" + ProgressBar.format(result.elapsed()) + "]");
        return 0;
      }
      for (int i = 0; i < images.size(); i++) {
        Path file = images.size() == 1 ? out : numbered(out, i + 1);
        images.get(i).writePng(file);
        spec.commandLine().getOut().println("wrote " + file + " (" + images.get(i).width() + "x"
            + images.get(i).height() + (result.seed(i).isPresent() ? ", seed " + result.seed(i).getAsLong() : "")
            + ")");
      }
      if (frames != null) {
        Path gif = withExtension(out, ".gif");
        SpriteSheets.writeGif(images, 100, gif);
        spec.commandLine().getOut().println("wrote " + gif + " (" + images.size() + " frames, seed " + from + " to "
            + to + ")");
      }
      err.println("[" + ProgressBar.format(result.elapsed()) + "]");
    }
    return 0;
  }

  private static int[] size(String option, String value) {
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      throw new InvalidRequestException(option.substring(2), option + " must look like "
          + (option.equals("--grid") ? "8x8" : "512x512") + " but was '" + value + "'.");
    }
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  static Path withExtension(Path file, String extension) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + extension);
  }

  static Path numbered(Path file, int n) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot < 0 ? name + "-" + n : name.substring(0, dot) + "-" + n + name.substring(dot);
    return file.resolveSibling(numbered);
  }
}

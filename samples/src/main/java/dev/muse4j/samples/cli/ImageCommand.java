package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
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

/** {@code muse image}: a picture from a prompt, with any backend that offers images. */
@Command(name = "image", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Generate pictures from a prompt and write them as PNG.")
final class ImageCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)[xX](\\d+)");

  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "What to draw.")
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

  @Option(names = "--guidance", description = "Guidance scale (model default if unset).")
  @Nullable Double guidance;

  @Option(names = {"-o", "--out"}, defaultValue = "muse-image.png",
      description = "Output PNG; with --count > 1, -1, -2, ... are added. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("muse-image.png");

  @Override
  public Integer call() throws Exception {
    BackendOptions backend = backendMixin.options;
    PrintWriter err = spec.commandLine().getErr();
    ImageRequest.Builder builder = ImageRequest.builder(String.join(" ", prompt)).steps(steps).seed(seed)
        .count(count).negativePrompt(negative).guidanceScale(guidance).progressListener(new ProgressBar(err));
    if (size != null) {
      Matcher m = SIZE.matcher(size);
      if (!m.matches()) {
        throw new InvalidRequestException("size", "--size must look like 512x512 but was '" + size + "'.");
      }
      builder.size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    ImageRequest request = builder.build();
    try (Backend b = backend.open();
        ImageGenerator generator = b.image(backend.requireModel("image"));
        Cancellation cancellation = new Cancellation(err)) {
      CompletableFuture<ImageResult> future = generator.generateAsync(request);
      cancellation.onInterrupt(() -> future.cancel(true));
      ImageResult result = Futures.await(future);
      List<Image> images = result.images();
      for (int i = 0; i < images.size(); i++) {
        Path file = images.size() == 1 ? out : numbered(out, i + 1);
        images.get(i).writePng(file);
        spec.commandLine().getOut().println("wrote " + file + " (" + images.get(i).width() + "x"
            + images.get(i).height() + ")");
      }
      err.println("[" + ProgressBar.format(result.elapsed()) + "]");
    }
    return 0;
  }

  static Path numbered(Path file, int n) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot < 0 ? name + "-" + n : name.substring(0, dot) + "-" + n + name.substring(dot);
    return file.resolveSibling(numbered);
  }
}

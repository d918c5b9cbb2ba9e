package dev.muse4j.samples.cli;

import dev.muse4j.Backend;
import dev.muse4j.Image;
import dev.muse4j.ImageResult;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code muse style}: restyle a picture, with any backend that offers style transfer. Locally:
 * {@code muse style --model DIR content.png [--style art.png] [--strength 0.8] [--keep-colours] -o out.png}, with a
 * progress bar over the tiles.
 */
@Command(name = "style", mixinStandardHelpOptions = true, versionProvider = Muse.Version.class,
    description = "Restyle a picture and write it as PNG.")
final class StyleCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private BackendOptionsMixin backendMixin;

  @Parameters(index = "0", paramLabel = "CONTENT", description = "The picture to restyle (PNG, JPEG, BMP, GIF).")
  Path content;

  @Option(names = "--style", paramLabel = "IMAGE", description = "A picture whose style to apply.")
  @Nullable Path style;

  @Option(names = "--style-prompt", paramLabel = "TEXT", description = "The style in words, for backends that take "
      + "text (e.g. \"a woodcut print\").")
  @Nullable String stylePrompt;

  @Option(names = "--strength", defaultValue = "1.0", description = "0 keeps the picture, 1 is the full style. "
      + "Default: ${DEFAULT-VALUE}.")
  double strength = 1.0;

  @Option(names = {"--keep-colours", "--keep-colors"}, description = "Keep the picture's own colours: restyle its "
      + "brightness only (the Y of YCbCr).")
  boolean keepColours;

  @Option(names = {"-o", "--out"}, defaultValue = "muse-style.png", description = "Output PNG. Default: "
      + "${DEFAULT-VALUE}.")
  Path out = Path.of("muse-style.png");

  @Override
  public Integer call() throws Exception {
    BackendOptions backend = backendMixin.options;
    PrintWriter err = spec.commandLine().getErr();
    StyleRequest.Builder builder = StyleRequest.builder(Image.read(content)).strength(strength)
        .keepColours(keepColours).progressListener(new ProgressBar(err));
    if (style != null) {
      builder.style(Image.read(style));
    }
    if (stylePrompt != null) {
      builder.stylePrompt(stylePrompt);
    }
    StyleRequest request = builder.build();
    try (Backend b = backend.open();
        StyleTransfer transfer = b.style(backend.requireModel("style"));
        Cancellation cancellation = new Cancellation(err)) {
      CompletableFuture<ImageResult> future = transfer.transferAsync(request);
      cancellation.onInterrupt(() -> future.cancel(true));
      ImageResult result = Futures.await(future);
      result.image().writePng(out);
      spec.commandLine().getOut().println("wrote " + out + " (" + result.image().width() + "x"
          + result.image().height() + ")");
    }
    return 0;
  }
}

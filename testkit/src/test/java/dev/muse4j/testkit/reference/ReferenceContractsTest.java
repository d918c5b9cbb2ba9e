package dev.muse4j.testkit.reference;

import dev.muse4j.ImageGenerator;
import dev.muse4j.Muse4j;
import dev.muse4j.MusicGenerator;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.testkit.BackendContract;
import dev.muse4j.testkit.ImageGeneratorContract;
import dev.muse4j.testkit.MusicGeneratorContract;
import dev.muse4j.testkit.StyleTransferContract;
import dev.muse4j.testkit.TextGeneratorContract;
import org.junit.jupiter.api.Nested;

/** Runs every contract against the in-test reference backend, found through ServiceLoader like any other. */
class ReferenceContractsTest {
  @Nested
  class Backend extends BackendContract {
    @Override
    protected String backendName() {
      return "reference";
    }
  }

  @Nested
  class Text extends TextGeneratorContract {
    @Override
    protected TextGenerator openGenerator() {
      return Muse4j.backend("reference").text("words");
    }
  }

  @Nested
  class Images extends ImageGeneratorContract {
    @Override
    protected ImageGenerator openGenerator() {
      return Muse4j.backend("reference").image("colours");
    }
  }

  @Nested
  class Style extends StyleTransferContract {
    @Override
    protected StyleTransfer openStyleTransfer() {
      return Muse4j.backend("reference").style("sepia");
    }
  }

  @Nested
  class Music extends MusicGeneratorContract {
    @Override
    protected MusicGenerator openGenerator() {
      return Muse4j.backend("reference").music("pentatonic");
    }
  }
}

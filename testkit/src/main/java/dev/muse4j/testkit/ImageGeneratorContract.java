package dev.muse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muse4j.ClosedException;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The promises every {@link ImageGenerator} keeps. Extend it and implement {@link #openGenerator()}; override
 * {@link #request()} for a size and step count the model handles quickly.
 *
 * <p>One generator is shared by the class's tests. Not thread-safe itself.
 *
 * @since 0.1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ImageGeneratorContract {
  private ImageGenerator generator;

  /** Creates the contract. */
  protected ImageGeneratorContract() {}

  /**
   * Opens a new generator for the backend under test.
   *
   * @return a new generator; the contract closes it
   */
  protected abstract ImageGenerator openGenerator();

  /**
   * A small request: 64x64, 2 steps, seed 7.
   *
   * @return the request
   */
  protected ImageRequest request() {
    return ImageRequest.builder("a red lighthouse by the sea").size(64, 64).steps(2).seed(7).build();
  }

  /**
   * Whether the same seed gives the same picture.
   *
   * @return {@code true} if seeded generation is deterministic
   */
  protected boolean deterministicWithSeed() {
    return true;
  }

  /**
   * Whether the generator reports step-by-step progress.
   *
   * @return {@code true} if it does
   */
  protected boolean reportsProgress() {
    return true;
  }

  /**
   * The shared generator.
   *
   * @return the generator
   */
  protected final ImageGenerator generator() {
    return generator;
  }

  @BeforeAll
  final void openSharedGenerator() {
    generator = openGenerator();
  }

  @AfterAll
  final void closeSharedGenerator() {
    if (generator != null) {
      generator.close();
    }
  }

  @Test
  public void generatesTheRequestedSizeAndCount() {
    ImageRequest request = request().toBuilder().count(2).build();

    ImageResult result = generator().generate(request);

    assertThat(result.images()).hasSize(2);
    for (Image image : result.images()) {
      if (request.width().isPresent()) {
        assertThat(image.width()).isEqualTo(request.width().getAsInt());
        assertThat(image.height()).isEqualTo(request.height().getAsInt());
      }
    }
  }

  @Test
  public void sameSeedGivesTheSamePicture() {
    assumeTrue(deterministicWithSeed(), "the backend does not promise seeded determinism");

    assertThat(generator().generate(request()).image()).isEqualTo(generator().generate(request()).image());
  }

  @Test
  public void otherSeedsGiveOtherPictures() {
    assumeTrue(deterministicWithSeed(), "the backend does not promise seeded determinism");

    Image a = generator().generate(request().toBuilder().seed(1L).build()).image();
    Image b = generator().generate(request().toBuilder().seed(2L).build()).image();

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  public void progressRisesToTheTotal() {
    assumeTrue(reportsProgress(), "the backend does not report progress");
    List<Progress> seen = new CopyOnWriteArrayList<>();

    generator().generate(request().toBuilder().progressListener(seen::add).build());

    assertThat(seen).isNotEmpty();
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).fraction()).isGreaterThanOrEqualTo(seen.get(i - 1).fraction());
    }
    assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
  }

  @Test
  public void aThrowingListenerAbortsGeneration() {
    assumeTrue(reportsProgress(), "the backend does not report progress");
    ImageRequest request = request().toBuilder().progressListener(p -> {
      throw new IllegalStateException("stop here");
    }).build();

    assertThatThrownBy(() -> generator().generate(request)).hasMessageContaining("stop here");
    assertThat(generator().generate(request()).images()).isNotEmpty();
  }

  @Test
  public void anInterruptedCallerGetsACancellation() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> generator().generate(request())).isInstanceOf(GenerationCancelledException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  public void concurrentCallsAllComplete() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Image>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> generator().generate(request()).image()));
      }
      List<Image> images = new ArrayList<>();
      for (Future<Image> f : futures) {
        images.add(f.get(300, TimeUnit.SECONDS));
      }
      if (deterministicWithSeed()) {
        assertThat(images).containsOnly(images.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void aClosedGeneratorRefusesWork() {
    ImageGenerator own = openGenerator();
    own.close();
    own.close();

    assertThatThrownBy(() -> own.generate(request())).isInstanceOf(ClosedException.class);
  }
}

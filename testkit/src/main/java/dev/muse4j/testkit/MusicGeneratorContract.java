package dev.muse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muse4j.ClosedException;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The promises every {@link MusicGenerator} keeps. Extend it and implement {@link #openGenerator()}.
 *
 * <p>One generator is shared by the class's tests. Not thread-safe itself.
 *
 * @since 0.1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MusicGeneratorContract {
  private MusicGenerator generator;

  /** Creates the contract. */
  protected MusicGeneratorContract() {}

  /**
   * Opens a new generator for the backend under test.
   *
   * @return a new generator; the contract closes it
   */
  protected abstract MusicGenerator openGenerator();

  /**
   * A short request: 2 seconds, seed 3.
   *
   * @return the request
   */
  protected MusicRequest request() {
    return MusicRequest.builder("a calm piano melody").duration(Duration.ofSeconds(2)).seed(3).build();
  }

  /**
   * How far the audio's length may be from the requested duration (models work in frames).
   *
   * @return the tolerance
   */
  protected Duration durationTolerance() {
    return Duration.ofMillis(500);
  }

  /**
   * Whether the same seed gives the same audio.
   *
   * @return {@code true} if seeded generation is deterministic
   */
  protected boolean deterministicWithSeed() {
    return true;
  }

  /**
   * The shared generator.
   *
   * @return the generator
   */
  protected final MusicGenerator generator() {
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
  public void makesAudioOfTheRequestedLength() {
    MusicResult result = generator().generate(request());

    Duration diff = result.audio().duration().minus(request().duration()).abs();
    assertThat(diff).isLessThanOrEqualTo(durationTolerance());
    assertThat(result.audio().sampleRate()).isPositive();
    float peak = 0;
    for (float s : result.audio().samples()) {
      peak = Math.max(peak, Math.abs(s));
    }
    assertThat(peak).as("peak amplitude").isGreaterThan(0f);
  }

  @Test
  public void sameSeedGivesTheSameAudio() {
    assumeTrue(deterministicWithSeed(), "the backend does not promise seeded determinism");

    assertThat(generator().generate(request()).audio()).isEqualTo(generator().generate(request()).audio());
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
  public void aClosedGeneratorRefusesWork() {
    MusicGenerator own = openGenerator();
    own.close();
    own.close();

    assertThatThrownBy(() -> own.generate(request())).isInstanceOf(ClosedException.class);
  }
}

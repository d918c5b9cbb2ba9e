package dev.muse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.ClosedException;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.Image;
import dev.muse4j.ImageResult;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The promises every {@link StyleTransfer} keeps. Extend it and implement {@link #openStyleTransfer()}.
 *
 * <p>One style transfer is shared by the class's tests. Not thread-safe itself.
 *
 * @since 0.1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StyleTransferContract {
  private StyleTransfer styleTransfer;

  /** Creates the contract. */
  protected StyleTransferContract() {}

  /**
   * Opens a new style transfer for the backend under test.
   *
   * @return a new style transfer; the contract closes it
   */
  protected abstract StyleTransfer openStyleTransfer();

  /**
   * The content picture: a 64x64 gradient.
   *
   * @return the image
   */
  protected Image content() {
    return Fixtures.gradient(64, 64);
  }

  /**
   * Whether the result has the content's size.
   *
   * @return {@code true} if the size is kept
   */
  protected boolean preservesSize() {
    return true;
  }

  /**
   * Whether strength 0 returns the content unchanged.
   *
   * @return {@code true} if it does
   */
  protected boolean zeroStrengthIsIdentity() {
    return true;
  }

  /**
   * The shared style transfer.
   *
   * @return the style transfer
   */
  protected final StyleTransfer styleTransfer() {
    return styleTransfer;
  }

  @BeforeAll
  final void openShared() {
    styleTransfer = openStyleTransfer();
  }

  @AfterAll
  final void closeShared() {
    if (styleTransfer != null) {
      styleTransfer.close();
    }
  }

  @Test
  public void restylesThePicture() {
    ImageResult result = styleTransfer().transfer(StyleRequest.of(content()));

    assertThat(result.images()).isNotEmpty();
    if (preservesSize()) {
      assertThat(result.image().width()).isEqualTo(content().width());
      assertThat(result.image().height()).isEqualTo(content().height());
    }
    assertThat(result.image()).isNotEqualTo(content());
  }

  @Test
  public void zeroStrengthKeepsTheContent() {
    org.junit.jupiter.api.Assumptions.assumeTrue(zeroStrengthIsIdentity(), "strength 0 is not an identity here");

    ImageResult result = styleTransfer().transfer(StyleRequest.builder(content()).strength(0.0).build());

    assertThat(result.image()).isEqualTo(content());
  }

  @Test
  public void anInterruptedCallerGetsACancellation() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> styleTransfer().transfer(StyleRequest.of(content())))
          .isInstanceOf(GenerationCancelledException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  public void aClosedStyleTransferRefusesWork() {
    StyleTransfer own = openStyleTransfer();
    own.close();
    own.close();

    assertThatThrownBy(() -> own.transfer(StyleRequest.of(content()))).isInstanceOf(ClosedException.class);
  }
}

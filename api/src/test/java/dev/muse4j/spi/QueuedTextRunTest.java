package dev.muse4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.FinishReason;
import dev.muse4j.RemoteApiException;
import dev.muse4j.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A QueuedTextRun hands pieces from a producer thread to the core, and ends once. */
class QueuedTextRunTest {
  @Test
  void piecesArriveInOrderAndTheOutcomeIsTheProducers() {
    QueuedTextRun run = new QueuedTextRun(Cancellation.create());
    run.emit("Hello");
    run.emit("");
    run.emit(", world");
    run.complete(FinishReason.LENGTH, Usage.of(3, 2));
    List<String> pieces = new ArrayList<>();
    for (String p = run.next(); p != null; p = run.next()) {
      pieces.add(p);
    }
    assertThat(pieces).containsExactly("Hello", ", world");
    assertThat(run.outcome().finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(run.outcome().usage()).contains(Usage.of(3, 2));
    assertThat(run.textSoFar()).isEqualTo("Hello, world");
  }

  @Test
  void aFailureIsThrownAfterThePiecesBeforeIt() {
    QueuedTextRun run = new QueuedTextRun(Cancellation.create());
    run.emit("partial");
    run.fail(RemoteApiException.builder("server went away").build());
    assertThat(run.next()).isEqualTo("partial");
    assertThatThrownBy(run::next).isInstanceOf(RemoteApiException.class).hasMessageContaining("went away");
    assertThatThrownBy(run::next).isInstanceOf(RemoteApiException.class);
  }

  @Test
  void cancellingWakesABlockedConsumerAndLaterPiecesAreIgnored() throws Exception {
    Cancellation cancellation = Cancellation.create();
    QueuedTextRun run = new QueuedTextRun(cancellation);
    CountDownLatch returned = new CountDownLatch(1);
    Thread consumer = new Thread(() -> {
      run.next();
      returned.countDown();
    });
    consumer.start();
    cancellation.cancel();
    assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(run.emit("late")).isFalse();
    run.complete(FinishReason.STOP, null);
    assertThat(run.outcome().finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(run.next()).isNull();
  }

  @Test
  void closingAnUnfinishedRunCancelsTheJobSoTheProducerStops() {
    Cancellation cancellation = Cancellation.create();
    List<String> aborted = new ArrayList<>();
    cancellation.onCancel(() -> aborted.add("exchange"));
    QueuedTextRun run = new QueuedTextRun(cancellation);
    run.close();
    assertThat(cancellation.isCancelled()).isTrue();
    assertThat(aborted).containsExactly("exchange");
    assertThat(run.isEnded()).isTrue();
  }

  @Test
  void closingAFinishedRunCancelsNothing() {
    Cancellation cancellation = Cancellation.create();
    QueuedTextRun run = new QueuedTextRun(cancellation);
    run.complete(FinishReason.STOP, null);
    run.close();
    assertThat(cancellation.isCancelled()).isFalse();
  }

  @Test
  void anInterruptedConsumerCancelsTheJob() {
    Cancellation cancellation = Cancellation.create();
    QueuedTextRun run = new QueuedTextRun(cancellation);
    Thread.currentThread().interrupt();
    try {
      assertThat(run.next()).isNull();
      assertThat(cancellation.isCancelled()).isTrue();
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }
}

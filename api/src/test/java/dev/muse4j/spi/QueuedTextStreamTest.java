package dev.muse4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.Muse4jException;
import dev.muse4j.TextChunk;
import dev.muse4j.TextResult;
import dev.muse4j.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueuedTextStreamTest {
  @Test
  void chunksArriveInOrderAndTheResultIsTheirConcatenation() {
    QueuedTextStream stream = new QueuedTextStream();
    new Thread(() -> {
      stream.emit("Roses ");
      stream.emit("");
      stream.emit("are red");
      stream.complete(FinishReason.STOP, Usage.of(2, 3), null);
    }).start();

    List<String> chunks = new ArrayList<>();
    for (TextChunk c : stream) {
      chunks.add(c.text());
    }
    TextResult result = stream.result();

    assertThat(chunks).containsExactly("Roses ", "are red");
    assertThat(result.text()).isEqualTo("Roses are red");
    assertThat(result.usage()).contains(Usage.of(2, 3));
    assertThat(result.timings().generatedTokens()).isEqualTo(3);
    assertThat(stream.isDone()).isTrue();
  }

  @Test
  void closingCancelsRunsHooksOnceAndEndsIteration() {
    QueuedTextStream stream = new QueuedTextStream();
    AtomicInteger aborted = new AtomicInteger();
    stream.onCancel(aborted::incrementAndGet);
    stream.emit("partial");

    stream.close();
    stream.close();

    assertThat(aborted).hasValue(1);
    assertThat(stream.isCancelled()).isTrue();
    assertThat(stream.emit("late")).isFalse();
    Iterator<TextChunk> it = stream.iterator();
    assertThat(it.next().text()).isEqualTo("partial");
    assertThat(it.hasNext()).isFalse();
    assertThat(stream.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(stream.result().text()).isEqualTo("partial");
    stream.complete(FinishReason.STOP, null, null);
    assertThat(stream.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
  }

  @Test
  void aHookAddedAfterCancellationRunsAtOnce() {
    QueuedTextStream stream = new QueuedTextStream();
    stream.close();
    AtomicInteger ran = new AtomicInteger();

    stream.onCancel(ran::incrementAndGet);

    assertThat(ran).hasValue(1);
  }

  @Test
  void aFailureIsThrownAfterTheChunksAndKeepsTheTextSoFar() {
    QueuedTextStream stream = new QueuedTextStream();
    stream.emit("half a ");
    stream.fail(new Muse4jException("server error mid-stream"));

    Iterator<TextChunk> it = stream.iterator();
    assertThat(it.next().text()).isEqualTo("half a ");
    assertThatThrownBy(it::hasNext).hasMessage("server error mid-stream");
    assertThatThrownBy(stream::result).hasMessage("server error mid-stream");
    assertThat(stream.textSoFar()).isEqualTo("half a ");
  }

  @Test
  void closingFromAnotherThreadWakesABlockedReader() throws Exception {
    QueuedTextStream stream = new QueuedTextStream();
    CountDownLatch started = new CountDownLatch(1);
    Thread closer = new Thread(() -> {
      try {
        started.await();
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stream.close();
    });
    closer.start();
    started.countDown();

    assertThat(stream.iterator().hasNext()).isFalse();
    closer.join();
  }

  @Test
  void anInterruptedReaderCancelsTheStreamAndKeepsItsInterrupt() {
    QueuedTextStream stream = new QueuedTextStream();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(stream::result).isInstanceOf(GenerationCancelledException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(stream.isCancelled()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theIteratorIsSingleUse() {
    QueuedTextStream stream = new QueuedTextStream();
    stream.iterator();

    assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
  }
}

package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.muse4j.FinishReason;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.spi.QueuedTextStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamAsyncTest {
  private final TextRequest request = TextRequest.of("x");

  @Test
  void aTimedOutFutureClosesItsStream() {
    QueuedTextStream stream = new QueuedTextStream();
    TextGenerator generator = mock(TextGenerator.class);
    when(generator.stream(request)).thenReturn(stream);

    CompletableFuture<TextResult> future = Async.streamAsync(generator, request).orTimeout(10, TimeUnit.MILLISECONDS);

    assertThat(future).failsWithin(5, TimeUnit.SECONDS);
    assertThat(stream.isCancelled()).isTrue();
  }

  @Test
  void aCancelledFutureClosesItsStream() {
    QueuedTextStream stream = new QueuedTextStream();
    TextGenerator generator = mock(TextGenerator.class);
    when(generator.stream(request)).thenReturn(stream);

    Async.streamAsync(generator, request).cancel(true);

    assertThat(stream.isCancelled()).isTrue();
  }

  @Test
  void theFutureCompletesWithTheStreamsResult() throws Exception {
    QueuedTextStream stream = new QueuedTextStream();
    TextGenerator generator = mock(TextGenerator.class);
    when(generator.stream(request)).thenReturn(stream);
    CompletableFuture<TextResult> future = Async.streamAsync(generator, request);

    stream.emit("done");
    stream.complete(FinishReason.STOP, null, null);

    assertThat(future.get(5, TimeUnit.SECONDS).text()).isEqualTo("done");
  }
}

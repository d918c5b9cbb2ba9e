package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncTest {
  @Test
  void cancellingTheFutureInterruptsTheWork() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletableFuture<String> future = Async.supplyCancellable(() -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
        return "finished";
      } catch (InterruptedException e) {
        interrupted.countDown();
        return "interrupted";
      }
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    future.cancel(true);

    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(future).isCancelled();
  }

  @Test
  void failuresCompleteTheFutureExceptionally() {
    CompletableFuture<String> future = Async.supplyCancellable(() -> {
      throw new IllegalStateException("boom");
    });

    assertThat(future).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("boom");
  }
}

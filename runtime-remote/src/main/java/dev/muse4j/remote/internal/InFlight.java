package dev.muse4j.remote.internal;

import dev.muse4j.spi.Cancellation;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transport calls one job has in flight, so that cancelling the job reaches them. A future derived with
 * {@code thenApply} or {@code thenCompose} does not cancel the future it came from, so cancelling what the caller
 * waits on would leave the HTTP exchange running, and the server generating; this cancels the calls themselves.
 *
 * <p>Thread-safe.
 */
final class InFlight {
  private final Set<CompletableFuture<?>> live = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  /** A group that the job's cancellation (a cancelled future, an interrupt, a closed generator) cancels. */
  static InFlight of(Cancellation cancellation) {
    InFlight group = new InFlight();
    cancellation.onCancel(group::cancel);
    return group;
  }

  /** Adds a transport call; cancelling the group cancels it, which aborts its exchange. */
  <T> CompletableFuture<T> track(CompletableFuture<T> call) {
    live.add(call);
    call.whenComplete((v, t) -> live.remove(call));
    if (cancelled) {
      call.cancel(true);
    }
    return call;
  }

  /** Returns {@code result}, cancelling the group when it is cancelled. */
  <T> CompletableFuture<T> result(CompletableFuture<T> result) {
    result.whenComplete((v, t) -> {
      if (result.isCancelled()) {
        cancel();
      }
    });
    return result;
  }

  /** Cancels every call in flight and any added later. Idempotent. */
  void cancel() {
    cancelled = true;
    for (CompletableFuture<?> call : live) {
      call.cancel(true);
    }
  }
}

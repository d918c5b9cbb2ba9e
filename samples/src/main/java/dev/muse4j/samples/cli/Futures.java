package dev.muse4j.samples.cli;

import dev.muse4j.GenerationCancelledException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for a generation future and unwraps its failure, so errors print as the SDK raised them. */
final class Futures {
  private Futures() {}

  static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (CancellationException e) {
      throw new GenerationCancelledException("Cancelled.");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    }
  }
}

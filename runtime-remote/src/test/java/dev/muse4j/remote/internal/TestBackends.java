package dev.muse4j.remote.internal;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.internal.CoreBackend;
import java.time.Clock;
import java.util.function.DoubleSupplier;

/** Opens the openai backend as users get it (the core around the engines), with injected clock, waits and jitter. */
final class TestBackends {
  private TestBackends() {}

  static Backend open(RemoteSettings settings) {
    return new CoreBackend("openai", OpenAiConnection.open(settings).engines(), BackendConfig.empty());
  }

  static Backend open(RemoteSettings settings, Clock clock, HttpTransport.Delays delays, DoubleSupplier jitter) {
    return new CoreBackend("openai", OpenAiConnection.open(settings, clock, delays, jitter).engines(),
        BackendConfig.empty());
  }
}

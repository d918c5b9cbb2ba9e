package dev.muse4j.remote.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, per backend and option, that a request option was not sent because the configured server kind has no
 * field for it. Once, because an application sets the same options on every request and a WARN per request would
 * bury everything else; per backend, because two backends may point at different servers. Thread-safe.
 */
final class DroppedFields {
  private static final Logger LOG = LoggerFactory.getLogger(DroppedFields.class);

  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * @param option the option's name in the API, for example {@code SamplingConfig.topK}
   * @param reason why it is not sent and what to do instead, as a sentence
   */
  void drop(String option, String reason) {
    if (warned.add(option)) {
      LOG.warn("{} is not sent: {}", option, reason);
    }
  }
}

/**
 * Muse4j's public API and its SPI. Only {@code dev.muse4j} and {@code dev.muse4j.spi} are exported; the core that
 * implements the generators lives in {@code dev.muse4j.internal}, which no other module can reach.
 *
 * @since 0.2.0
 */
module dev.muse4j.api {
  requires transitive java.desktop;
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports dev.muse4j;
  exports dev.muse4j.spi;

  uses dev.muse4j.spi.BackendProvider;
}

/**
 * The service-provider interface for writing a Muse4j backend.
 *
 * <p>A backend jar registers a {@link dev.muse4j.spi.BackendProvider} in
 * {@code META-INF/services/dev.muse4j.spi.BackendProvider}. {@link dev.muse4j.Muse4j#backend(String, dev.muse4j.BackendConfig)}
 * finds it, checks its {@link dev.muse4j.spi.Availability}, validates the configuration against its declared
 * {@link dev.muse4j.BackendSetting settings} and opens it. {@link dev.muse4j.spi.QueuedTextStream} is a ready
 * {@link dev.muse4j.TextStream} for backends that produce text on another thread or from callbacks.
 */
@NullMarked
package dev.muse4j.spi;

import org.jspecify.annotations.NullMarked;

/**
 * The service-provider interface for writing a Muse4j backend.
 *
 * <p>A backend jar registers a {@link dev.muse4j.spi.BackendProvider} in
 * {@code META-INF/services/dev.muse4j.spi.BackendProvider}. {@link dev.muse4j.Muse4j#backend(String, dev.muse4j.BackendConfig)}
 * finds it, checks its {@link dev.muse4j.spi.Availability}, validates the configuration against its declared
 * {@link dev.muse4j.BackendSetting settings} and opens its {@link dev.muse4j.spi.EngineSet}.
 *
 * <p>Engines are narrow: a {@link dev.muse4j.spi.TextEngine}, {@link dev.muse4j.spi.ImageEngine},
 * {@link dev.muse4j.spi.StyleEngine} or {@link dev.muse4j.spi.MusicEngine} receives a validated
 * {@link dev.muse4j.spi.Job} (with resolved sampling, a {@link dev.muse4j.spi.Cancellation} signal and a progress
 * callback) and does only its own work. The core in {@code muse4j-api} owns the rest of the lifecycle: closed state,
 * validation against the engine's {@link dev.muse4j.spi.Limits}, sampling precedence, choices, async execution,
 * deadlines, progress and the {@link dev.muse4j.GenerationListener}. {@link dev.muse4j.spi.QueuedTextRun} is a ready
 * {@link dev.muse4j.spi.TextRun} for engines that produce text on another thread or from callbacks.
 */
@NullMarked
package dev.muse4j.spi;

import org.jspecify.annotations.NullMarked;

/**
 * A complete third-party backend written against the SPI: {@code markov}, a word-level Markov chain that writes
 * text in the manner of a small corpus. It is the worked example of {@code docs/custom-backend.md} and passes the
 * {@code muse4j-testkit} contracts.
 */
@NullMarked
package dev.muse4j.samples.custom;

import org.jspecify.annotations.NullMarked;

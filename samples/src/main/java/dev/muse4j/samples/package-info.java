/**
 * Runnable examples of the Muse4j API.
 */
@NullMarked
package dev.muse4j.samples;

import org.jspecify.annotations.NullMarked;

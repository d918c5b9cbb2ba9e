/**
 * The {@code muse} command line: generate poems, text, pictures, restyled pictures and music with any backend.
 */
@NullMarked
package dev.muse4j.samples.cli;

import org.jspecify.annotations.NullMarked;

/**
 * The embedded sprite artist (a small GAN trained by the project on Noto Emoji) and helpers that lay pictures out as
 * sprite sheets and animated GIFs.
 */
@NullMarked
package dev.muse4j.samples.sprites;

import org.jspecify.annotations.NullMarked;

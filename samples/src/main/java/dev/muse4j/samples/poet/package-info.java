/**
 * The embedded default poet: a small verse model shipped inside the samples jar, so {@code muse poem} works with no
 * download and no configuration.
 */
@NullMarked
package dev.muse4j.samples.poet;

import org.jspecify.annotations.NullMarked;

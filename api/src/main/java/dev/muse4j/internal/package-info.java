/**
 * Implementation details of the API module. Not API: anything here may change in any release.
 */
@NullMarked
package dev.muse4j.internal;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation of the openai backend: settings, dialects, HTTP with retries, SSE, and the generators. Not API.
 */
@NullMarked
package dev.muse4j.remote.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The remote backend {@code openai}: any OpenAI-compatible server (OpenAI, vLLM, llama.cpp's llama-server, Ollama,
 * LocalAI, LM Studio) over the JDK {@code HttpClient}. Open it with {@code Muse4j.backend("openai", config)};
 * {@link dev.muse4j.remote.OpenAiModels} lists a server's models. See {@code docs/remote.md}.
 */
@NullMarked
package dev.muse4j.remote;

import org.jspecify.annotations.NullMarked;

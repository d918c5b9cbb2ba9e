package dev.muse4j;

import dev.muse4j.internal.Checks;
import java.util.Optional;
import java.util.Set;

/**
 * A configured source of generators: local ONNX Runtime, a remote OpenAI-compatible server, or a third-party backend.
 * Obtain one from {@link Muse4j#backend(String, BackendConfig)}. A backend is the unit of configuration (connection,
 * execution provider, threads); a generator is one model on a backend.
 *
 * <pre>{@code
 * try (Backend onnx = Muse4j.backend("onnx", BackendConfig.builder().set("executionProvider", "cuda,cpu").build());
 *      TextGenerator poet = onnx.text("models/gpt2")) {
 *   System.out.println(poet.generate("The autumn leaves are falling,").text());
 * }
 * }</pre>
 *
 * <p>A backend that lacks a {@link Capability} throws {@link UnsupportedCapabilityException} from the method that
 * would open it; check {@link #capabilities()} first to avoid that.
 *
 * <p><strong>Thread-safety:</strong> implementations are thread-safe. <strong>Closing:</strong> the caller closes the
 * backend; closing it closes every generator it opened that is still open (cancelling their work in flight), then frees
 * the backend's own resources. Opening a generator after {@code close()} throws {@link ClosedException}.
 *
 * @since 0.1.0
 */
public interface Backend extends AutoCloseable {
  /**
   * The backend's name, as passed to {@link Muse4j#backend(String, BackendConfig)}.
   *
   * @return for example {@code "onnx"} or {@code "openai"}
   */
  String name();

  /**
   * What this backend can do, as configured.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Whether this backend offers a capability.
   *
   * @param capability the capability
   * @return {@code true} if it is in {@link #capabilities()}
   */
  default boolean supports(Capability capability) {
    Checks.notNull(capability, "capability");
    return capabilities().contains(capability);
  }

  /**
   * Opens a text generator.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @param options default sampling, chat template and model settings
   * @return the generator; the caller closes it
   * @throws ModelLoadException if the model cannot be loaded
   * @throws UnsupportedCapabilityException if the backend has no {@link Capability#TEXT}
   */
  TextGenerator text(String model, ModelOptions options);

  /**
   * Opens a text generator with default options.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @return the generator; the caller closes it
   */
  default TextGenerator text(String model) {
    return text(model, ModelOptions.defaults());
  }

  /**
   * Opens an image generator.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @param options model settings
   * @return the generator; the caller closes it
   * @throws UnsupportedCapabilityException if the backend has no {@link Capability#IMAGE}
   */
  ImageGenerator image(String model, ModelOptions options);

  /**
   * Opens an image generator with default options.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @return the generator; the caller closes it
   */
  default ImageGenerator image(String model) {
    return image(model, ModelOptions.defaults());
  }

  /**
   * Opens a music generator.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @param options model settings
   * @return the generator; the caller closes it
   * @throws UnsupportedCapabilityException if the backend has no {@link Capability#MUSIC}
   */
  MusicGenerator music(String model, ModelOptions options);

  /**
   * Opens a music generator with default options.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @return the generator; the caller closes it
   */
  default MusicGenerator music(String model) {
    return music(model, ModelOptions.defaults());
  }

  /**
   * Opens a style transfer.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @param options model settings
   * @return the style transfer; the caller closes it
   * @throws UnsupportedCapabilityException if the backend has no {@link Capability#STYLE}
   */
  StyleTransfer style(String model, ModelOptions options);

  /**
   * Opens a style transfer with default options.
   *
   * @param model for a local backend a model directory; for a remote one a model id
   * @return the style transfer; the caller closes it
   */
  default StyleTransfer style(String model) {
    return style(model, ModelOptions.defaults());
  }

  /**
   * A backend-specific object, for what the common API does not cover: for example the openai backend's model list.
   * Each backend documents what it offers.
   *
   * @param type the type asked for
   * @param <T> the type
   * @return the object, or empty if this backend offers none of that type
   * @since 0.2.0
   */
  <T> Optional<T> extension(Class<T> type);

  /** Closes every generator this backend opened and releases the backend's own resources. Idempotent. */
  @Override
  void close();
}

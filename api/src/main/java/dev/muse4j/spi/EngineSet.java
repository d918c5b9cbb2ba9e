package dev.muse4j.spi;

import dev.muse4j.Capability;
import dev.muse4j.ModelOptions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BackendProvider} opens: the engines a backend has, one opener per kind of model, and the backend's
 * own resources to free at the end. The core builds the user's {@link dev.muse4j.Backend} around it; its
 * {@link dev.muse4j.Backend#capabilities() capabilities} are the kinds that have an opener.
 *
 * <pre>{@code
 * return EngineSet.builder()
 *     .text((model, options) -> new MarkovTextEngine(model, options))
 *     .onClose(pool::shutdown)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the openers must be thread-safe. The core calls {@link #close()} once, after closing
 * every engine it opened.
 *
 * @since 0.2.0
 */
public final class EngineSet implements AutoCloseable {
  private final @Nullable EngineOpener<TextEngine> text;
  private final @Nullable EngineOpener<ImageEngine> image;
  private final @Nullable EngineOpener<StyleEngine> style;
  private final @Nullable EngineOpener<MusicEngine> music;
  private final Runnable onClose;
  private final @Nullable Object extension;
  private final String description;

  private EngineSet(Builder b) {
    this.description = b.description;
    this.text = b.text;
    this.image = b.image;
    this.style = b.style;
    this.music = b.music;
    this.onClose = b.onClose;
    this.extension = b.extension;
  }

  /**
   * A builder with no engines.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The kinds of model this set opens.
   *
   * @return the capabilities
   */
  public Set<Capability> capabilities() {
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    if (text != null) {
      set.add(Capability.TEXT);
    }
    if (image != null) {
      set.add(Capability.IMAGE);
    }
    if (style != null) {
      set.add(Capability.STYLE);
    }
    if (music != null) {
      set.add(Capability.MUSIC);
    }
    return Set.copyOf(set);
  }

  /**
   * The text engine opener.
   *
   * @return the opener, or empty without {@link Capability#TEXT}
   */
  public Optional<EngineOpener<TextEngine>> text() {
    return Optional.ofNullable(text);
  }

  /**
   * The picture engine opener.
   *
   * @return the opener, or empty without {@link Capability#IMAGE}
   */
  public Optional<EngineOpener<ImageEngine>> image() {
    return Optional.ofNullable(image);
  }

  /**
   * The style engine opener.
   *
   * @return the opener, or empty without {@link Capability#STYLE}
   */
  public Optional<EngineOpener<StyleEngine>> style() {
    return Optional.ofNullable(style);
  }

  /**
   * The music engine opener.
   *
   * @return the opener, or empty without {@link Capability#MUSIC}
   */
  public Optional<EngineOpener<MusicEngine>> music() {
    return Optional.ofNullable(music);
  }

  /**
   * The backend-specific object offered through {@link dev.muse4j.Backend#extension(Class)}, such as a model lister.
   *
   * @return the extension, or empty
   */
  public Optional<Object> extension() {
    return Optional.ofNullable(extension);
  }

  /**
   * Frees the backend's own resources (a connection pool, say). Called once by the core, which logs a failure.
   */
  @Override
  public void close() {
    onClose.run();
  }

  @Override
  public String toString() {
    return description.isEmpty() ? "EngineSet" + capabilities() : description;
  }

  /**
   * Opens an engine for one model.
   *
   * @param <E> the engine type
   * @since 0.2.0
   */
  @FunctionalInterface
  public interface EngineOpener<E> {
    /**
     * Opens the engine.
     *
     * @param model for a local backend a model directory, for a remote one a model id; never blank
     * @param options the model options (the core has already taken what it owns from them)
     * @return the engine; the core closes it
     * @throws dev.muse4j.ModelLoadException if the model cannot be loaded
     * @throws dev.muse4j.ConfigurationException if a model setting is unknown or malformed
     */
    E open(String model, ModelOptions options);
  }

  /**
   * Builds an {@link EngineSet}. Not thread-safe.
   *
   * @since 0.2.0
   */
  public static final class Builder {
    private @Nullable EngineOpener<TextEngine> text;
    private @Nullable EngineOpener<ImageEngine> image;
    private @Nullable EngineOpener<StyleEngine> style;
    private @Nullable EngineOpener<MusicEngine> music;
    private Runnable onClose = () -> { };
    private @Nullable Object extension;
    private String description = "";

    private Builder() {}

    /**
     * Sets what the backend's {@code toString()} shows about its configuration (never a secret).
     *
     * @param description for example the execution provider, or the server's address
     * @return this builder
     */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /**
     * Adds text.
     *
     * @param opener opens a text engine for a model
     * @return this builder
     */
    public Builder text(EngineOpener<TextEngine> opener) {
      this.text = opener;
      return this;
    }

    /**
     * Adds pictures.
     *
     * @param opener opens a picture engine for a model
     * @return this builder
     */
    public Builder image(EngineOpener<ImageEngine> opener) {
      this.image = opener;
      return this;
    }

    /**
     * Adds style transfer.
     *
     * @param opener opens a style engine for a model
     * @return this builder
     */
    public Builder style(EngineOpener<StyleEngine> opener) {
      this.style = opener;
      return this;
    }

    /**
     * Adds music.
     *
     * @param opener opens a music engine for a model
     * @return this builder
     */
    public Builder music(EngineOpener<MusicEngine> opener) {
      this.music = opener;
      return this;
    }

    /**
     * Sets what frees the backend's own resources.
     *
     * @param onClose run once when the backend closes, after its engines
     * @return this builder
     */
    public Builder onClose(Runnable onClose) {
      this.onClose = onClose;
      return this;
    }

    /**
     * Offers a backend-specific object through {@link dev.muse4j.Backend#extension(Class)}.
     *
     * @param extension the object
     * @return this builder
     */
    public Builder extension(Object extension) {
      this.extension = extension;
      return this;
    }

    /**
     * Builds the set.
     *
     * @return the set
     */
    public EngineSet build() {
      return new EngineSet(this);
    }
  }
}

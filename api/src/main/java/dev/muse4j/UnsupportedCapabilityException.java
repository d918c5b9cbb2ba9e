package dev.muse4j;

/**
 * The backend does not offer the asked-for capability, for example music on a remote OpenAI-compatible server.
 *
 * <p>Immutable and thread-safe, like every Muse4j exception.
 *
 * @since 0.1.0
 */
public final class UnsupportedCapabilityException extends Muse4jException {
  private static final long serialVersionUID = 1L;

  private final String backend;
  private final Capability capability;

  /**
   * Creates the exception with a standard message.
   *
   * @param backend the backend's name
   * @param capability the capability that was asked for
   */
  public UnsupportedCapabilityException(String backend, Capability capability) {
    this(backend, capability, "Backend '" + backend + "' does not support " + capability.description()
        + ". Check Backend.capabilities() first, or use a backend that offers " + capability + ".");
  }

  /**
   * Creates the exception with a specific message.
   *
   * @param backend the backend's name
   * @param capability the capability that was asked for
   * @param message why, and what to use instead
   */
  public UnsupportedCapabilityException(String backend, Capability capability, String message) {
    super(message);
    this.backend = backend;
    this.capability = capability;
  }

  /**
   * The backend's name.
   *
   * @return the name
   */
  public String backend() {
    return backend;
  }

  /**
   * The capability that was asked for.
   *
   * @return the capability
   */
  public Capability capability() {
    return capability;
  }
}

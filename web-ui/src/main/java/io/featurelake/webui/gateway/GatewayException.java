package io.featurelake.webui.gateway;

/** A statement the gateway refused or could not run, with the gateway's one-line message. */
public final class GatewayException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean unreachable;

  GatewayException(String message, boolean unreachable) {
    super(message);
    this.unreachable = unreachable;
  }

  /** True when no gateway answered at all (as opposed to a statement it refused). */
  public boolean unreachable() {
    return unreachable;
  }
}

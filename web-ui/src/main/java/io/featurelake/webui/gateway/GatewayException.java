package io.featurelake.webui.gateway;

/** A statement the gateway refused or could not run, with the gateway's one-line message. */
public final class GatewayException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  GatewayException(String message) {
    super(message);
  }
}

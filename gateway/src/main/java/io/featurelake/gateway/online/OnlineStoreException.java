package io.featurelake.gateway.online;

/** The online store failed: unreachable, refused the credentials, or broke off mid-write. */
public class OnlineStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnlineStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

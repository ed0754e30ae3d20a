package io.featurelake.webui.security;

/** A page the session's user may not open; the message is the one line the refusal page shows. */
public final class NotAllowedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** For the router, which creates the exception of an error reroute itself; the view shows the reroute's message. */
  public NotAllowedException() {
    super("Not allowed");
  }

  public NotAllowedException(String message) {
    super(message);
  }
}

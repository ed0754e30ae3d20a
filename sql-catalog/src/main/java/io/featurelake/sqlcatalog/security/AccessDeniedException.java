package io.featurelake.sqlcatalog.security;

/** A refused action; the message is one line that names the rule and what is allowed instead. Already in the audit log. */
public final class AccessDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message);
  }
}

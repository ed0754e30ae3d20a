package io.featurelake.sqlcatalog.security;

/** A failed login. The message is the same whatever the cause, so it never tells whether the user exists. */
public final class LoginFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public static final String MESSAGE = "Login failed: wrong user name or password, or the user is disabled";

  public LoginFailedException() {
    super(MESSAGE);
  }
}

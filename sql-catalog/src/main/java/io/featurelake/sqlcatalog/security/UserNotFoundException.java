package io.featurelake.sqlcatalog.security;

/** No user of that name (for the admin procedures; a login never says this). */
public final class UserNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserNotFoundException(String name) {
    super("user " + UserNames.quote(name) + " does not exist");
  }
}

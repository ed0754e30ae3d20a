package io.featurelake.sqlcatalog.security;

/**
 * Creating and changing users, for the admin procedures and {@code run_gateway.sh --add-user}.
 * Every bad input is an {@link IllegalArgumentException} naming the value; a conflict with what
 * is stored is an {@link IllegalStateException} or {@link UserNotFoundException}.
 */
public final class UserAdministration {

  /** Shorter passwords are refused; a generated one has 20 characters. */
  public static final int MIN_PASSWORD_LENGTH = 12;

  private final UserRepository users;
  private final PasswordHasher hasher;

  public UserAdministration(UserRepository users, PasswordHasher hasher) {
    this.users = users;
    this.hasher = hasher;
  }

  /** Adds a user with a password the caller chose (the command line). */
  public PlatformUser add(String name, String role, char[] password, String createdBy) {
    UserNames.check(name);
    Role parsed = Role.parse(role);
    if (password == null || password.length < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException("password must have at least " + MIN_PASSWORD_LENGTH + " characters, got "
          + (password == null ? 0 : password.length));
    }
    return users.create(name, parsed, hasher.hash(password), createdBy);
  }

  /** Adds a user with a generated password, returned once (the {@code create_user} procedure). */
  public String addWithGeneratedPassword(String name, String role, String createdBy) {
    String password = PasswordHasher.randomPassword();
    add(name, role, password.toCharArray(), createdBy);
    return password;
  }

  public PlatformUser setRole(String name, String role) {
    return users.setRole(UserNames.check(name), Role.parse(role));
  }

  public PlatformUser setDisabled(String name, boolean disabled, String byUser) {
    if (disabled && name.equals(byUser)) {
      throw new IllegalStateException("an admin cannot disable their own account (" + name + "); ask another admin");
    }
    return users.setDisabled(UserNames.check(name), disabled);
  }
}

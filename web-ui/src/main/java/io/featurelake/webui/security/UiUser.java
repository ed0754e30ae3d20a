package io.featurelake.webui.security;

import java.util.Arrays;

/**
 * The person behind one browser session: the name they logged in with and, with login on, their
 * password, which the UI needs to open the gateway's connections as them. The password lives
 * only in this object in the server's memory (transient: never serialised with the session, never
 * logged) and is wiped on logout or when the session expires.
 */
public final class UiUser {

  private final String name;
  private final transient char[] password;

  UiUser(String name, char[] password) {
    this.name = name;
    this.password = password == null ? null : password.clone();
  }

  public String name() {
    return name;
  }

  /** The password to hand the gateway, or null with login off. */
  char[] password() {
    return password;
  }

  void wipe() {
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

package io.featurelake.sqlcatalog.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The roles of the gateway's users and what each may do (docs/security.md has the same table). */
public enum Role {
  READER(EnumSet.of(Permission.READ)),
  ENGINEER(EnumSet.of(Permission.READ, Permission.WRITE_OTHER_TABLES, Permission.START_BACKFILL, Permission.REAUDIT,
      Permission.CANCEL_OWN_RUN)),
  PUBLISHER(EnumSet.of(Permission.READ, Permission.WRITE_OTHER_TABLES, Permission.START_BACKFILL, Permission.REAUDIT,
      Permission.CANCEL_OWN_RUN, Permission.CANCEL_ANY_RUN, Permission.PUBLISH, Permission.DROP_RUN)),
  OPERATOR(EnumSet.of(Permission.READ, Permission.SYNC, Permission.VERIFY, Permission.MAINTENANCE, Permission.CANCEL_OWN_RUN,
      Permission.CANCEL_ANY_RUN)),
  ADMIN(EnumSet.allOf(Permission.class));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }

  /** The SQL-facing name, lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (any case); the error lists the valid ones. */
  public static Role parse(String text) {
    String t = text == null ? "" : text.strip();
    for (Role r : values()) {
      if (r.label().equals(t.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + text + "'; roles: " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));
  }

  /** The least powerful roles that hold {@code permission}, for refusal messages ("needs role publisher or admin"). */
  public static String holdersOf(Permission permission) {
    return Arrays.stream(values()).filter(r -> r.may(permission)).map(Role::label).collect(Collectors.joining(" or "));
  }
}

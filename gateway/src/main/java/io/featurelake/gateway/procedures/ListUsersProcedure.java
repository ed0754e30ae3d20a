package io.featurelake.gateway.procedures;

import java.util.List;

/** {@code CALL lake.platform.list_users()} (admin): every gateway user, by name; never a password or hash. */
public final class ListUsersProcedure extends TypedProcedure<UserRows.Row> {

  public static final String NAME = "list_users";

  private final ProcedureServices services;

  public ListUsersProcedure(ProcedureServices services) {
    super(NAME, List.of(), UserRows.SCHEMA, "Gateway users and their roles (admin)");
    this.services = services;
  }

  @Override
  protected List<UserRows.Row> rows(ProcedureArgs args) {
    return services.access().users().list().stream().map(UserRows::row).toList();
  }
}

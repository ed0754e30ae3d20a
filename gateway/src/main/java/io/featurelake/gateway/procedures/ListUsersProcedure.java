package io.featurelake.gateway.procedures;

import io.featurelake.gateway.security.GatewaySecurity;
import java.util.List;

/** {@code CALL lake.platform.list_users()} (admin): every gateway user, by name; never a password or hash. */
public final class ListUsersProcedure extends PlatformProcedure {

  public static final String NAME = "list_users";

  public ListUsersProcedure() {
    super(NAME, List.of(), UserRows.OUTPUT, "Gateway users and their roles (admin)");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    return GatewaySecurity.access().users().list().stream().map(UserRows::row).toList();
  }
}

package io.featurelake.gateway.procedures;

import io.featurelake.gateway.security.GatewaySecurity;
import java.util.List;

/**
 * {@code CALL lake.platform.enable_user(user => 'rita')} (admin): the user can log in again with their old password.
 */
public final class EnableUserProcedure extends PlatformProcedure {

  public static final String NAME = "enable_user";

  public EnableUserProcedure() {
    super(NAME, List.of(UserRows.USER), UserRows.OUTPUT, "Enable a gateway user (admin)");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String user = args.string(UserRows.USER);
    return UserRows.change(args,
        () -> UserRows.administration().setDisabled(user, false, GatewaySecurity.principal().name()));
  }
}

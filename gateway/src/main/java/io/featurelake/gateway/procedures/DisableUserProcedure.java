package io.featurelake.gateway.procedures;

import io.featurelake.gateway.security.GatewaySecurity;
import java.util.List;

/**
 * {@code CALL lake.platform.disable_user(user => 'rita')} (admin): the user can no longer log in,
 * and their open sessions run nothing more (within 2 s).
 */
public final class DisableUserProcedure extends PlatformProcedure {

  public static final String NAME = "disable_user";

  public DisableUserProcedure() {
    super(NAME, List.of(UserRows.USER), UserRows.OUTPUT, "Disable a gateway user (admin)");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String user = args.string(UserRows.USER);
    return UserRows.change(args,
        () -> UserRows.administration().setDisabled(user, true, GatewaySecurity.principal().name()));
  }
}

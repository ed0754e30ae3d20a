package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.security.PlatformUser;
import java.util.List;

/**
 * {@code CALL lake.platform.disable_user(user => 'rita')} (admin): the user can no longer log in,
 * and their open sessions run nothing more (within 2 s).
 */
public final class DisableUserProcedure extends UserRows.UserChange {

  public static final String NAME = "disable_user";

  public DisableUserProcedure(ProcedureServices services) {
    super(NAME, List.of(UserRows.USER), "Disable a gateway user (admin)", services);
  }

  @Override
  protected PlatformUser change(String user, ProcedureArgs args) {
    return services.userAdministration().setDisabled(user, true, services.principal().name());
  }
}

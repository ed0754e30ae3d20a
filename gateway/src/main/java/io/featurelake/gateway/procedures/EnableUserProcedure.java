package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.security.PlatformUser;
import java.util.List;

/**
 * {@code CALL lake.platform.enable_user(user => 'rita')} (admin): the user can log in again with their old password.
 */
public final class EnableUserProcedure extends UserRows.UserChange {

  public static final String NAME = "enable_user";

  public EnableUserProcedure(ProcedureServices services) {
    super(NAME, List.of(UserRows.USER), "Enable a gateway user (admin)", services);
  }

  @Override
  protected PlatformUser change(String user, ProcedureArgs args) {
    return services.userAdministration().setDisabled(user, false, services.principal().name());
  }
}

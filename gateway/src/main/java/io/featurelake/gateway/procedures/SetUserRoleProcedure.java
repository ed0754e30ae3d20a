package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.security.PlatformUser;
import java.util.List;

/**
 * {@code CALL lake.platform.set_user_role(user => 'rita', role => 'engineer')} (admin): takes
 * effect within 2 s, open sessions included.
 */
public final class SetUserRoleProcedure extends UserRows.UserChange {

  public static final String NAME = "set_user_role";

  public SetUserRoleProcedure(ProcedureServices services) {
    super(NAME, List.of(UserRows.USER, UserRows.ROLE), "Give a gateway user another role (admin)", services);
  }

  @Override
  protected PlatformUser change(String user, ProcedureArgs args) {
    return services.userAdministration().setRole(user, args.string(UserRows.ROLE));
  }
}

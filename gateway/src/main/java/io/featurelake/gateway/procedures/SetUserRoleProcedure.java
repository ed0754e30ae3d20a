package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.set_user_role(user => 'rita', role => 'engineer')} (admin): takes
 * effect within 2 s, open sessions included.
 */
public final class SetUserRoleProcedure extends PlatformProcedure {

  public static final String NAME = "set_user_role";

  public SetUserRoleProcedure() {
    super(NAME, List.of(UserRows.USER, UserRows.ROLE), UserRows.OUTPUT, "Give a gateway user another role (admin)");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String user = args.string(UserRows.USER);
    return UserRows.change(args, () -> UserRows.administration().setRole(user, args.string(UserRows.ROLE)));
  }
}

package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import java.util.List;

/**
 * {@code CALL lake.platform.create_user(user => 'rita', role => 'reader')} (admin): adds a user
 * with a generated password, returned in this one result row and nowhere else. A password is
 * never an argument, because statement texts end up in logs.
 */
public final class CreateUserProcedure extends TypedProcedure<CreateUserProcedure.Row> {

  public static final String NAME = "create_user";

  /** The new user and its one-time visible password. */
  public record Row(@Required String userName, @Required String role, @Required String password) {}

  private final ProcedureServices services;

  public CreateUserProcedure(ProcedureServices services) {
    super(NAME, List.of(UserRows.USER, UserRows.ROLE), RowSchema.of(Row.class),
        "Add a gateway user with a generated password (admin)");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    String user = args.string(UserRows.USER);
    String role = args.string(UserRows.ROLE);
    String[] password = new String[1];
    var created = UserRows.change(args, services, () -> {
      password[0] = services.userAdministration().addWithGeneratedPassword(user, role, services.principal().name());
      return services.access().users().find(user).orElseThrow();
    });
    return List.of(new Row(created.name(), created.role().label(), password[0]));
  }
}

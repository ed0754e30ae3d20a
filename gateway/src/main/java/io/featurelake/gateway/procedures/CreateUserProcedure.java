package io.featurelake.gateway.procedures;

import io.featurelake.gateway.security.GatewaySecurity;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.create_user(user => 'rita', role => 'reader')} (admin): adds a user
 * with a generated password, returned in this one result row and nowhere else. A password is
 * never an argument, because statement texts end up in logs.
 */
public final class CreateUserProcedure extends PlatformProcedure {

  public static final String NAME = "create_user";

  private static final StructType OUTPUT = new StructType()
      .add("user_name", DataTypes.StringType, false)
      .add("role", DataTypes.StringType, false)
      .add("password", DataTypes.StringType, false);

  public CreateUserProcedure() {
    super(NAME, List.of(UserRows.USER, UserRows.ROLE), OUTPUT, "Add a gateway user with a generated password (admin)");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String user = args.string(UserRows.USER);
    String role = args.string(UserRows.ROLE);
    String[] password = new String[1];
    var created = UserRows.change(args, () -> {
      password[0] = UserRows.administration().addWithGeneratedPassword(user, role, GatewaySecurity.principal().name());
      return GatewaySecurity.access().users().find(user).orElseThrow();
    });
    Object[] row = created.get(0);
    return List.<Object[]>of(new Object[] {row[0], row[1], password[0]});
  }
}

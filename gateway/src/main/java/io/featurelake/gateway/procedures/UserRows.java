package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.security.GatewaySecurity;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.PlatformUser;
import io.featurelake.sqlcatalog.security.UserAdministration;
import io.featurelake.sqlcatalog.security.UserNotFoundException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Output and error mapping shared by the user procedures (create_user, set_user_role, disable/enable_user, list_users). */
final class UserRows {

  static final ProcedureParam USER = ProcedureParam.requiredString("user",
      "User name: a-z, 0-9, '_', '.', '-', starting with a letter, at most 64");
  static final ProcedureParam ROLE = ProcedureParam.requiredString("role", "reader, engineer, publisher, operator or admin");

  static final StructType OUTPUT = new StructType()
      .add("user_name", DataTypes.StringType, false)
      .add("role", DataTypes.StringType, false)
      .add("disabled", DataTypes.BooleanType, false)
      .add("created_by", DataTypes.StringType, false)
      .add("created_at", DataTypes.StringType, false)
      .add("updated_at", DataTypes.StringType, false);

  private UserRows() {}

  static Object[] row(PlatformUser u) {
    return new Object[] {u.name(), u.role().label(), u.disabled(), u.createdBy(), u.createdAt().toString(),
        u.updatedAt().toString()};
  }

  static UserAdministration administration() {
    return new UserAdministration(GatewaySecurity.access().users(), new PasswordHasher());
  }

  /** Runs a change to one user, maps its errors to the platform's codes, and drops the user's cached role. */
  static List<Object[]> change(ProcedureArgs args, Supplier<PlatformUser> change) {
    try {
      PlatformUser changed = change.get();
      GatewaySecurity.access().forget(changed.name());
      return List.<Object[]>of(row(changed));
    } catch (UserNotFoundException e) {
      throw PlatformException.notFound("%s: %s", args.procedure(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalidArgument("%s: %s", args.procedure(), e.getMessage());
    } catch (IllegalStateException e) {
      throw PlatformException.invalidState("%s: %s", args.procedure(), e.getMessage());
    }
  }
}

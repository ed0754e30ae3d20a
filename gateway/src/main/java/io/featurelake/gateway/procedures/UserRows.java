package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.security.PlatformUser;
import io.featurelake.sqlcatalog.security.UserNotFoundException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Supplier;

/** Output and error mapping shared by the user procedures (create_user, set_user_role, disable/enable_user, list_users). */
final class UserRows {

  static final ProcedureParam USER = ProcedureParam.requiredString("user",
      "User name: a-z, 0-9, '_', '.', '-', starting with a letter, at most 64");
  static final ProcedureParam ROLE = ProcedureParam.requiredString("role", "reader, engineer, publisher, operator or admin");

  /** One user: the columns, declared once; never a password or hash. */
  record Row(@Required String userName, @Required String role, boolean disabled, @Required String createdBy,
      @Required OffsetDateTime createdAt, @Required OffsetDateTime updatedAt) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  private UserRows() {}

  static Row row(PlatformUser u) {
    return new Row(u.name(), u.role().label(), u.disabled(), u.createdBy(), u.createdAt(), u.updatedAt());
  }

  /** Runs a change to one user, maps its errors to the platform's codes, and drops the user's cached role. */
  static PlatformUser change(ProcedureArgs args, ProcedureServices services, Supplier<PlatformUser> change) {
    try {
      PlatformUser changed = change.get();
      services.access().forget(changed.name());
      return changed;
    } catch (UserNotFoundException e) {
      throw PlatformException.notFound("%s: %s", args.procedure(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalidArgument("%s: %s", args.procedure(), e.getMessage());
    } catch (IllegalStateException e) {
      throw PlatformException.invalidState("%s: %s", args.procedure(), e.getMessage());
    }
  }

  /** A procedure that changes one user and returns it. */
  abstract static class UserChange extends TypedProcedure<Row> {
    protected final ProcedureServices services;

    UserChange(String name, List<ProcedureParam> params, String description, ProcedureServices services) {
      super(name, params, SCHEMA, description);
      this.services = services;
    }

    /** The change, given the user's name. */
    protected abstract PlatformUser change(String user, ProcedureArgs args);

    @Override
    protected final List<Row> rows(ProcedureArgs args) {
      String user = args.string(USER);
      return List.of(row(UserRows.change(args, services, () -> change(user, args))));
    }
  }
}

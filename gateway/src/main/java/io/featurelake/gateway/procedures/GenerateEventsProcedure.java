package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GenerationResult;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code CALL lake.platform.generate_events(start_date => '2023-01-01', end_date => '2023-01-03')}:
 * fills {@code lake.raw.events} with deterministic demo events for {@code [start_date, end_date)}
 * through {@link EventGenerator}, replacing those days. One result row.
 */
public final class GenerateEventsProcedure extends TypedProcedure<GenerateEventsProcedure.Row> {

  public static final String NAME = "generate_events";
  private static final String QUALIFIED = "lake.platform." + NAME;

  static final ProcedureParam START_DATE = ProcedureParam.requiredString("start_date",
      "First day to generate, ISO date 'YYYY-MM-DD' (inclusive)");
  static final ProcedureParam END_DATE = ProcedureParam.requiredString("end_date",
      "Day after the last one to generate, ISO date 'YYYY-MM-DD' (exclusive)");
  static final ProcedureParam EVENTS_PER_DAY = ProcedureParam.optionalLong("events_per_day",
      GeneratorOptions.DEFAULT_EVENTS_PER_DAY, "Events per day, 1 to 100000000");
  static final ProcedureParam SEED = ProcedureParam.optionalLong("seed", GeneratorOptions.DEFAULT_SEED,
      "Same seed, window and options give the same rows");
  static final ProcedureParam MODE = ProcedureParam.optionalString("mode", "normal",
      "normal, null_amounts (30% of purchase amounts NULL) or shifted (amounts x3, more purchases)");
  static final ProcedureParam USERS = ProcedureParam.optionalLong("users", GeneratorOptions.DEFAULT_USERS,
      "Distinct user ids 1..users (skewed popularity)");
  static final ProcedureParam ITEMS = ProcedureParam.optionalLong("items", GeneratorOptions.DEFAULT_ITEMS,
      "Distinct item ids 1..items (skewed popularity)");

  /** What was written: the columns, declared once. */
  public record Row(@Required String table, @Required LocalDate startDate, @Required LocalDate endDate, int days,
      long rowsWritten, long snapshotId, double seconds) {}

  private final ProcedureServices services;

  public GenerateEventsProcedure(ProcedureServices services) {
    super(NAME, List.of(START_DATE, END_DATE, EVENTS_PER_DAY, SEED, MODE, USERS, ITEMS), RowSchema.of(Row.class),
        "Generates deterministic demo events into " + EventGenerator.TABLE + " for [start_date, end_date)");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    LocalDate start = args.localDate(START_DATE);
    LocalDate end = args.localDate(END_DATE);
    GeneratorOptions options;
    try {
      EventGenerator.checkWindow(start, end);
      options = GeneratorOptions.builder()
          .eventsPerDay(args.longValue(EVENTS_PER_DAY))
          .seed(args.longValue(SEED))
          .mode(args.string(MODE))
          .users(args.longValue(USERS))
          .items(args.longValue(ITEMS))
          .build();
    } catch (PlatformException e) {
      if (e.code() != ErrorCode.INVALID_PROCEDURE_ARGUMENT) {
        throw e;
      }
      throw PlatformException.invalidArgument("%s: %s", QUALIFIED, e.getMessage());
    }
    GenerationResult r = new EventGenerator().generate(services.spark(), start, end, options);
    return List.of(new Row(r.table(), r.start(), r.endExclusive(), r.days(), r.rowsWritten(), r.snapshotId(),
        Math.round(r.seconds() * 1000) / 1000.0));
  }
}

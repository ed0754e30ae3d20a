package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Dates in procedure arguments: STRING values in ISO-8601 form ({@code '2023-01-01'}), parsed
 * strictly (no {@code 2023-1-1}, no February 30th) with an error that names the argument.
 * A string rather than a DATE because an unquoted {@code 2023-01-01} in SQL is arithmetic.
 */
public final class DateArguments {

  private DateArguments() {}

  /**
   * Parses {@code value} of argument {@code argument} of {@code procedure} (qualified name, used in
   * the message); surrounding blanks are ignored.
   */
  public static LocalDate parseIsoDate(String procedure, String argument, String value) {
    if (value == null) {
      throw PlatformException.invalidArgument("%s: argument '%s' must not be NULL", procedure, argument);
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw PlatformException.invalidArgument("%s: %s must be an ISO date (YYYY-MM-DD), got '%s'", procedure, argument, value);
    }
  }
}

package io.featurelake.gateway.backfill;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** A validated request to backfill {@code [startDate, endDate)} of one feature view. */
public record BackfillRequest(String featureView, LocalDate startDate, LocalDate endDate, boolean publish,
    String origin, String startedBy) {

  /** Ten years, leap days included: longer windows are refused as a likely typo. */
  public static final long MAX_WINDOW_DAYS = 3660;

  public BackfillRequest {
    if (!endDate.isAfter(startDate)) {
      throw PlatformException.invalidArgument("end_date must be after start_date, got start_date=%s, end_date=%s "
          + "(the window is [start_date, end_date), end exclusive)", startDate, endDate);
    }
    long days = ChronoUnit.DAYS.between(startDate, endDate);
    if (days > MAX_WINDOW_DAYS) {
      throw PlatformException.invalidArgument("the window [%s, %s) is %d days, longer than 10 years (%d days); "
          + "split it into several backfills", startDate, endDate, days, MAX_WINDOW_DAYS);
    }
  }

  public static BackfillRequest of(String featureView, String startDate, String endDate, boolean publish, String origin,
      String startedBy) {
    return new BackfillRequest(featureView, date("start_date", startDate), date("end_date", endDate), publish, origin, startedBy);
  }

  /** Parses an ISO date argument; the message names the argument and the bad value. */
  public static LocalDate date(String argument, String text) {
    if (text == null || text.isBlank()) {
      throw PlatformException.invalidArgument("%s is required (an ISO date, YYYY-MM-DD)", argument);
    }
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw PlatformException.invalidArgument("%s must be an ISO date (YYYY-MM-DD), got '%s'", argument, text);
    }
  }

  public long days() {
    return ChronoUnit.DAYS.between(startDate, endDate);
  }
}

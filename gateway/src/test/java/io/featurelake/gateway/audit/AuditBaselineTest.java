package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AuditBaselineTest {

  private static SortedSet<LocalDate> days(String from, String toExclusive) {
    SortedSet<LocalDate> out = new TreeSet<>();
    for (LocalDate d = LocalDate.parse(from); d.isBefore(LocalDate.parse(toExclusive)); d = d.plusDays(1)) {
      out.add(d);
    }
    return out;
  }

  private static AuditBaseline choose(SortedSet<LocalDate> main, String start, String end) {
    return AuditBaseline.choose(main, 7L, LocalDate.parse(start), LocalDate.parse(end));
  }

  @Test
  void aRerunIsComparedWithTheSameWindow() {
    AuditBaseline b = choose(days("2023-01-01", "2023-03-01"), "2023-02-01", "2023-03-01");
    assertThat(b).isEqualTo(new AuditBaseline("same_window", 7L, LocalDate.parse("2023-02-01"),
        LocalDate.parse("2023-03-01"), 28));
    assertThat(b.describe(140_000L)).isEqualTo("same window baseline 2023-02-01..2023-02-28 (28 days, 140000 rows)");
  }

  @Test
  void aNewMonthIsComparedWithTheMonthsLengthOfDaysBeforeIt() {
    AuditBaseline b = choose(days("2023-01-01", "2023-03-01"), "2023-03-01", "2023-04-01");
    assertThat(b).isEqualTo(new AuditBaseline("preceding_days", 7L, LocalDate.parse("2023-01-29"),
        LocalDate.parse("2023-03-01"), 31));
  }

  @Test
  void aDroppedMonthIsSkippedNotUsedAsAShortBaseline() {
    // January and February published, March dropped, one stray day of March published (a late
    // correction): April's baseline is 30 days reaching back over the gap, not the one March day.
    SortedSet<LocalDate> main = days("2023-01-01", "2023-03-01");
    main.add(LocalDate.parse("2023-03-31"));
    AuditBaseline b = choose(main, "2023-04-01", "2023-05-01");
    assertThat(b.kind()).isEqualTo("preceding_days");
    assertThat(b.days()).isEqualTo(30);
    assertThat(b.start()).isEqualTo(LocalDate.parse("2023-01-31"));
    assertThat(b.end()).isEqualTo(LocalDate.parse("2023-04-01"));
  }

  @Test
  void aPartlyPublishedWindowIsFilledUpWithTheDaysBeforeIt() {
    SortedSet<LocalDate> main = days("2023-01-01", "2023-01-12");
    AuditBaseline b = choose(main, "2023-01-10", "2023-01-15");
    assertThat(b).isEqualTo(new AuditBaseline("same_window_and_preceding_days", 7L, LocalDate.parse("2023-01-07"),
        LocalDate.parse("2023-01-12"), 5));
  }

  @Test
  void shortHistoryGivesWhatThereIs() {
    AuditBaseline b = choose(days("2023-01-01", "2023-01-03"), "2023-01-05", "2023-01-12");
    assertThat(b).isEqualTo(new AuditBaseline("preceding_days", 7L, LocalDate.parse("2023-01-01"),
        LocalDate.parse("2023-01-03"), 2));
    assertThat(b.describe(10L)).isEqualTo("preceding days baseline 2023-01-01..2023-01-02 (2 days, 10 rows)");
  }

  @Test
  void noDayBeforeTheWindowMeansNoBaselineOrTheDaysAfterIt() {
    assertThat(choose(new TreeSet<>(), "2023-01-01", "2023-01-02")).isEqualTo(AuditBaseline.none());
    AuditBaseline later = AuditBaseline.following(days("2023-02-01", "2023-03-01"), 7L, LocalDate.parse("2023-01-01"),
        LocalDate.parse("2023-01-04"));
    assertThat(later).isEqualTo(new AuditBaseline("following_days", 7L, LocalDate.parse("2023-02-01"),
        LocalDate.parse("2023-02-04"), 3));
  }
}

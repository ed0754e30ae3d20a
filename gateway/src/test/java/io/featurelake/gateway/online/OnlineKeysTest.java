package io.featurelake.gateway.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineKeysTest {

  @Test
  void keyIsPrefixViewAndEntityInAHashTag() {
    assertThat(OnlineKeys.key("fl", "user_activity_daily", List.of(42L))).isEqualTo("fl:user_activity_daily:{42}");
    assertThat(OnlineKeys.key("fl", "v", List.of(7, "DE"))).isEqualTo("fl:v:{7|DE}");
  }

  @Test
  void separatorBackslashAndNullInEntityValuesAreEscaped() {
    assertThat(OnlineKeys.key("fl", "v", List.of("a|b", "c\\d"))).isEqualTo("fl:v:{a\\|b|c\\\\d}");
    assertThat(OnlineKeys.key("fl", "v", Arrays.asList(null, "x"))).isEqualTo("fl:v:{\\N|x}");
    // Different entity tuples never share a key.
    assertThat(OnlineKeys.key("fl", "v", List.of("a|b", "c"))).isNotEqualTo(OnlineKeys.key("fl", "v", List.of("a", "b|c")));
  }

  @Test
  void viewPatternMatchesOnlyThatView() {
    assertThat(OnlineKeys.viewPattern("fl", "v")).isEqualTo("fl:v:{*");
  }

  @Test
  void valuesHaveOneDocumentedEncoding() {
    assertThat(OnlineKeys.encode(12L)).isEqualTo("12");
    assertThat(OnlineKeys.encode(0.1d)).isEqualTo("0.1");
    assertThat(OnlineKeys.encode(1.0e7d)).isEqualTo("1.0E7");
    assertThat(OnlineKeys.encode(2.5f)).isEqualTo("2.5");
    assertThat(OnlineKeys.encode(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(OnlineKeys.encode(true)).isEqualTo("true");
    assertThat(OnlineKeys.encode(LocalDate.of(2023, 1, 5))).isEqualTo("2023-01-05");
    assertThat(OnlineKeys.encode(Timestamp.from(Instant.parse("2023-01-05T10:15:30Z")))).isEqualTo("2023-01-05T10:15:30Z");
    assertThat(OnlineKeys.encode(new byte[] {1, 2, 3})).isEqualTo("AQID");
  }
}

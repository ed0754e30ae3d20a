package io.featurelake.gateway.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamePatternTest {

  @Test
  void jdbcWildcards() {
    assertThat(NamePattern.of(null).matches("anything")).isTrue();
    assertThat(NamePattern.of("").matches("anything")).isTrue();
    assertThat(NamePattern.of("%").matches("anything")).isTrue();
    assertThat(NamePattern.of("us%_daily").matches("user_activity_daily")).isTrue();
    assertThat(NamePattern.of("t_").matches("t1")).isTrue();
    assertThat(NamePattern.of("t_").matches("t12")).isFalse();
    assertThat(NamePattern.of("DEMO").matches("demo")).isTrue();
  }

  @Test
  void escapedUnderscoreIsLiteral() {
    assertThat(NamePattern.of("raw\\_events").matches("raw_events")).isTrue();
    assertThat(NamePattern.of("raw\\_events").matches("rawXevents")).isFalse();
  }

  @Test
  void regexCharactersAreLiteral() {
    assertThat(NamePattern.of("a.b").matches("a.b")).isTrue();
    assertThat(NamePattern.of("a.b").matches("axb")).isFalse();
  }
}

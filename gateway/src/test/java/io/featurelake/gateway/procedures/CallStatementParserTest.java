package io.featurelake.gateway.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallStatementParserTest {

  @Test
  void recognisesCallAfterWhitespaceAndComments() {
    assertThat(CallStatementParser.isCall("CALL lake.platform.describe()")).isTrue();
    assertThat(CallStatementParser.isCall("  call platform.describe()")).isTrue();
    assertThat(CallStatementParser.isCall("-- run it\n/* twice */ CALL lake.platform.describe()")).isTrue();
    assertThat(CallStatementParser.isCall("\n\tCaLl\nlake.system.fast_forward('a', 'b', 'c')")).isTrue();
  }

  @Test
  void leavesEverythingElseToSpark() {
    assertThat(CallStatementParser.isCall("SELECT 'CALL x'")).isFalse();
    assertThat(CallStatementParser.isCall("CALLBACK")).isFalse();
    assertThat(CallStatementParser.isCall("-- CALL in a comment\nSELECT 1")).isFalse();
  }
}

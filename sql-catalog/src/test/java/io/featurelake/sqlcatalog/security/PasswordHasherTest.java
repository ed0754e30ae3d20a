package io.featurelake.sqlcatalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(2_000);

  @Test
  void hashesAreSaltedAndVerify() {
    String a = hasher.hash("correct horse battery".toCharArray());
    String b = hasher.hash("correct horse battery".toCharArray());
    assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256$2000$").doesNotContain("correct");
    assertThat(hasher.matches("correct horse battery".toCharArray(), a)).isTrue();
    assertThat(hasher.matches("correct horse batterY".toCharArray(), a)).isFalse();
    assertThat(hasher.matches(new char[0], a)).isFalse();
    assertThat(hasher.matches("x".toCharArray(), "not-a-hash")).isFalse();
    assertThat(hasher.matches("x".toCharArray(), "pbkdf2-sha256$2000$%%%$%%%")).isFalse();
    assertThat(hasher.matches(new char[] {'\0'}, hasher.decoy())).isTrue();
  }

  @Test
  void theDefaultCostIsOwaspsMinimum() {
    assertThat(new PasswordHasher().hash("correct horse battery".toCharArray())).startsWith("pbkdf2-sha256$600000$");
  }

  @Test
  void generatedPasswordsAreLongAndDiffer() {
    assertThat(PasswordHasher.randomPassword()).hasSize(20).matches("[a-zA-Z2-9]+").isNotEqualTo(PasswordHasher.randomPassword());
  }

  @Test
  void userNamesArePlainAsciiAndQuotedSafely() {
    assertThat(UserNames.valid("rita.m-2")).isTrue();
    assertThat(UserNames.valid("\u0430dmin")).isFalse();
    assertThat(UserNames.valid("Admin")).isFalse();
    assertThat(UserNames.valid("a".repeat(65))).isFalse();
    assertThat(UserNames.quote("\u0430d\nmin")).isEqualTo("'\\u0430d\\u000Amin'");
    assertThat(UserNames.quote("b".repeat(100))).isEqualTo("'" + "b".repeat(80) + "'... (100 characters)");
  }

  @Test
  void rolesHoldTheirPermissions() {
    assertThat(Role.READER.may(Permission.READ)).isTrue();
    assertThat(Role.READER.may(Permission.WRITE_OTHER_TABLES)).isFalse();
    assertThat(Role.ENGINEER.may(Permission.START_BACKFILL)).isTrue();
    assertThat(Role.ENGINEER.may(Permission.PUBLISH)).isFalse();
    assertThat(Role.OPERATOR.may(Permission.MAINTENANCE)).isTrue();
    assertThat(Role.OPERATOR.may(Permission.START_BACKFILL)).isFalse();
    assertThat(Role.holdersOf(Permission.PUBLISH)).isEqualTo("publisher or admin");
    assertThat(Role.holdersOf(Permission.DIRECT_WRITE)).isEqualTo("admin");
    assertThat(ProcedureGrants.required("start_backfill", java.util.Map.of("publish", false)))
        .containsExactly(Permission.START_BACKFILL);
    assertThat(ProcedureGrants.required("start_backfill", java.util.Map.of("publish", true)))
        .containsExactly(Permission.START_BACKFILL, Permission.PUBLISH);
  }
}

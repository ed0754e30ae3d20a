package io.featurelake.gateway.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuardRuleTest {

  @Test
  void anEmptySlotIsWritten() {
    assertThat(GuardRule.writes(100, 1, null, null)).isTrue();
  }

  @Test
  void anOlderEventNeverOverwritesANewerOneWhateverItsSnapshot() {
    assertThat(GuardRule.writes(99, 1_000, 100L, 1L)).isFalse();
  }

  @Test
  void aNewerEventWinsEvenFromAnOlderSnapshot() {
    assertThat(GuardRule.writes(101, 1, 100L, 9L)).isTrue();
  }

  @Test
  void aCorrectionSameEventTimeNewerSnapshotWins() {
    assertThat(GuardRule.writes(100, 10, 100L, 9L)).isTrue();
  }

  @Test
  void aRerunOfTheSameRowChangesNothing() {
    assertThat(GuardRule.writes(100, 9, 100L, 9L)).isFalse();
    assertThat(GuardRule.writes(100, 8, 100L, 9L)).isFalse();
  }
}

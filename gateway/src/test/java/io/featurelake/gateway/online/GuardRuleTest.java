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

  @Test
  void aRetractionReplacesAValueThatCameFromARemovedRow() {
    // Removed row (day 5, written at seq 3), removed by the commit of seq 7.
    assertThat(GuardRule.retracts(500, 7, 500L, 3L)).isTrue();
    // An older surviving value below the pair: overwritten with main's latest, which is correct too.
    assertThat(GuardRule.retracts(500, 7, 400L, 9L)).isTrue();
    assertThat(GuardRule.retracts(500, 7, null, null)).isTrue();
  }

  @Test
  void aRetractionNeverMovesANewerValueBackwards() {
    assertThat(GuardRule.retracts(500, 7, 600L, 1L)).isFalse(); // newer event time
    assertThat(GuardRule.retracts(500, 7, 500L, 8L)).isFalse(); // same day, written after the removal
    assertThat(GuardRule.retracts(500, 7, 500L, 7L)).isFalse(); // written by the removing commit itself
  }
}

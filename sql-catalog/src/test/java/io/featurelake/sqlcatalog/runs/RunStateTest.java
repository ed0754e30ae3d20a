package io.featurelake.sqlcatalog.runs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunStateTest {

  @Test
  void happyPathAndFailurePath() {
    assertThat(RunState.PENDING.canMoveTo(RunState.COMPUTING)).isTrue();
    assertThat(RunState.COMPUTING.canMoveTo(RunState.AUDITING)).isTrue();
    assertThat(RunState.AUDITING.canMoveTo(RunState.PASSED)).isTrue();
    assertThat(RunState.PASSED.canMoveTo(RunState.PUBLISHED)).isTrue();
    assertThat(RunState.PASSED.canMoveTo(RunState.AUDITING)).isTrue();
    for (RunState s : new RunState[] {RunState.PENDING, RunState.COMPUTING, RunState.AUDITING, RunState.PASSED}) {
      assertThat(s.canMoveTo(RunState.FAILED)).as(s.name()).isTrue();
      assertThat(s.isInFlight()).isTrue();
    }
    assertThat(RunState.FAILED.canMoveTo(RunState.DROPPED)).isTrue();
  }

  @Test
  void aFailedRunWhoseBranchIsKeptMayBePublishedByAnOverride() {
    assertThat(RunState.FAILED.canMoveTo(RunState.PUBLISHED)).isTrue();
    assertThat(RunState.FAILED.isInFlight()).isFalse();
  }

  @Test
  void nothingSkipsTheAuditAndFinalStatesStayFinal() {
    assertThat(RunState.COMPUTING.canMoveTo(RunState.PUBLISHED)).isFalse();
    assertThat(RunState.AUDITING.canMoveTo(RunState.PUBLISHED)).isFalse();
    assertThat(RunState.DROPPED.canMoveTo(RunState.PUBLISHED)).isFalse();
    assertThat(RunState.PUBLISHED.next()).isEmpty();
    assertThat(RunState.DROPPED.next()).isEmpty();
    assertThat(RunState.PUBLISHED.isTerminal()).isTrue();
    assertThat(RunState.FAILED.isTerminal()).isFalse();
  }

  @Test
  void sourcesRoundTrip() {
    var sources = new java.util.LinkedHashMap<String, Long>();
    sources.put("lake.raw.items", null);
    sources.put("lake.raw.events", 42L);
    String text = RunRepository.encodeSources(sources);
    assertThat(text).isEqualTo("lake.raw.events=42,lake.raw.items=none");
    assertThat(RunRepository.decodeSources(text)).containsEntry("lake.raw.events", 42L).containsEntry("lake.raw.items", null);
  }
}

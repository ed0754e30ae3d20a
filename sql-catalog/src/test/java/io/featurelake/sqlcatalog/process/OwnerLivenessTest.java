package io.featurelake.sqlcatalog.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnerLivenessTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final OffsetDateTime RECENT = OffsetDateTime.ofInstant(NOW.minusSeconds(30), ZoneOffset.UTC);
  private static final OffsetDateTime LONG_AGO = OffsetDateTime.ofInstant(NOW.minusSeconds(3600), ZoneOffset.UTC);

  /** This process is host-a pid 1000; pids 111 and 112 of host-a are gone. */
  private final OwnerLiveness liveness = new OwnerLiveness(new ProcessOwner("host-a", 1000),
      pid -> !Set.of(111L, 112L).contains(pid), Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aGoneProcessOfThisHostIsAbandonedAtOnce() {
    assertThat(liveness.judge("host-a", 111L, RECENT, "COMPUTING")).hasValueSatisfying(a -> {
      assertThat(a.reason()).isEqualTo("abandoned: owner process 111 on host-a is gone (killed or crashed while COMPUTING)");
      assertThat(a.silent()).isFalse();
    });
  }

  @Test
  void silenceAbandonsWhateverTheHostButNeverThisProcess() {
    assertThat(liveness.judge("host-b", 7L, LONG_AGO, "x")).hasValueSatisfying(a -> {
      assertThat(a.reason()).isEqualTo("abandoned: no heartbeat from host-b pid 7 since " + LONG_AGO + " (more than 10 min)");
      assertThat(a.silent()).isTrue();
    });
    // A live pid of this host that went silent may be a reused pid: silence decides.
    assertThat(liveness.judge("host-a", 4242L, LONG_AGO, "x")).isPresent();
    assertThat(liveness.judge(null, null, LONG_AGO, "x")).hasValueSatisfying(a ->
        assertThat(a.reason()).startsWith("abandoned: no heartbeat from its process (not recorded) since "));
    assertThat(liveness.judge("host-a", 1000L, LONG_AGO, "x")).isEmpty();
  }

  @Test
  void liveAndRecentlyHeardOwnersKeepTheirWork() {
    assertThat(liveness.judge("host-a", 4242L, RECENT, "x")).isEmpty();
    assertThat(liveness.judge("host-b", 111L, RECENT, "x")).isEmpty();
  }
}

package io.featurelake.sqlcatalog.online;

import io.featurelake.sqlcatalog.process.ProcessOwner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.testing.CatalogDatabases;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sync owners, heartbeats and abandoned syncs, on the embedded H2 database and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineSyncRepositoryIT {

  private static final ProcessOwner ME = new ProcessOwner("host-a", 1000);
  private static final Duration SILENCE = Duration.ofMinutes(10);

  @TempDir static Path dir;
  private PostgresTestDatabase pg;
  private CatalogDatabase h2;
  private CatalogDatabase postgres;

  @BeforeAll
  void openDatabases() throws Exception {
    h2 = CatalogDatabases.embedded(dir);
    pg = PostgresTestDatabase.create("fl_online_it");
    postgres = CatalogDatabases.migrated(pg);
  }

  @AfterAll
  void dropPostgres() throws Exception {
    pg.close();
  }

  List<CatalogDatabase> databases() {
    return List.of(h2, postgres);
  }

  private static String view() {
    return "v_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Dead: 111 and 112 on this host; every other pid is alive. */
  private static AbandonedSyncs abandoned(OnlineSyncRepository syncs) {
    return new AbandonedSyncs(syncs, ME, pid -> !Set.of(111L, 112L).contains(pid), SILENCE, Clock.systemUTC());
  }

  private static SyncCursor cursorAt(String view, long snapshotId) {
    return new SyncCursor(view, "lake.features." + view, snapshotId, 3, OffsetDateTime.now(ZoneOffset.UTC), 0, null);
  }

  private static final OnlineSyncRepository.Counts COUNTS = new OnlineSyncRepository.Counts(10, 5, 5, 5, 0);

  private static void sql(CatalogDatabase db, String sql, Object... args) throws Exception {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aSyncRecordsItsOwnerAndAHeartbeatWhileRunning(CatalogDatabase db) throws Exception {
    OnlineSyncRepository syncs = new OnlineSyncRepository(db);
    String v = view();
    long id = syncs.start(v, "FULL", null, 10, "alice", ME);

    OnlineSync running = syncs.find(id).orElseThrow();
    assertThat(running.status()).isEqualTo(OnlineSync.RUNNING);
    assertThat(running.owner()).isEqualTo("host-a pid 1000");
    assertThat(running.heartbeatAt()).isNotNull().isEqualTo(running.startedAt());
    Thread.sleep(20);
    assertThat(syncs.heartbeat(id)).isTrue();
    assertThat(syncs.find(id).orElseThrow().heartbeatAt()).isAfter(running.heartbeatAt());
    assertThat(syncs.running(v)).extracting(OnlineSync::syncId).containsExactly(id);

    syncs.succeed(id, COUNTS, cursorAt(v, 10), "done");
    assertThat(syncs.heartbeat(id)).as("no heartbeat once finished").isFalse();
    assertThat(syncs.running(v)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void theRetractionCountsAreRecordedWithTheOtherCounts(CatalogDatabase db) {
    OnlineSyncRepository syncs = new OnlineSyncRepository(db);
    String v = view();
    long id = syncs.start(v, "INCREMENTAL", 5L, 10, "alice", ME);
    assertThat(syncs.find(id).orElseThrow().keysRetracted()).isNull();
    syncs.succeed(id, new OnlineSyncRepository.Counts(40, 20, 20, 15, 5, 3, 2), cursorAt(v, 10), "done");
    assertThat(syncs.find(id).orElseThrow()).satisfies(s -> {
      assertThat(List.of(s.keysWritten(), s.keysApplied(), s.keysKeptNewer())).containsExactly(20L, 15L, 5L);
      assertThat(s.keysRetracted()).isEqualTo(3L);
      assertThat(s.keysDeleted()).isEqualTo(2L);
    });
    long failed = syncs.start(v, "INCREMENTAL", 10L, 11, "alice", ME);
    syncs.fail(failed, new OnlineSyncRepository.Counts(4, 1, 1, 1, 0, 1, 0), "boom");
    assertThat(syncs.find(failed).orElseThrow().keysRetracted()).isEqualTo(1L);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aSyncWhoseProcessIsGoneIsMarkedAbandonedAndNeverMovesTheCursor(CatalogDatabase db) {
    OnlineSyncRepository syncs = new OnlineSyncRepository(db);
    String v = view();
    long good = syncs.start(v, "FULL", null, 10, "alice", ME);
    syncs.succeed(good, COUNTS, cursorAt(v, 10), "full");
    long killed = syncs.start(v, "INCREMENTAL", 10L, 20, "alice", new ProcessOwner("host-a", 111));

    List<OnlineSync> marked = abandoned(syncs).resolve(v);

    assertThat(marked).singleElement().satisfies(s -> {
      assertThat(s.syncId()).isEqualTo(killed);
      assertThat(s.status()).isEqualTo(OnlineSync.FAILED);
      assertThat(s.message()).isEqualTo("abandoned: owner process 111 on host-a is gone (killed or crashed while the sync "
          + "was RUNNING); the cursor was not moved");
      assertThat(s.finishedAt()).isNotNull();
      assertThat(s.durationMs()).isNotNull().isNotNegative();
    });
    assertThat(syncs.cursor(v).orElseThrow()).satisfies(c -> {
      assertThat(c.snapshotId()).isEqualTo(10);
      assertThat(c.syncId()).isEqualTo(good);
    });
    // Its owner, had it been alive after all, can no longer move the cursor.
    assertThatThrownBy(() -> syncs.succeed(killed, COUNTS, cursorAt(v, 20), "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Sync " + killed + " is no longer RUNNING; cannot mark it SUCCEEDED");
    assertThat(syncs.cursor(v).orElseThrow().snapshotId()).isEqualTo(10);
    assertThat(syncs.find(killed).orElseThrow().status()).isEqualTo(OnlineSync.FAILED);
    // Marking again finds nothing.
    assertThat(abandoned(syncs).resolve(v)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void syncsOfLiveOrRecentlyHeardOwnersAreLeftRunning(CatalogDatabase db) {
    OnlineSyncRepository syncs = new OnlineSyncRepository(db);
    String v = view();
    long alive = syncs.start(v, "FULL", null, 10, "alice", new ProcessOwner("host-a", 4242));
    long mine = syncs.start(v, "FULL", null, 10, "alice", ME);
    long elsewhere = syncs.start(v, "FULL", null, 10, "alice", new ProcessOwner("host-b", 111));
    // A dead pid of this host, but for another view: resolving v leaves it alone.
    String other = view();
    long otherView = syncs.start(other, "FULL", null, 10, "alice", new ProcessOwner("host-a", 112));

    assertThat(abandoned(syncs).resolve(v)).isEmpty();

    assertThat(syncs.running(v)).extracting(OnlineSync::syncId).containsExactly(alive, mine, elsewhere);
    assertThat(syncs.running(other)).extracting(OnlineSync::syncId).containsExactly(otherView);
    assertThat(abandoned(syncs).resolve(null)).extracting(OnlineSync::syncId).contains(otherView)
        .doesNotContain(alive, mine, elsewhere);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aSyncSilentForTooLongIsAbandonedWhateverItsHost(CatalogDatabase db) throws Exception {
    OnlineSyncRepository syncs = new OnlineSyncRepository(db);
    String v = view();
    OffsetDateTime hourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    long remote = syncs.start(v, "FULL", null, 10, "alice", new ProcessOwner("host-b", 222));
    long reusedPid = syncs.start(v, "FULL", null, 10, "alice", new ProcessOwner("host-a", 4242));
    sql(db, "UPDATE online_syncs SET heartbeat_at = ? WHERE sync_id IN (?, ?)", hourAgo, remote, reusedPid);
    // A sync recorded before owners were: no host, pid or heartbeat; its start stands in.
    sql(db, "INSERT INTO online_syncs (feature_view, mode, status, to_snapshot_id, started_by, started_at) "
        + "VALUES (?, 'FULL', 'RUNNING', 10, 'old', ?)", v, hourAgo);
    long unowned = syncs.running(v).stream().filter(s -> s.ownerHost() == null).findFirst().orElseThrow().syncId();
    long heard = syncs.start(v, "FULL", null, 10, "alice", new ProcessOwner("host-b", 333));

    List<OnlineSync> marked = abandoned(syncs).resolve(v);

    assertThat(marked).extracting(OnlineSync::syncId).containsExactly(remote, reusedPid, unowned);
    assertThat(marked.get(0).message()).startsWith("abandoned: no heartbeat from host-b pid 222 since ")
        .endsWith(" (more than 10 min); the cursor was not moved");
    assertThat(marked.get(1).message()).startsWith("abandoned: no heartbeat from host-a pid 4242 since ");
    assertThat(marked.get(2).message()).startsWith("abandoned: no heartbeat from its process (not recorded) since ");
    assertThat(syncs.running(v)).extracting(OnlineSync::syncId).containsExactly(heard);
    assertThat(syncs.cursor(v)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aHeartbeatAfterTheCheckKeepsTheSyncRunning(CatalogDatabase db) {
    OnlineSyncRepository syncs = new OnlineSyncRepository(db);
    String v = view();
    long id = syncs.start(v, "FULL", null, 10, "alice", new ProcessOwner("host-b", 222));
    // Someone judged it silent as of an hour ago; its heartbeat is newer: the mark does not apply.
    OffsetDateTime judgedSilentBefore = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);

    assertThat(syncs.abandon(id, "abandoned: test", judgedSilentBefore)).isEmpty();
    assertThat(syncs.find(id).orElseThrow().status()).isEqualTo(OnlineSync.RUNNING);
    assertThat(syncs.abandon(id, "abandoned: test", null)).get().extracting(OnlineSync::status).isEqualTo(OnlineSync.FAILED);
  }
}

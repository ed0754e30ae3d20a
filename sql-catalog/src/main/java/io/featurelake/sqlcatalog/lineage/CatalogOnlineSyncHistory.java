package io.featurelake.sqlcatalog.lineage;

import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.online.OnlineSyncRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The online syncs recorded in the catalog database (succeeded ones), as lineage needs them. */
public final class CatalogOnlineSyncHistory implements OnlineSyncHistory {

  private final OnlineSyncRepository syncs;

  public CatalogOnlineSyncHistory(DataSource db) {
    this.syncs = new OnlineSyncRepository(db);
  }

  @Override
  public Optional<List<OnlineSync>> syncs(String tableName) {
    Optional<String> featureView = LakeNames.featureViewOf(tableName);
    if (featureView.isEmpty()) {
      return Optional.of(List.of());
    }
    String view = featureView.get();
    List<OnlineSyncHistory.OnlineSync> out = new ArrayList<>();
    List<io.featurelake.sqlcatalog.online.OnlineSync> newestFirst = syncs.list(view, 10_000);
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      io.featurelake.sqlcatalog.online.OnlineSync s = newestFirst.get(i);
      if (io.featurelake.sqlcatalog.online.OnlineSync.SUCCEEDED.equals(s.status())) {
        out.add(new OnlineSyncHistory.OnlineSync(String.valueOf(s.syncId()), s.fromSnapshotId(), s.toSnapshotId(),
            s.finishedAt()));
      }
    }
    return Optional.of(out);
  }
}

package io.featurelake.sqlcatalog.testing;

import io.featurelake.sqlcatalog.database.CatalogDatabase;
import java.nio.file.Path;

/** A migrated catalog database of either kind, for repository tests that run on both. */
public final class CatalogDatabases {

  private CatalogDatabases() {}

  public static CatalogDatabase embedded(Path dir) {
    CatalogDatabase db = new CatalogDatabase("jdbc:h2:file:" + dir.resolve("catalog")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
    db.migrate();
    return db;
  }

  public static CatalogDatabase migrated(PostgresTestDatabase pg) {
    CatalogDatabase db = pg.catalogDatabase();
    db.migrate();
    return db;
  }
}

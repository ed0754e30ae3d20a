package io.featurelake.sqlcatalog.features;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import javax.sql.DataSource;

/** The registered feature views and every definition text each has had. */
public final class FeatureViewQueries {

  private final FeatureViewRegistry registry;

  public FeatureViewQueries(DataSource db) {
    this.registry = new FeatureViewRegistry(db);
  }

  /** Registered views, by name. */
  public Page<RegisteredFeatureView> list(PageRequest page) {
    return registry.page(page);
  }

  /** One view; NOT_FOUND when none of that name is registered. */
  public RegisteredFeatureView get(String name) {
    return registry.find(name).orElseThrow(() -> PlatformException.notFound("Unknown feature view '%s'", name));
  }

  /** Its definition versions, newest first. */
  public Page<FeatureViewVersion> versions(String name, PageRequest page) {
    get(name);
    return registry.versionPage(name, page);
  }

  /** The definition text a view had under one hash (what a run computed with). */
  public FeatureViewVersion version(String name, String sha256) {
    return registry.version(name, sha256).orElseThrow(() -> PlatformException.notFound(
        "Feature view '%s' never had a definition with sha256 %s", name, sha256));
  }
}

package io.featurelake.gateway.security;

import io.featurelake.gateway.session.LakeCatalog;
import java.util.List;
import java.util.Locale;

/** A table (or namespace) a statement writes: catalog and name parts. */
record TableRef(String catalog, List<String> parts) {

  /** Anything under {@code lake.features}: the feature tables, their branches, the namespace itself. */
  boolean isFeatureTable() {
    return catalog.equalsIgnoreCase(LakeCatalog.NAME) && !parts.isEmpty()
        && parts.get(0).toLowerCase(Locale.ROOT).equals("features");
  }

  boolean inLake() {
    return catalog.equalsIgnoreCase(LakeCatalog.NAME);
  }

  /** The feature view a feature-table name belongs to, for the "use start_backfill" hint. */
  String featureView() {
    return parts.size() >= 2 ? parts.get(1) : "<view>";
  }

  @Override
  public String toString() {
    return catalog + "." + String.join(".", parts);
  }
}

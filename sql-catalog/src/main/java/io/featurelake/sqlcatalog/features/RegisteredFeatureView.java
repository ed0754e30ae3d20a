package io.featurelake.sqlcatalog.features;

import java.time.OffsetDateTime;

/**
 * A feature view as stored in the catalog database.
 *
 * @param definition the registered definition (its git metadata is from the last registration)
 * @param registeredAt when the view was first registered
 * @param updatedAt when its definition hash last changed
 */
public record RegisteredFeatureView(FeatureViewDefinition definition, OffsetDateTime registeredAt,
    OffsetDateTime updatedAt) {
}

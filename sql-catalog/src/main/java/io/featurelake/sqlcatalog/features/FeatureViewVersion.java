package io.featurelake.sqlcatalog.features;

import java.time.OffsetDateTime;

/**
 * One definition text a view has had, kept forever for lineage.
 *
 * @param name view name
 * @param sha256 hash of {@code definitionText}
 * @param definitionText YAML, {@link FeatureViewDefinition#SQL_SEPARATOR}, SQL
 * @param gitCommit git commit when this text was first registered, or null
 * @param gitDirty whether the files differed from that commit then
 * @param firstSeenAt when this text was first registered
 */
public record FeatureViewVersion(String name, String sha256, String definitionText, String gitCommit,
    boolean gitDirty, OffsetDateTime firstSeenAt) {
}

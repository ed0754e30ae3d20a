package io.featurelake.sqlcatalog.security;

import java.time.OffsetDateTime;

/** A gateway user as stored (the password hash never leaves {@link UserRepository}). */
public record PlatformUser(String name, Role role, boolean disabled, String createdBy, OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {}

-- Retractions of an incremental sync (rows removed from main): keys given main's latest row in
-- place of a removed one, and keys deleted because the entity has no row left on main.
-- Nullable: syncs recorded before this migration, and full syncs' rows, have none.
ALTER TABLE online_syncs ADD COLUMN keys_retracted BIGINT;
ALTER TABLE online_syncs ADD COLUMN keys_deleted BIGINT;

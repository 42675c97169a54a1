-- Corral schema version 9: fewer index entries per registration.
--
-- Every index on `assets` costs each registration an entry, so each must serve a query.
-- These two serve none: the attestation queries filter and sort on
-- `COALESCE(last_attested_at, created_at)`, which `assets_attestation` (version 6) indexes and
-- a plain `last_attested_at` index cannot answer; and no list sorts by `updated_at` (the
-- store can still sort by it, without an index).
DROP INDEX IF EXISTS assets_attested;
DROP INDEX IF EXISTS assets_updated;

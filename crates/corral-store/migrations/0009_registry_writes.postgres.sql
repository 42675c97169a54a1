-- Corral schema version 9 on PostgreSQL: the SQLite file's twin (see it for the indexes), and
-- the word index without its foreign key.
--
-- PostgreSQL checks a foreign key with a query per inserted row, so the key from
-- `asset_terms` to `assets` cost every registration about seventeen lookups and row locks
-- of its own asset. It guards nothing the store can do: word rows are written only by the
-- statement that inserts their asset, or after the update of an asset found by id, and
-- assets are never deleted. (SQLite keeps the key: dropping it there means rebuilding the
-- table.)
DROP INDEX IF EXISTS assets_attested;
DROP INDEX IF EXISTS assets_updated;
ALTER TABLE asset_terms DROP CONSTRAINT IF EXISTS asset_terms_asset_id_fkey;

-- Corral schema version 2: the word index of the free-text search (see search_terms.rs).
-- Filled from the existing assets by the migration's backfill step, which runs in the same
-- transaction. The PostgreSQL twin of this file differs in the two engine-specific words
-- noted below.

-- One b-tree, ordered by term: WITHOUT ROWID (SQLite only) clusters the rows on the key
-- instead of keeping a rowid table beside a key index, a third of the writes per word.
-- The second index, by asset, answers "does this asset have the word?" in one probe while a
-- list walks the assets in order; UUIDv7 ids are time-ordered, so new rows append to it.
CREATE TABLE asset_terms (
    term TEXT NOT NULL,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    PRIMARY KEY (term, asset_id)
) WITHOUT ROWID;
CREATE INDEX asset_terms_asset ON asset_terms (asset_id, term);

-- Replaced by asset_terms: substring matching could not use an index.
ALTER TABLE assets DROP COLUMN search_text;

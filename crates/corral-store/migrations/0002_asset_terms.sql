-- Corral schema version 2: the word index of the free-text search (see search_terms.rs).
-- Filled from the existing assets by the migration's backfill step, which runs in the same
-- transaction. The PostgreSQL twin of this file differs in the two engine-specific words
-- noted below.

-- One b-tree, ordered by term: WITHOUT ROWID (SQLite only) clusters the rows on the key
-- instead of keeping a rowid table beside a key index, a third of the writes per word.
-- No index on asset_id: changes delete the words they remove by the full key.
CREATE TABLE asset_terms (
    term TEXT NOT NULL,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    PRIMARY KEY (term, asset_id)
) WITHOUT ROWID;

-- Replaced by asset_terms: substring matching could not use an index.
ALTER TABLE assets DROP COLUMN search_text;

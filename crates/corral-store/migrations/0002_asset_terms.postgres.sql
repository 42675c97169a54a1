-- Corral schema version 2: the word index of the free-text search (see search_terms.rs).
-- Filled from the existing assets by the migration's backfill step, which runs in the same
-- transaction. Byte order for terms, whatever the database locale: prefix ranges rely on it.

CREATE TABLE asset_terms (
    term TEXT COLLATE "C" NOT NULL,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    PRIMARY KEY (term, asset_id)
);
CREATE INDEX asset_terms_asset ON asset_terms (asset_id);

-- Replaced by asset_terms: substring matching could not use an index.
ALTER TABLE assets DROP COLUMN search_text;

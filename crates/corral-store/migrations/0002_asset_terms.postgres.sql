-- Corral schema version 2 on PostgreSQL: the SQLite file's twin (see it for the why), with
-- byte order for terms whatever the database's locale (prefix ranges rely on it) and a
-- plain table (PostgreSQL has no WITHOUT ROWID; its heap plus key index is the norm).

CREATE TABLE asset_terms (
    term TEXT COLLATE "C" NOT NULL,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    PRIMARY KEY (term, asset_id)
);
CREATE INDEX asset_terms_asset ON asset_terms (asset_id, term);

ALTER TABLE assets DROP COLUMN search_text;

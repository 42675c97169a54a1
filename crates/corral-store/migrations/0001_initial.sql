-- Corral schema version 1. Runs unchanged on SQLite and PostgreSQL: TEXT and BIGINT columns
-- only; timestamps are fixed-width UTC text, UUIDs hyphenated text, structured values JSON text.

CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The registry. Scalar fields are columns so lists can filter and sort on indexes; the
-- *_key columns hold lower-cased copies for case-insensitive matching.
CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    creator_email TEXT NOT NULL,
    department TEXT NOT NULL,
    department_key TEXT NOT NULL,
    owner_email TEXT NOT NULL,
    owner_key TEXT NOT NULL,
    backup_owner_email TEXT,
    backup_owner_key TEXT,
    creator_key TEXT NOT NULL,
    data_tier BIGINT NOT NULL,
    ai_tool_product TEXT NOT NULL,
    ai_tool_version TEXT NOT NULL,
    status TEXT NOT NULL,
    repository TEXT,
    repository_key TEXT,
    systems TEXT NOT NULL,
    derived_risk_tier TEXT NOT NULL,
    risk_override TEXT,
    risk_tier TEXT NOT NULL,
    risk_rank BIGINT NOT NULL,
    approval TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_attested_at TEXT,
    search_text TEXT NOT NULL
);
CREATE UNIQUE INDEX assets_name ON assets (name);
CREATE UNIQUE INDEX assets_repository ON assets (repository_key);
CREATE INDEX assets_created ON assets (created_at, id);
CREATE INDEX assets_updated ON assets (updated_at, id);
CREATE INDEX assets_data_tier ON assets (data_tier, created_at);
CREATE INDEX assets_status ON assets (status, created_at);
CREATE INDEX assets_approval ON assets (approval, created_at);
CREATE INDEX assets_risk ON assets (risk_rank, created_at);
CREATE INDEX assets_department ON assets (department_key, created_at);
CREATE INDEX assets_owner ON assets (owner_key, created_at);
CREATE INDEX assets_backup_owner ON assets (backup_owner_key);
CREATE INDEX assets_creator ON assets (creator_key);
CREATE INDEX assets_attested ON assets (last_attested_at);

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    required TEXT NOT NULL,
    signoffs TEXT NOT NULL,
    outcome TEXT,
    -- 'open', or the outcome's approval state once closed.
    state TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX reviews_asset ON reviews (asset_id, opened_at);
CREATE INDEX reviews_state_due ON reviews (state, due_at);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    review_id TEXT,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    comment TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX decisions_asset ON decisions (asset_id, at);

CREATE TABLE people (
    email_key TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT,
    roles TEXT NOT NULL,
    departed_at TEXT,
    successor_email TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

-- Notification outbox: one row per event, one per (event, target) delivery.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    asset_id TEXT,
    payload TEXT NOT NULL
);
CREATE INDEX events_at ON events (at);

CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (id),
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_error TEXT,
    delivered_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_event ON deliveries (event_id);

-- The audit log: append-only. Each row holds the event, its RFC 6962 leaf hash, and the
-- signed head of the tree that ends with it.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    data TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    tree_root TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_events_id ON audit_events (id);
CREATE INDEX audit_events_subject ON audit_events (subject, seq);

-- The append state: entry count and the tree's right edge (JSON list of hex hashes), one row.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    size BIGINT NOT NULL,
    frontier TEXT NOT NULL
);
INSERT INTO audit_head (id, size, frontier) VALUES (1, 0, '[]');

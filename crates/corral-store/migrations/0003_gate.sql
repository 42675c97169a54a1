-- Corral schema version 3: the package gate's decision log and package requests.
-- TEXT and BIGINT columns only, as in version 1.

-- One row per policy decision the gate acted on or recorded in dry-run: what (project,
-- version, file), the outcome, which rule and mode, why, and which client asked.
CREATE TABLE gate_decisions (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    project TEXT NOT NULL,
    version TEXT,
    filename TEXT,
    outcome TEXT NOT NULL,
    rule TEXT,
    mode TEXT,
    reason TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE INDEX gate_decisions_at ON gate_decisions (at, id);
CREATE INDEX gate_decisions_project ON gate_decisions (project, at);

-- Requests to let a held-back project (version = '') or version through. One per
-- (project, version); its status moves pending -> approved | denied, each change audited.
CREATE TABLE gate_requests (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL,
    rule TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    comment TEXT
);
CREATE UNIQUE INDEX gate_requests_key ON gate_requests (project, version);
CREATE INDEX gate_requests_status ON gate_requests (status, requested_at);

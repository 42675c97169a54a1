-- Corral schema version 5: uploaded scans, findings per asset, dependency inventories and
-- advisory matches (see scans.rs, findings.rs, finding_stats.rs, inventory.rs and
-- advisory_matches.rs). TEXT and BIGINT columns only, as in version 1.

-- One row per uploaded scan report: who sent it, from which tool, and its counts (JSON).
-- `complete` is 1 when the report covers the whole asset (so what it lacks is fixed).
CREATE TABLE scans (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    started_at TEXT NOT NULL,
    complete BIGINT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX scans_asset ON scans (asset_id, uploaded_at);

-- Findings per asset, one row per fingerprint. `origin` is `scan` (from an uploaded report)
-- or `monitor` (the server's own advisory evaluation). `open` is 1 until the finding is
-- resolved (`resolution`: fixed, or superseded by a scan's finding of the same advisory);
-- a finding seen again is reopened, keeping its first_seen. The finding itself (already
-- screened for secrets) is JSON; ecosystem and package (normalised) are set for dependency
-- findings, for looking them up by package.
CREATE TABLE findings (
    asset_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    origin TEXT NOT NULL,
    scanner TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    severity_rank BIGINT NOT NULL,
    ecosystem TEXT,
    package TEXT,
    finding TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    open BIGINT NOT NULL,
    resolved_at TEXT,
    resolution TEXT,
    first_scan TEXT,
    last_scan TEXT,
    PRIMARY KEY (asset_id, fingerprint)
);
CREATE INDEX findings_list ON findings (asset_id, open, severity_rank, last_seen);
CREATE INDEX findings_package ON findings (ecosystem, package, open);

-- Open findings of the whole estate per severity, kept in step by every change above, and
-- the same counts as they stood at the end of each day (the trend).
CREATE TABLE finding_counts (
    severity TEXT PRIMARY KEY,
    open BIGINT NOT NULL
);
INSERT INTO finding_counts (severity, open) VALUES
    ('critical', 0), ('high', 0), ('medium', 0), ('low', 0), ('info', 0);

CREATE TABLE finding_trend (
    day TEXT NOT NULL,
    severity TEXT NOT NULL,
    open BIGINT NOT NULL,
    PRIMARY KEY (day, severity)
);

-- The dependency inventory of each asset: the components of its latest complete scan with
-- the dependency scanner. `package` is the name normalised per ecosystem.
CREATE TABLE inventory (
    asset_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT,
    requirement TEXT,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    line BIGINT,
    direct BIGINT NOT NULL,
    license TEXT,
    PRIMARY KEY (asset_id, seq)
);
CREATE INDEX inventory_package ON inventory (ecosystem, package, asset_id);

-- Which scan the stored inventory came from, per asset.
CREATE TABLE inventory_state (
    asset_id TEXT PRIMARY KEY,
    scan_id TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    components BIGINT NOT NULL
);

-- What the server's advisory evaluation found: one row per (asset, package, advisory), the
-- advisory named by its primary id, with every id and alias, the versions or requirements
-- it matched, and the finding it opened. Open while `fixed_at` is NULL.
CREATE TABLE advisory_matches (
    asset_id TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    ids TEXT NOT NULL,
    matched TEXT NOT NULL,
    severity TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    first_matched TEXT NOT NULL,
    fixed_at TEXT,
    PRIMARY KEY (asset_id, ecosystem, package, advisory_id)
);
CREATE INDEX advisory_matches_package ON advisory_matches (ecosystem, package, fixed_at);

-- Every id and alias of a matched advisory, to find matches by CVE, GHSA or PYSEC id.
CREATE TABLE advisory_aliases (
    alias TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    PRIMARY KEY (alias, advisory_id)
);

-- Which (asset, advisory id) pairs were announced, so each is announced once: one row per id
-- and alias of the advisory, with the event that carried it.
CREATE TABLE advisory_notices (
    asset_id TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    notified_at TEXT NOT NULL,
    PRIMARY KEY (asset_id, advisory_id)
);

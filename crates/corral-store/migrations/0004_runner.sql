-- Corral schema version 4: the job runner (see runner_jobs.rs, runner_runs.rs,
-- job_secrets.rs, heartbeat_checks.rs). Runs unchanged on SQLite and PostgreSQL.

-- Job definitions. The definition is the job as JSON (the same document the API and the
-- CLI exchange); name and enabled are columns for lookups and lists.
CREATE TABLE runner_jobs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    asset_id TEXT,
    enabled BIGINT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX runner_jobs_name ON runner_jobs (name);

-- The scheduler's progress: the end of the last window a node scheduled. One row; nodes
-- take it with a row lock (PostgreSQL) or the write lock (SQLite) to commit a window.
CREATE TABLE runner_state (
    id BIGINT PRIMARY KEY,
    last_processed TEXT
);
INSERT INTO runner_state (id, last_processed) VALUES (1, NULL);

-- Runs. A schedule slot has one first attempt and one of each retry: the unique key on
-- (job, slot, attempt) refuses a second claim of the same slot whatever the code above it
-- does (manual runs have no slot; NULLs never collide). lease_owner is the node that
-- claimed the run, lease_until when its claim lapses unless renewed.
CREATE TABLE runner_runs (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    job_name TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    slot_at TEXT,
    attempt BIGINT NOT NULL,
    retry_of TEXT,
    state TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    not_before TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    exit_code BIGINT,
    signal BIGINT,
    sandbox TEXT,
    note TEXT,
    log_bytes BIGINT NOT NULL,
    log_truncated BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT
);
CREATE UNIQUE INDEX runner_runs_slot ON runner_runs (job_id, slot_at, attempt);
CREATE INDEX runner_runs_queue ON runner_runs (state, not_before);
CREATE INDEX runner_runs_lease ON runner_runs (state, lease_until);
CREATE INDEX runner_runs_job ON runner_runs (job_id, queued_at);
CREATE INDEX runner_runs_finished ON runner_runs (finished_at);

-- A run's captured (already masked) log lines, as JSON; apart so run lists stay small.
CREATE TABLE runner_run_logs (
    run_id TEXT PRIMARY KEY,
    lines TEXT NOT NULL
);

-- Secrets of a job, sealed (corral-secretbox): ciphertexts only, never a value.
CREATE TABLE runner_secrets (
    job_id TEXT NOT NULL,
    name TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (job_id, name)
);

-- Heartbeat checks (the check as JSON, state as a column for the dashboard) and their
-- pings, each with the first 10 KiB of its body.
CREATE TABLE heartbeat_checks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX heartbeat_checks_name ON heartbeat_checks (name);

CREATE TABLE heartbeat_pings (
    id TEXT PRIMARY KEY,
    check_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX heartbeat_pings_check ON heartbeat_pings (check_id, at);
CREATE INDEX heartbeat_pings_at ON heartbeat_pings (at);

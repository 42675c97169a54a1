-- Corral schema version 7: a run records the commit its job's git source resolved to (see
-- runner_runs.rs), so "which code ran on Tuesday?" has an answer after the branch moved.
-- NULL for runs of jobs without a git source and for runs from before this version.
-- Runs unchanged on SQLite and PostgreSQL.
ALTER TABLE runner_runs ADD COLUMN source_commit TEXT;

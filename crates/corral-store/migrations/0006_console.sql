-- Corral schema version 6: web console sign-in (see console_accounts.rs,
-- console_sessions.rs, sign_in_failures.rs). Runs unchanged on SQLite and PostgreSQL.

-- Local console accounts. The password is an argon2id PHC string; the clear password is
-- never stored. A disabled account keeps its row (and its history in the audit log).
CREATE TABLE console_accounts (
    email_key TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- Console sessions. Only the SHA-256 of the session id is stored; the id itself lives in
-- the browser's cookie. `method` says how the person proved who they are (`password`, or a
-- single sign-on provider); the role is the one granted at sign-in.
CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    role TEXT NOT NULL,
    method TEXT NOT NULL,
    csrf_secret TEXT NOT NULL,
    client TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_expires_at TEXT NOT NULL,
    absolute_expires_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX console_sessions_account ON console_sessions (email_key);
CREATE INDEX console_sessions_expiry ON console_sessions (absolute_expires_at);

-- Failed sign-ins, for rate limiting: one row per failure and per thing it counts against
-- (`account:EMAIL` and `client:ADDRESS`). Rows older than the window are pruned.
CREATE TABLE console_sign_in_failures (
    scope_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX console_sign_in_failures_scope ON console_sign_in_failures (scope_key, at);

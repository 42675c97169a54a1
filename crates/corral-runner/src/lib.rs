//! Corral's job runner: the engine that moves scheduled scripts off laptops.
//!
//! A job is a command with a source, a runtime, a schedule in a time zone, limits and
//! policies ([`records`]). The [`scheduler`] turns the passing of time into due slots
//! exactly once; the [`executor`] runs an attempt in a fresh scratch directory, a clean
//! environment, rlimits and (when installed) a bubblewrap [`sandbox`], with secrets injected
//! as environment variables and [masked](masking) in the captured [log](log_capture); the
//! [`engine`] ties them together with overlap, retry and catch-up policies over a
//! [`store`]; [`alerts`] and the silent-failure [`baseline`] decide who hears about what;
//! [`heartbeat`] watches jobs that still run elsewhere; [`import`] translates crontabs,
//! Windows Task Scheduler exports, launchd plists and systemd timers into job definitions.
//!
//! Persistence sits behind the [`store`] traits, with an in-memory implementation; the
//! SQL-backed one lives with the store crate.

pub mod alerts;
pub mod baseline;
pub mod bundle;
pub mod clock;
pub mod cron_schedule;
pub mod engine;
pub mod executor;
pub mod git_http;
pub mod git_source;
pub mod heartbeat;
pub mod import;
pub mod job_exec;
pub mod launch;
pub mod log_capture;
pub mod masking;
pub mod records;
pub mod retry;
pub mod sandbox;
pub mod scheduler;
pub mod scratch;
pub mod secret_source;
pub mod source;
pub mod store;

//! The runner's records: what a job is, what one run of it was, what a heartbeat check is.
//!
//! These are the types the store persists and the API shows. They live here, beside the
//! engine that gives them meaning, until the store and server settle on them; they carry no
//! behaviour beyond validation and small derived facts, so moving them into `corral-model`
//! later is a change of paths, not of meaning.

pub mod heartbeat;
pub mod job;
pub mod run;

pub use heartbeat::{CheckSchedule, CheckState, HeartbeatCheck, Ping, PingKind};
pub use job::{
    CatchUp, CommandLine, Job, JobSource, Limits, OverlapPolicy, PythonDependencies, RetryPolicy,
    Runtime, SOURCE_TOKEN, Schedule,
};
pub use run::{LogLine, LogStream, Run, RunLog, RunState, Sandboxing, Trigger};

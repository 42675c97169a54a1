//! Heartbeat checks for jobs that still run elsewhere.
//!
//! - [`monitor`]: the state machine (new / up / late / down) driven by pings and time.
//! - [`wrap`]: `corral heartbeat wrap`, which pings start and finish around a command.

pub mod monitor;
pub mod wrap;

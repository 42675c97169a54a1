//! The HTTP endpoints, one file per resource.

pub mod advisories;
pub mod assets;
pub mod audit;
pub mod findings;
pub mod heartbeats;
pub mod jobs;
pub mod notifications;
pub mod packages;
pub mod paging;
pub mod people;
pub mod reviews;
pub mod scans;
pub mod system;
pub mod tokens;

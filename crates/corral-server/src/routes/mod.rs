//! The HTTP endpoints, one file per resource.

pub mod assets;
pub mod audit;
pub mod heartbeats;
pub mod jobs;
pub mod notifications;
pub mod people;
pub mod reviews;
pub mod system;
pub mod tokens;

//! Corral's HTTP client and the wire types of its `/api/v1` API.
//!
//! The command line talks to a Corral server only through [`Client`]; the server answers with
//! the types in [`wire`]. Keeping both in one small crate (no server code, no database) means
//! the client builds fast and the two sides share one definition of every body.

pub mod client;
pub mod connection;
pub mod findings_api;
pub mod render;
pub mod wire;

pub use client::{Client, ClientError};
pub use connection::{DEFAULT_SERVER, OutputFormat, ServerArgs, block_on, describe_error};

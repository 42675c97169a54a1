//! Advisory data: OSV records, how they match versions, and the local database.
//!
//! `record` reads OSV JSON/YAML into a compact per-package form, `matching` decides whether
//! a version or a requirement is affected (OSV spec semantics), `import` reads bulk exports
//! (zip archives, directories), and `store` keeps the result on disk in a form that opens in
//! milliseconds: an `fst` map from normalised package name to that package's records, so a
//! scan reads only the records of the packages it actually meets.

pub mod import;
pub mod matching;
pub mod record;
pub mod store;

pub use import::{ImportProblem, ImportSummary, read_records};
pub use matching::{affected_by_requirement, affects, smallest_fix_above};
pub use record::{Advisory, Event, OsvRecord, RangeKind, StoredRange};
pub use store::{AdvisoryDb, EcosystemStatus, StoreError};

//! Corral's insecure-code scanner for Python and JavaScript/TypeScript.
//!
//! Files are parsed with tree-sitter and lowered into one small program form ([`ir`]), on
//! which a taint engine ([`analysis`]) runs once per file: it follows untrusted data from
//! sources (request objects, `sys.argv`, `input()`, Express `req`) through assignments,
//! string building, containers, attributes and the file's own functions, folds constants to
//! skip dead branches, honours sanitisers and allow-list checks, and checks the rules where
//! their patterns can match.
//!
//! Rules are data: YAML files under `rules/` (see [`rule`] and `docs/code-rules.md`), each
//! with a vulnerable and a safe fixture that the test suite runs. Sources and sanitisers per
//! framework are data too (`taint/*.yaml`, see [`taint_spec`]). Users add rules with
//! [`RuleSources::add_dir`].

pub mod analysis;
mod command;
pub mod constant;
pub mod env;
pub mod ir;
pub mod language;
pub mod lower;
pub mod pattern;
pub mod pruning;
pub mod reference;
mod refinement;
pub mod rule;
pub mod ruleset;
pub mod scanner;
pub mod taint_spec;
pub mod value;

pub use rule::RuleError;
pub use ruleset::{RuleSet, RuleSources};
pub use scanner::CodeScanner;

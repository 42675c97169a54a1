//! Manifest, lockfile and source parsers: bytes of one file in, components and problems out.
//!
//! [`parse_file`] picks the parser from the file name. Every parser is forgiving in the same
//! way: a line or entry it cannot read becomes a [`Problem`] with its line number, and the
//! rest of the file is still read, so one typo does not hide the other 37 requirements.

use corral_model::{Component, ComponentSource, Ecosystem};

pub mod js_imports;
pub mod npm_lock;
pub mod package_json;
pub mod pep723;
pub mod pipfile_lock;
pub mod pnpm_lock;
pub mod pyproject;
pub mod python_imports;
pub mod python_lock;
pub mod requirements;
pub mod yarn_lock;

/// Something in a file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<u32>,
    pub message: String,
}

/// What one file yielded.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub components: Vec<Component>,
    pub problems: Vec<Problem>,
    /// What kind of file this was.
    pub kind: Option<FileKind>,
    /// For source files: third-party imports. They become components only in the finish
    /// step, once local modules and manifests covering the file are known.
    pub imports: Vec<Import>,
    /// For requirements files: the `-r`/`-c` lines, followed in the finish step.
    pub includes: Vec<requirements::Include>,
}

/// A third-party import found in a source file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Import {
    /// The top-level module or bare specifier as written (`yaml`, `lodash`, `@babel/core`).
    pub module: String,
    /// The package that provides it (`pyyaml` for `yaml`).
    pub package: String,
    pub line: u32,
}

/// What kind of file was parsed; decides how its components are treated in the finish step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Declares a project's dependencies (manifest or lockfile) for an ecosystem.
    Project(Ecosystem),
    /// A source file whose imports were read.
    Source(Ecosystem),
    /// A script carrying its own PEP 723 metadata: it covers itself.
    InlineScript,
}

/// The parser for a file name, if any.
pub fn kind_of(path: &str) -> Option<Parser> {
    let file = path.rsplit('/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    let parser = match lower.as_str() {
        "pyproject.toml" => Parser::Pyproject,
        "uv.lock" | "poetry.lock" | "pylock.toml" => Parser::PythonLock,
        "pipfile.lock" => Parser::PipfileLock,
        "package.json" => Parser::PackageJson,
        "package-lock.json" | "npm-shrinkwrap.json" => Parser::NpmLock,
        "yarn.lock" => Parser::YarnLock,
        "pnpm-lock.yaml" => Parser::PnpmLock,
        _ if lower.starts_with("pylock.") && lower.ends_with(".toml") => Parser::PythonLock,
        _ if requirements::is_requirements_file(path) => Parser::Requirements,
        _ if lower.ends_with(".py") || lower.ends_with(".pyw") => Parser::PythonSource,
        _ if js_imports::is_js_source(&lower) && !path.contains("node_modules/") => {
            Parser::JsSource
        }
        _ => return None,
    };
    Some(parser)
}

/// The parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parser {
    Requirements,
    Pyproject,
    PythonLock,
    PipfileLock,
    PythonSource,
    PackageJson,
    NpmLock,
    YarnLock,
    PnpmLock,
    JsSource,
}

/// Parses one file. `None` when no parser handles its name.
pub fn parse_file(path: &str, content: &[u8]) -> Option<Parsed> {
    let parser = kind_of(path)?;
    let text = String::from_utf8_lossy(content);
    let parsed = match parser {
        Parser::Requirements => requirements::parse(path, &text),
        Parser::Pyproject => pyproject::parse(path, &text),
        Parser::PythonLock => python_lock::parse(path, &text),
        Parser::PipfileLock => pipfile_lock::parse(path, &text),
        Parser::PythonSource => match pep723::parse(path, &text) {
            Some(parsed) => parsed,
            None => python_imports::parse(path, &text),
        },
        Parser::PackageJson => package_json::parse(path, &text),
        Parser::NpmLock => npm_lock::parse(path, &text),
        Parser::YarnLock => yarn_lock::parse(path, &text),
        Parser::PnpmLock => pnpm_lock::parse(path, &text),
        Parser::JsSource => js_imports::parse(path, &text),
    };
    Some(parsed)
}

/// Builds a component with the fields every parser sets.
pub(crate) fn component(
    ecosystem: Ecosystem,
    name: &str,
    source: ComponentSource,
    path: &str,
    line: Option<u32>,
) -> Component {
    Component {
        ecosystem,
        name: name.trim().to_string(),
        version: None,
        requirement: None,
        source,
        path: path.to_string(),
        line,
        direct: true,
        license: None,
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
pub(crate) fn line_of(text: &str, needle: &str) -> Option<u32> {
    let at = text.find(needle)?;
    Some(text[..at].bytes().filter(|&b| b == b'\n').count() as u32 + 1)
}

/// Line numbers for byte offsets visited in increasing order, counting each newline once
/// (counting from the start of the file for every match is quadratic in a large lockfile).
pub(crate) struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line holding byte `offset`; earlier offsets are counted afresh.
    pub(crate) fn line_at(&mut self, offset: usize) -> u32 {
        if offset < self.offset {
            *self = Self::new(self.text);
        }
        let newlines = self.text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u32;
        self.offset = offset;
        self.line
    }
}

/// The line a serde error points at, for JSON/TOML/YAML parse failures.
pub(crate) fn problem(line: Option<usize>, message: impl Into<String>) -> Problem {
    Problem {
        line: line.map(|l| l as u32),
        message: message.into(),
    }
}

/// Whether a requirement string points somewhere other than the package index: a VCS
/// checkout, an archive URL, a Git host shorthand. Such dependencies are not pinned to a
/// reviewed release and bypass every registry-side control.
pub fn is_direct_reference(requirement: &str) -> bool {
    let r = requirement.trim();
    r.contains("://")
        || [
            "git+",
            "git:",
            "github:",
            "gitlab:",
            "bitbucket:",
            "gist:",
            "hg+",
            "svn+",
            "bzr+",
        ]
        .iter()
        .any(|p| r.starts_with(p))
        || (r.contains('/')
            && !r.starts_with('@')
            && !r.contains(' ')
            && r.split('/').count() == 2
            && !r.starts_with('.')
            && !r.contains('<')
            && !r.contains('>'))
}

#[cfg(test)]
mod line_counter_tests {
    use super::LineCounter;

    #[test]
    fn lines_follow_offsets_forwards_and_backwards() {
        let text = "a\nbb\n\nccc";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(6), 4);
        assert_eq!(lines.line_at(3), 2);
        assert_eq!(lines.line_at(text.len()), 4);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_routed_to_their_parser_by_name() {
        assert_eq!(
            kind_of("a/requirements-dev.txt"),
            Some(Parser::Requirements)
        );
        assert_eq!(kind_of("requirements/base.txt"), Some(Parser::Requirements));
        assert_eq!(kind_of("pyproject.toml"), Some(Parser::Pyproject));
        assert_eq!(kind_of("x/uv.lock"), Some(Parser::PythonLock));
        assert_eq!(kind_of("pylock.dev.toml"), Some(Parser::PythonLock));
        assert_eq!(kind_of("Pipfile.lock"), Some(Parser::PipfileLock));
        assert_eq!(kind_of("tool.py"), Some(Parser::PythonSource));
        assert_eq!(kind_of("web/package-lock.json"), Some(Parser::NpmLock));
        assert_eq!(kind_of("src/app.tsx"), Some(Parser::JsSource));
        assert_eq!(kind_of("node_modules/x/index.js"), None);
        assert_eq!(kind_of("notes.txt"), None);
    }

    #[test]
    fn direct_references_are_told_from_registry_ranges() {
        assert!(is_direct_reference("git+https://example.invalid/a.git"));
        assert!(is_direct_reference("github:user/repo"));
        assert!(is_direct_reference("user/repo"));
        assert!(!is_direct_reference("^1.2.3"));
        assert!(!is_direct_reference(">=2,<3"));
        assert!(!is_direct_reference("@scope/pkg"));
    }
}

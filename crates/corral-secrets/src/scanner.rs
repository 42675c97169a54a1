//! [`SecretsScanner`]: the detector set, and its face to the scan driver.
//!
//! A scanner is built once (built-in detectors, optionally plus or replaced by gitleaks
//! rules) and then shared by every scanning thread; it holds no per-file state.

use corral_model::{RuleInfo, ScanOutput, Scanner, SourceFile};

use crate::allowlist::Allowlist;
use crate::detector::Detector;
use crate::error::Error;
use crate::prefilter::Prefilter;
use crate::rule_file::{self, DetectorExamples};

/// The secrets scanner (`id() == "secrets"`).
pub struct SecretsScanner {
    pub(crate) detectors: Vec<Detector>,
    pub(crate) prefilter: Prefilter,
    pub(crate) global_allowlists: Vec<Allowlist>,
    /// Detectors with a path but no regex (gitleaks path-only rules).
    pub(crate) path_only: Vec<u32>,
    examples: Vec<DetectorExamples>,
}

impl std::fmt::Debug for SecretsScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsScanner")
            .field("detectors", &self.detectors.len())
            .finish_non_exhaustive()
    }
}

impl SecretsScanner {
    /// The built-in detector set.
    pub fn builtin() -> Result<Self, Error> {
        let mut detectors = Vec::new();
        let mut examples = Vec::new();
        for (name, text) in rule_file::BUILTIN {
            let (d, e) = rule_file::parse(name, text)?;
            detectors.extend(d);
            examples.extend(e);
        }
        Self::assemble(detectors, Vec::new(), examples)
    }

    /// Adds (or, with `replace = true`, uses only) rules from a gitleaks-format TOML file's
    /// text. A rule whose id equals a built-in detector's replaces that detector.
    pub fn with_gitleaks_rules(self, toml_text: &str, replace: bool) -> Result<Self, Error> {
        self.with_gitleaks_rules_from("gitleaks rules", toml_text, replace)
    }

    /// Like [`with_gitleaks_rules`](Self::with_gitleaks_rules), naming the file in errors.
    pub fn with_gitleaks_rules_from(
        self,
        source_name: &str,
        toml_text: &str,
        replace: bool,
    ) -> Result<Self, Error> {
        let imported = crate::gitleaks::parse(source_name, toml_text)?;
        self.combine(source_name, imported, replace)
    }

    /// Adds rules from a gitleaks-format file the way gitleaks reads its own `--config`:
    /// beside the built-in detectors when the file says `[extend] useDefault = true`,
    /// instead of them otherwise.
    pub fn with_gitleaks_config_from(
        self,
        source_name: &str,
        toml_text: &str,
    ) -> Result<Self, Error> {
        let imported = crate::gitleaks::parse(source_name, toml_text)?;
        let replace = !imported.use_default;
        self.combine(source_name, imported, replace)
    }

    fn combine(
        self,
        source_name: &str,
        imported: crate::gitleaks::Imported,
        replace: bool,
    ) -> Result<Self, Error> {
        if replace && imported.detectors.is_empty() {
            // Replacing every detector with none would scan and always report "clean".
            return Err(Error::Set(format!(
                "{source_name} defines no `[[rules]]`, so using it instead of the built-in \
                 detectors would find nothing: add rules to it, or run it beside the built-in \
                 set (`[extend] useDefault = true`)"
            )));
        }
        let (mut detectors, mut global, mut examples) = if replace {
            (Vec::new(), Vec::new(), Vec::new())
        } else {
            (self.detectors, self.global_allowlists, self.examples)
        };
        detectors.retain(|d| {
            !imported.disabled.contains(&d.id) && !imported.detectors.iter().any(|n| n.id == d.id)
        });
        examples.retain(|e| detectors.iter().any(|d| d.id == e.id));
        detectors.extend(imported.detectors);
        global.extend(imported.global_allowlists);
        Self::assemble(detectors, global, examples)
    }

    fn assemble(
        detectors: Vec<Detector>,
        global_allowlists: Vec<Allowlist>,
        examples: Vec<DetectorExamples>,
    ) -> Result<Self, Error> {
        let mut ids = std::collections::HashSet::new();
        for d in &detectors {
            if !ids.insert(d.id.as_str()) {
                return Err(Error::Set(format!(
                    "two detectors share the id `{}`; ids must be unique",
                    d.id
                )));
            }
        }
        let path_only = detectors
            .iter()
            .enumerate()
            .filter(|(_, d)| d.regex.is_none())
            .map(|(i, _)| i as u32)
            .collect();
        let with_regex: Vec<Detector> = detectors
            .iter()
            .map(|d| {
                let mut d = d.clone();
                if d.regex.is_none() {
                    d.keywords.clear();
                }
                d
            })
            .collect();
        let mut prefilter = Prefilter::new(&with_regex)?;
        prefilter
            .always
            .retain(|&i| detectors[i as usize].regex.is_some());
        Ok(Self {
            detectors,
            prefilter,
            global_allowlists,
            path_only,
            examples,
        })
    }

    /// Number of detectors in the set.
    pub fn detector_count(&self) -> usize {
        self.detectors.len()
    }

    /// The examples each built-in detector carries (for tests and documentation).
    pub fn examples(&self) -> &[DetectorExamples] {
        &self.examples
    }

    /// Scans `content` as the whole file at `path` and returns the findings.
    pub fn scan_bytes(&self, path: &str, content: &[u8]) -> Vec<corral_model::Finding> {
        let mut out = ScanOutput::default();
        self.scan_file(&SourceFile::whole(path, content), &mut out);
        out.findings
    }
}

impl Scanner for SecretsScanner {
    fn id(&self) -> &'static str {
        "secrets"
    }

    /// Every text file: secrets hide in any format. The driver already skips binary and
    /// oversized files.
    fn wants(&self, _path: &str) -> bool {
        true
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        crate::file_scan::scan(self, file, out);
    }

    fn rules(&self) -> Vec<RuleInfo> {
        self.detectors
            .iter()
            .map(|d| RuleInfo {
                id: d.id.clone(),
                scanner: "secrets".into(),
                title: d.title.clone(),
                description: d.description.clone(),
                help: d.help.clone(),
                severity: d.severity,
                cwe: d.cwe.clone(),
                tags: d.tags.clone(),
            })
            .collect()
    }
}

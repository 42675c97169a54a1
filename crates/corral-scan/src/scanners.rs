//! The one place where scanners are wired into the driver.
//!
//! Each scanner lives in its own crate and knows nothing of the others; this file is where
//! `corral scan` learns that they exist. [`ScannerKind`] names them for `--only`,
//! [`ScannerSelection`] is what the user asked for, and [`build_scanners`] builds the chosen
//! ones from [`ScannerSettings`] (the data directory, the parsed `corral.toml` from which each
//! scanner reads its own section, and an optional gitleaks-format rule file for the secrets
//! scanner).
//!
//! A scanner that is not part of this build is simply left out when the user did not ask for
//! anything in particular, and is an error (naming it) when they did: `--only deps` must never
//! silently scan nothing.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use corral_model::Scanner;

/// The scanners `corral scan` knows about, in the order they run and are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScannerKind {
    /// Leaked credentials: API keys, tokens, private keys, passwords.
    Secrets,
    /// Vulnerable, malicious and made-up (slopsquatted) dependencies.
    Deps,
    /// Insecure code patterns typical of AI output.
    Code,
    /// Dangerous AI-assistant configuration (CLAUDE.md, .cursorrules, .mcp.json, …).
    AiConfig,
    /// Copyleft licence contamination.
    License,
}

impl ScannerKind {
    pub const ALL: [ScannerKind; 5] = [
        ScannerKind::Secrets,
        ScannerKind::Deps,
        ScannerKind::Code,
        ScannerKind::AiConfig,
        ScannerKind::License,
    ];

    /// The id used by `--only` and in findings' `scanner` field.
    pub fn id(self) -> &'static str {
        match self {
            ScannerKind::Secrets => "secrets",
            ScannerKind::Deps => "deps",
            ScannerKind::Code => "code",
            ScannerKind::AiConfig => "ai-config",
            ScannerKind::License => "license",
        }
    }
}

impl fmt::Display for ScannerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The text was not the id of a known scanner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scanner `{0}`: expected one of secrets, deps, code, ai-config, license")]
pub struct UnknownScanner(pub String);

impl FromStr for ScannerKind {
    type Err = UnknownScanner;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "secrets" | "secret" => Ok(ScannerKind::Secrets),
            "deps" | "dependencies" => Ok(ScannerKind::Deps),
            "code" => Ok(ScannerKind::Code),
            "ai-config" | "aiconfig" | "ai_config" => Ok(ScannerKind::AiConfig),
            "license" | "licence" | "licenses" | "licences" => Ok(ScannerKind::License),
            _ => Err(UnknownScanner(s.to_string())),
        }
    }
}

/// Which scanners to run: every one in this build, or exactly the ones named by `--only`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ScannerSelection {
    /// Every scanner this build has.
    #[default]
    All,
    /// Exactly these; each must be part of this build.
    Only(BTreeSet<ScannerKind>),
}

impl ScannerSelection {
    /// Parses a comma-separated list such as `secrets,deps`.
    pub fn parse_list(list: &str) -> Result<Self, UnknownScanner> {
        let kinds = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<BTreeSet<_>, _>>()?;
        if kinds.is_empty() {
            return Err(UnknownScanner(list.to_string()));
        }
        Ok(ScannerSelection::Only(kinds))
    }

    /// Builds a selection from kinds given one by one (e.g. repeated `--only` flags).
    pub fn from_kinds(kinds: impl IntoIterator<Item = ScannerKind>) -> Self {
        let kinds: BTreeSet<_> = kinds.into_iter().collect();
        if kinds.is_empty() {
            ScannerSelection::All
        } else {
            ScannerSelection::Only(kinds)
        }
    }

    pub fn includes(&self, kind: ScannerKind) -> bool {
        match self {
            ScannerSelection::All => true,
            ScannerSelection::Only(kinds) => kinds.contains(&kind),
        }
    }

    fn is_explicit(&self, kind: ScannerKind) -> bool {
        matches!(self, ScannerSelection::Only(kinds) if kinds.contains(&kind))
    }
}

/// Whether a gitleaks rule file's rules add to the built-in ones or replace them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RulesMode {
    /// Built-in detectors plus the file's rules.
    #[default]
    Extend,
    /// Only the file's rules.
    Replace,
    /// As gitleaks reads its own `--config`: extend when the file's `[extend]` table says
    /// `useDefault = true`, replace otherwise. Used for a rule file given as `--config`, which
    /// has no `--rules-mode` beside it.
    AsFileSays,
}

/// A gitleaks-format TOML rule file for the secrets scanner, already read.
#[derive(Debug, Clone)]
pub struct SecretRules {
    /// Where the rules came from, for error messages.
    pub path: PathBuf,
    pub text: String,
    pub mode: RulesMode,
}

/// Everything scanners may need to set themselves up.
#[derive(Debug, Clone, Default)]
pub struct ScannerSettings {
    /// Corral's data directory (advisory databases, package name sets, caches).
    pub data_dir: PathBuf,
    /// The whole parsed `corral.toml` (empty without one); each scanner deserialises its own
    /// section (`[secrets]`, `[deps]`, …) and reports errors against it.
    pub config: toml::Table,
    /// Extra or replacement secret detectors from `--rules`.
    pub secret_rules: Option<SecretRules>,
}

/// A scanner could not be set up; nothing was scanned.
#[derive(Debug, thiserror::Error)]
pub enum ScannerSetupError {
    #[error(
        "the {0} scanner is not part of this build of corral; run without --only {0}, or choose from: {1}"
    )]
    NotBuilt(ScannerKind, String),
    #[error("cannot set up the {scanner} scanner: {message}")]
    Invalid {
        scanner: ScannerKind,
        message: String,
    },
    #[error("no scanner selected")]
    NoneSelected,
}

/// Builds the selected scanners, in [`ScannerKind::ALL`] order.
pub fn build_scanners(
    selection: &ScannerSelection,
    settings: &ScannerSettings,
) -> Result<Vec<Box<dyn Scanner>>, ScannerSetupError> {
    let mut built = Vec::new();
    for kind in ScannerKind::ALL {
        if !selection.includes(kind) {
            continue;
        }
        match build_one(kind, settings)? {
            Some(scanner) => built.push(scanner),
            None if selection.is_explicit(kind) => {
                return Err(ScannerSetupError::NotBuilt(kind, available().join(", ")));
            }
            None => tracing::debug!(scanner = %kind, "not part of this build"),
        }
    }
    if built.is_empty() {
        return Err(ScannerSetupError::NoneSelected);
    }
    Ok(built)
}

/// The ids of the scanners this build can run.
pub fn available() -> Vec<&'static str> {
    ScannerKind::ALL
        .into_iter()
        .filter(|&kind| is_built(kind))
        .map(ScannerKind::id)
        .collect()
}

/// Whether `kind` is wired into this build (one arm per scanner crate).
fn is_built(kind: ScannerKind) -> bool {
    match kind {
        ScannerKind::Secrets => true,
        ScannerKind::Deps => true,
        ScannerKind::Code => true,
        ScannerKind::AiConfig => true,
        ScannerKind::License => true,
    }
}

/// Builds one scanner, or `None` when it is not part of this build.
///
/// Each scanner crate adds its arm here and flips its line in [`is_built`].
fn build_one(
    kind: ScannerKind,
    settings: &ScannerSettings,
) -> Result<Option<Box<dyn Scanner>>, ScannerSetupError> {
    match kind {
        ScannerKind::Secrets => build_secrets(settings).map(Some),
        ScannerKind::Deps => build_deps(settings).map(Some),
        ScannerKind::Code => build_code(settings).map(Some),
        ScannerKind::AiConfig => build_ai_config().map(Some),
        ScannerKind::License => build_license(settings).map(Some),
    }
}

/// The AI-assistant configuration scanner with its built-in rules.
fn build_ai_config() -> Result<Box<dyn Scanner>, ScannerSetupError> {
    let scanner =
        corral_aiconfig::AiConfigScanner::new().map_err(|e| ScannerSetupError::Invalid {
            scanner: ScannerKind::AiConfig,
            message: e.to_string(),
        })?;
    Ok(Box::new(scanner))
}

/// The licence scanner, judging by the `[license]` policy of `corral.toml`.
fn build_license(settings: &ScannerSettings) -> Result<Box<dyn Scanner>, ScannerSetupError> {
    let scanner =
        corral_license::LicenseScanner::from_config_table(&settings.config).map_err(|e| {
            ScannerSetupError::Invalid {
                scanner: ScannerKind::License,
                message: e.to_string(),
            }
        })?;
    Ok(Box::new(scanner))
}

/// The built-in code rules, plus the YAML rules in `[code] rules = "dir"` of `corral.toml`.
fn build_code(settings: &ScannerSettings) -> Result<Box<dyn Scanner>, ScannerSetupError> {
    let invalid = |message: String| ScannerSetupError::Invalid {
        scanner: ScannerKind::Code,
        message,
    };
    let mut sources = corral_code::RuleSources::builtin();
    if let Some(dir) = settings.config.get("code").and_then(|c| c.get("rules")) {
        let dir = dir
            .as_str()
            .ok_or_else(|| invalid("`[code] rules` must be a directory path".into()))?;
        sources
            .add_dir(std::path::Path::new(dir))
            .map_err(|e| invalid(e.to_string()))?;
    }
    let scanner = corral_code::CodeScanner::with_rules(&sources).map_err(|errors| {
        invalid(
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    Ok(Box::new(scanner))
}

/// The dependency scanner over the advisory database and index snapshots in the data
/// directory, configured by `[deps]` in `corral.toml`.
fn build_deps(settings: &ScannerSettings) -> Result<Box<dyn Scanner>, ScannerSetupError> {
    let invalid = |message: String| ScannerSetupError::Invalid {
        scanner: ScannerKind::Deps,
        message,
    };
    let config: corral_deps::DepsConfig = match settings.config.get("deps") {
        Some(section) => section
            .clone()
            .try_into()
            .map_err(|e| invalid(format!("invalid [deps] section: {e}")))?,
        None => corral_deps::DepsConfig::default(),
    };
    let scanner = corral_deps::DepsScanner::open(config, &settings.data_dir)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(Box::new(scanner))
}

/// The built-in secret detectors, plus or instead of a gitleaks rule file's.
fn build_secrets(settings: &ScannerSettings) -> Result<Box<dyn Scanner>, ScannerSetupError> {
    let invalid = |err: corral_secrets::Error| ScannerSetupError::Invalid {
        scanner: ScannerKind::Secrets,
        message: err.to_string(),
    };
    let mut scanner = corral_secrets::SecretsScanner::builtin().map_err(invalid)?;
    if let Some(rules) = &settings.secret_rules {
        let source = rules.path.display().to_string();
        scanner = match rules.mode {
            RulesMode::Extend => scanner.with_gitleaks_rules_from(&source, &rules.text, false),
            RulesMode::Replace => scanner.with_gitleaks_rules_from(&source, &rules.text, true),
            RulesMode::AsFileSays => scanner.with_gitleaks_config_from(&source, &rules.text),
        }
        .map_err(invalid)?;
    }
    Ok(Box::new(scanner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lists_parse_aliases_and_reject_unknown_names() {
        let selection = ScannerSelection::parse_list("secrets, AI-config,licence").unwrap();
        assert!(selection.includes(ScannerKind::Secrets));
        assert!(selection.includes(ScannerKind::AiConfig));
        assert!(selection.includes(ScannerKind::License));
        assert!(!selection.includes(ScannerKind::Deps));
        let err = ScannerSelection::parse_list("secrets,sast").unwrap_err();
        assert!(err.to_string().contains("`sast`"), "{err}");
        assert!(ScannerSelection::parse_list(" , ").is_err());
    }

    #[test]
    fn scanner_ids_round_trip_through_parsing() {
        for kind in ScannerKind::ALL {
            assert_eq!(kind.id().parse::<ScannerKind>(), Ok(kind));
        }
    }

    #[test]
    fn asking_for_a_scanner_missing_from_this_build_names_it() {
        let missing = ScannerKind::ALL.into_iter().find(|&k| !is_built(k));
        if let Some(kind) = missing {
            let selection = ScannerSelection::from_kinds([kind]);
            let err = build_scanners(&selection, &ScannerSettings::default())
                .err()
                .expect("a scanner that is not built cannot be selected");
            assert!(err.to_string().contains(kind.id()), "{err}");
        }
    }

    #[test]
    fn the_default_selection_builds_every_wired_scanner() {
        match build_scanners(&ScannerSelection::All, &ScannerSettings::default()) {
            Ok(scanners) => {
                let ids: Vec<_> = scanners.iter().map(|s| s.id()).collect();
                assert_eq!(ids, available());
            }
            Err(err) => {
                assert!(available().is_empty(), "{err}");
                assert!(matches!(err, ScannerSetupError::NoneSelected));
            }
        }
    }

    fn secrets_with(
        text: &str,
        mode: RulesMode,
    ) -> Result<Vec<Box<dyn Scanner>>, ScannerSetupError> {
        let settings = ScannerSettings {
            secret_rules: Some(SecretRules {
                path: PathBuf::from("team-rules.toml"),
                text: text.into(),
                mode,
            }),
            ..ScannerSettings::default()
        };
        build_scanners(
            &ScannerSelection::from_kinds([ScannerKind::Secrets]),
            &settings,
        )
    }

    #[test]
    fn a_gitleaks_rule_file_reaches_the_secrets_scanner() {
        let rules = concat!(
            "[[rules]]\n",
            "id = \"acme-internal-token\"\n",
            "description = \"Acme internal token\"\n",
            "regex = 'acmetok_[a-z0-9]{24}'\n",
            "keywords = [\"acmetok_\"]\n",
        );
        let scanners = secrets_with(rules, RulesMode::Replace).unwrap();
        let ids: Vec<_> = scanners[0].rules().into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["acme-internal-token"]);
    }

    #[test]
    fn a_rule_file_read_as_the_file_says_extends_only_with_use_default() {
        let rule = concat!(
            "[[rules]]\n",
            "id = \"acme-internal-token\"\n",
            "regex = 'acmetok_[a-z0-9]{24}'\n",
            "keywords = [\"acmetok_\"]\n",
        );
        let count = |text: &str| {
            secrets_with(text, RulesMode::AsFileSays).unwrap()[0]
                .rules()
                .len()
        };
        assert_eq!(
            count(rule),
            1,
            "without [extend] the file replaces the built-ins"
        );
        let extended = format!("[extend]\nuseDefault = true\n{rule}");
        let builtin = corral_secrets::SecretsScanner::builtin()
            .unwrap()
            .detector_count();
        assert_eq!(count(&extended), builtin + 1);
    }

    #[test]
    fn a_broken_rule_file_is_reported_against_its_path() {
        let err = secrets_with("[[rules]]\nid = ", RulesMode::Extend)
            .err()
            .expect("malformed TOML is refused")
            .to_string();
        assert!(err.contains("team-rules.toml"), "{err}");
        assert!(err.contains("secrets"), "{err}");
    }
}

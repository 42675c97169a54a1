//! Importing rules written in gitleaks' TOML format.
//!
//! Many teams already keep custom rules for gitleaks; Corral runs them as they are, beside
//! the built-in detectors or instead of them. Supported: `[[rules]]` with `id`,
//! `description`, `regex`, `secretGroup`, `entropy`, `keywords`, `path`, `tags`, per-rule
//! `[rules.allowlist]` and `[[rules.allowlists]]` (`regexes`, `regexTarget`, `stopwords`,
//! `paths`, `commits`, `condition`), the global `[allowlist]` and `[[allowlists]]` (with
//! `targetRules`), and `[extend]` with `useDefault` and `disabledRules`. Any other top-level
//! key or `[extend]` key is refused with its name.
//!
//! gitleaks' regexes are Go RE2. Rust's `regex` crate accepts nearly the same syntax; what
//! it does not (for example `\Q…\E` or Unicode classes, since detectors match ASCII bytes)
//! is refused with an error naming the rule, rather than silently dropping the rule.
//! Semantics follow gitleaks: a rule runs on a file when any of its keywords occurs
//! anywhere in it, and the secret is `secretGroup`, else the first non-empty group, else the
//! whole match.

use std::collections::HashSet;

use serde::Deserialize;

use crate::allowlist::{Allowlist, Condition, Target};
use crate::detector::{self, DEFAULT_HELP, Detector, NamedGroups, Origin, Scope, SecretGroup};
use crate::error::Error;

/// A gitleaks file's top level. Unknown keys are refused rather than ignored: a misspelt
/// `[allowlists]` or a table from another tool would otherwise silently change nothing, and
/// the team would believe rules were running that are not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)] // `title`, `description` and `min_version` are read only to be accepted
struct Config {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    min_version: Option<String>,
    #[serde(default)]
    extend: Option<Extend>,
    #[serde(default)]
    allowlist: Option<AllowlistDef>,
    #[serde(default)]
    allowlists: Vec<AllowlistDef>,
    #[serde(default)]
    rules: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Extend {
    #[serde(default)]
    use_default: bool,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    disabled_rules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AllowlistDef {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    regex_target: Option<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    target_rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleDef {
    #[serde(default)]
    id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    secret_group: Option<usize>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    allowlist: Option<AllowlistDef>,
    #[serde(default)]
    allowlists: Vec<AllowlistDef>,
}

/// What a gitleaks file contributes to a scanner.
pub(crate) struct Imported {
    pub detectors: Vec<Detector>,
    pub global_allowlists: Vec<Allowlist>,
    pub disabled: Vec<String>,
    /// `[extend] useDefault = true`: the file asks to run beside the default rules (for
    /// Corral, the built-in detectors) rather than instead of them.
    pub use_default: bool,
}

/// Parses gitleaks-format TOML.
pub(crate) fn parse(source_name: &str, text: &str) -> Result<Imported, Error> {
    let config: Config = toml::from_str(text).map_err(|e| Error::Toml {
        source_name: source_name.to_string(),
        message: e.to_string(),
    })?;
    let mut disabled = Vec::new();
    let mut use_default = false;
    if let Some(extend) = config.extend {
        use_default = extend.use_default;
        if let Some(p) = extend.path.or(extend.url) {
            return Err(Error::Set(format!(
                "{source_name}: `[extend]` points to `{p}`; Corral does not follow extended \
                 configurations: merge that file's rules into this one instead"
            )));
        }
        disabled = extend.disabled_rules;
    }
    let mut seen = HashSet::new();
    let mut detectors = Vec::with_capacity(config.rules.len());
    for (n, rule) in config.rules.into_iter().enumerate() {
        if rule.id.trim().is_empty() {
            return Err(Error::rule(
                source_name,
                &format!("#{}", n + 1),
                "the rule has no `id`",
            ));
        }
        if !seen.insert(rule.id.clone()) {
            return Err(Error::rule(
                source_name,
                &rule.id,
                "the id is used by more than one rule",
            ));
        }
        detectors.push(build_rule(source_name, rule)?);
    }
    let mut global = Vec::new();
    let globals = config.allowlist.into_iter().chain(config.allowlists);
    for (n, def) in globals.enumerate() {
        let targets = def.target_rules.clone();
        let list = build_allowlist(source_name, &format!("allowlist #{}", n + 1), def)?;
        if targets.is_empty() {
            global.push(list);
            continue;
        }
        for t in targets {
            let Some(d) = detectors.iter_mut().find(|d| d.id == t) else {
                return Err(Error::Set(format!(
                    "{source_name}: allowlist #{} targets rule `{t}`, which this file does not define",
                    n + 1
                )));
            };
            d.allowlists.push(list.clone());
        }
    }
    Ok(Imported {
        detectors,
        global_allowlists: global,
        disabled,
        use_default,
    })
}

fn build_rule(source_name: &str, rule: RuleDef) -> Result<Detector, Error> {
    let id = rule.id.clone();
    let err = |m: String| Error::rule(source_name, &id, m);
    let regex = match rule.regex.as_deref() {
        Some(r) if !r.is_empty() => {
            Some(detector::compile(r).map_err(|m| err(format!("`regex`: {m}")))?)
        }
        _ => None,
    };
    let path = match rule.path.as_deref() {
        Some(p) if !p.is_empty() => {
            Some(detector::compile(p).map_err(|m| err(format!("`path`: {m}")))?)
        }
        _ => None,
    };
    if regex.is_none() && path.is_none() {
        return Err(err("the rule has neither `regex` nor `path`".into()));
    }
    let secret_group = match (rule.secret_group, &regex) {
        (Some(i), Some(re)) if i >= re.captures_len() => {
            return Err(err(format!(
                "`secretGroup` is {i} but the regex has only {} groups",
                re.captures_len() - 1
            )));
        }
        (Some(i), _) if i > 0 => SecretGroup::Index(i),
        _ => SecretGroup::FirstNonEmpty,
    };
    if let Some(e) = rule.entropy
        && !(0.0..=8.0).contains(&e)
    {
        return Err(err(format!(
            "`entropy` is {e}; Shannon entropy per byte lies between 0 and 8"
        )));
    }
    let mut allowlists = Vec::new();
    for (n, def) in rule
        .allowlist
        .into_iter()
        .chain(rule.allowlists)
        .enumerate()
    {
        if !def.target_rules.is_empty() {
            return Err(err(
                "`targetRules` only belongs in a top-level `[[allowlists]]`".into(),
            ));
        }
        let list = build_allowlist(source_name, &format!("{id} allowlist #{}", n + 1), def)?;
        if !list.is_empty() {
            allowlists.push(list);
        }
    }
    let title = rule
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| id.clone());
    Ok(Detector {
        id: id.clone(),
        description: rule
            .description
            .unwrap_or_else(|| format!("Custom rule `{id}` (gitleaks format).")),
        help: DEFAULT_HELP.to_string(),
        title,
        severity: corral_model::Severity::High,
        confidence: corral_model::Confidence::Medium,
        keywords: rule
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect(),
        groups: regex.as_ref().map(NamedGroups::of).unwrap_or_default(),
        regex,
        secret_group,
        entropy: rule.entropy.filter(|&e| e > 0.0),
        min_length: 0,
        max_length: usize::MAX,
        allowlists,
        path,
        scope: Scope::File,
        check: None,
        placeholder_filter: true,
        cwe: vec![798],
        tags: rule.tags,
        origin: Origin::Gitleaks,
        priority: 1,
    })
}

fn build_allowlist(source_name: &str, name: &str, def: AllowlistDef) -> Result<Allowlist, Error> {
    let err = |m: String| Error::rule(source_name, name, m);
    let target = match def.regex_target.as_deref() {
        None | Some("") | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => {
            return Err(err(format!(
                "unknown `regexTarget` `{other}`: expected secret, match or line"
            )));
        }
    };
    let condition = match def
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("OR") => Condition::Or,
        Some("AND") => Condition::And,
        Some(other) => {
            return Err(err(format!(
                "unknown `condition` `{other}`: expected OR or AND"
            )));
        }
    };
    let compile_all = |field: &str, list: &[String]| {
        list.iter()
            .enumerate()
            .map(|(i, r)| detector::compile(r).map_err(|m| err(format!("`{field}[{i}]`: {m}"))))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Allowlist {
        regexes: compile_all("regexes", &def.regexes)?,
        target,
        stopwords: def
            .stopwords
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        paths: compile_all("paths", &def.paths)?,
        commits: def.commits,
        condition,
    })
}

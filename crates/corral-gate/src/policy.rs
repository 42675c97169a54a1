//! The gate's policy: which projects, versions and files a client may see.
//!
//! ```toml
//! [gate.policy]
//! mode = "block"                 # every rule's mode unless `modes` says otherwise
//! allow = []                     # when non-empty, only these (names, patterns, ranges)
//! deny = ["evil-*", "urllib3<2"] # never these
//! min_age_days = 7               # versions younger than this are held back (cooldown)
//! min_age_exempt = ["acme-*"]    # ... except these
//! vulnerable_severity = "high"   # versions with advisories at or above this are held back
//! licenses = []                  # when non-empty: allowed licences (SPDX ids), checked per file
//!
//! [gate.policy.modes]            # block | dry-run | off, per rule
//! min-age = "dry-run"
//! ```
//!
//! Rules object at two levels. *Project* objections (deny-listed or not allow-listed names,
//! known-malicious packages, typosquats, names missing from the index snapshot) hold back
//! every version and mark the project `quarantined` (PEP 792). *Version* objections (ranges
//! in the lists, malicious or vulnerable versions, release age) hold back one version's
//! files by leaving them out of the page, which is what clients handle best: `uv` treats a
//! 403 on a project as fatal, while a missing version simply is not a candidate.
//!
//! A rule in `dry-run` mode objects in the record but serves anyway. An approved package
//! request (`corral gate approve NAME[==VERSION]`) overrides every rule except the
//! known-malicious one: a person can vouch for a young or imitative-looking package, not for
//! malware.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use corral_deps::advisory::{Advisory, affects};
use corral_deps::typosquat::Imitation;
use corral_deps::version::Version;
use corral_model::{Ecosystem, Severity};
use serde::{Deserialize, Serialize};

use crate::package_rule::{PackageRule, RuleError};
use crate::page::ProjectPage;

/// What a rule does when it objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Hold the project, version or file back.
    Block,
    /// Serve it, but record what would have been held back.
    DryRun,
    /// Do not evaluate the rule.
    Off,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Block => "block",
            Mode::DryRun => "dry-run",
            Mode::Off => "off",
        }
    }
}

/// The rules, by the names `[gate.policy.modes]` and the records use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    DenyList,
    AllowList,
    Malicious,
    Vulnerable,
    Typosquat,
    Nonexistent,
    MinAge,
    License,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::DenyList,
        Rule::AllowList,
        Rule::Malicious,
        Rule::Vulnerable,
        Rule::Typosquat,
        Rule::Nonexistent,
        Rule::MinAge,
        Rule::License,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::DenyList => "deny-list",
            Rule::AllowList => "allow-list",
            Rule::Malicious => "malicious",
            Rule::Vulnerable => "vulnerable",
            Rule::Typosquat => "typosquat",
            Rule::Nonexistent => "nonexistent",
            Rule::MinAge => "min-age",
            Rule::License => "license",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `[gate.policy]` section as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    pub mode: Mode,
    pub modes: BTreeMap<Rule, Mode>,
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub min_age_days: u32,
    pub min_age_exempt: Vec<String>,
    pub vulnerable_severity: Severity,
    pub licenses: Vec<String>,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        Self {
            mode: Mode::Block,
            modes: BTreeMap::new(),
            allow: Vec::new(),
            deny: Vec::new(),
            min_age_days: 7,
            min_age_exempt: Vec::new(),
            vulnerable_severity: Severity::High,
            licenses: Vec::new(),
        }
    }
}

/// A policy ready to evaluate.
#[derive(Debug, Clone)]
pub struct Policy {
    modes: BTreeMap<Rule, Mode>,
    allow: Vec<PackageRule>,
    deny: Vec<PackageRule>,
    min_age: Duration,
    min_age_exempt: Vec<PackageRule>,
    vulnerable_severity: Severity,
    licenses: Vec<String>,
}

/// One rule's objection to a project, a version or a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub rule: Rule,
    pub mode: Mode,
    /// The version objected to; `None` for the whole project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Why, in words a developer understands.
    pub reason: String,
}

/// What the policy knows about a project besides its page.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The project's OSV records (vulnerabilities and `MAL-` records).
    pub advisories: Vec<Advisory>,
    /// Whether the package-index snapshot has the name; `None` when no snapshot is loaded.
    pub in_snapshot: Option<bool>,
    /// The popular package the name appears to imitate, if any.
    pub imitation: Option<Imitation>,
}

/// Approved package requests for one project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Approvals {
    /// The whole project was approved.
    pub project: bool,
    /// These versions were approved.
    pub versions: Vec<String>,
}

impl Approvals {
    fn covers(&self, version: Option<&str>) -> bool {
        self.project
            || version.is_some_and(|v| {
                let parsed = Version::parse(Ecosystem::PyPI, v);
                self.versions.iter().any(|a| {
                    a == v
                        || match (&parsed, Version::parse(Ecosystem::PyPI, a)) {
                            (Some(x), Some(y)) => x.compare(&y) == Some(std::cmp::Ordering::Equal),
                            _ => false,
                        }
                })
            })
    }
}

/// The policy's verdict on one project page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// Objections to the whole project.
    pub project: Vec<Objection>,
    /// Objections per version (as written in file names).
    pub versions: BTreeMap<String, Vec<Objection>>,
}

/// Whether a version is served, and the objections on record for it.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionVerdict {
    pub served: bool,
    /// Every objection, blocking or not, after approvals.
    pub objections: Vec<Objection>,
    /// Whether an approval lifted blocking objections.
    pub approved: bool,
}

impl Evaluation {
    /// Whether any rule objects in block mode to the project as a whole.
    pub fn project_blocked(&self) -> bool {
        self.project.iter().any(|o| o.mode == Mode::Block)
    }

    /// The verdict for `version`, given the project's approvals.
    pub fn verdict(&self, version: Option<&str>, approvals: &Approvals) -> VersionVerdict {
        let mut objections: Vec<Objection> = self.project.clone();
        if let Some(v) = version
            && let Some(list) = self.versions.get(v)
        {
            objections.extend(list.iter().cloned());
        }
        let blocking = objections.iter().any(|o| o.mode == Mode::Block);
        let approved = blocking && approvals.covers(version);
        let served = if approved {
            !objections
                .iter()
                .any(|o| o.mode == Mode::Block && o.rule == Rule::Malicious)
        } else {
            !blocking && version.is_some()
        };
        VersionVerdict {
            served,
            objections,
            approved,
        }
    }
}

impl PolicyConfig {
    /// Checks every entry; the error names each entry that is wrong.
    pub fn compile(&self) -> Result<Policy, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut parse = |entries: &[String]| -> Vec<PackageRule> {
            entries
                .iter()
                .filter_map(|e| PackageRule::parse(e).map_err(|err| errors.push(err)).ok())
                .collect()
        };
        let allow = parse(&self.allow);
        let deny = parse(&self.deny);
        let min_age_exempt = parse(&self.min_age_exempt);
        if !errors.is_empty() {
            return Err(errors);
        }
        let modes = Rule::ALL
            .iter()
            .map(|r| (*r, self.modes.get(r).copied().unwrap_or(self.mode)))
            .collect();
        Ok(Policy {
            modes,
            allow,
            deny,
            min_age: Duration::days(i64::from(self.min_age_days)),
            min_age_exempt,
            vulnerable_severity: self.vulnerable_severity,
            licenses: self.licenses.iter().map(|l| l.trim().to_string()).collect(),
        })
    }
}

impl Policy {
    /// The mode of `rule`.
    pub fn mode(&self, rule: Rule) -> Mode {
        self.modes.get(&rule).copied().unwrap_or(Mode::Block)
    }

    /// The allowed licences (empty: no licence check).
    pub fn licenses(&self) -> &[String] {
        &self.licenses
    }

    /// Evaluates a project page at `now`.
    pub fn evaluate(&self, page: &ProjectPage, facts: &Facts, now: DateTime<Utc>) -> Evaluation {
        let name = page.name.as_str();
        let mut eval = Evaluation::default();
        let object = |eval: &mut Evaluation, rule: Rule, version: Option<&str>, reason: String| {
            let mode = self.mode(rule);
            if mode == Mode::Off {
                return;
            }
            let objection = Objection {
                rule,
                mode,
                version: version.map(str::to_string),
                reason,
            };
            match version {
                None => eval.project.push(objection),
                Some(v) => eval
                    .versions
                    .entry(v.to_string())
                    .or_default()
                    .push(objection),
            }
        };

        // Release time per version: the earliest upload of any of its files.
        let mut released: BTreeMap<&str, Option<DateTime<Utc>>> = BTreeMap::new();
        for f in &page.files {
            if let Some(v) = f.version.as_deref() {
                let slot = released.entry(v).or_insert(f.upload_time);
                *slot = match (*slot, f.upload_time) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }

        // Deny-list.
        for rule in self.deny.iter().filter(|r| r.matches_name(name)) {
            if rule.is_whole_project() {
                object(
                    &mut eval,
                    Rule::DenyList,
                    None,
                    format!("`{name}` is on the deny-list (`{rule}`)"),
                );
            } else {
                for v in released.keys().filter(|v| rule.matches(name, Some(v))) {
                    object(
                        &mut eval,
                        Rule::DenyList,
                        Some(v),
                        format!("`{name}` {v} is on the deny-list (`{rule}`)"),
                    );
                }
            }
        }

        // Allow-list: the name must be listed; a listed range limits the versions.
        let allowed_by: Vec<&PackageRule> =
            self.allow.iter().filter(|r| r.matches_name(name)).collect();
        if !self.allow.is_empty() {
            if allowed_by.is_empty() {
                object(
                    &mut eval,
                    Rule::AllowList,
                    None,
                    format!("`{name}` is not on the organisation's allow-list"),
                );
            } else if !allowed_by.iter().any(|r| r.is_whole_project()) {
                for v in released.keys() {
                    if !allowed_by.iter().any(|r| r.matches(name, Some(v))) {
                        let ranges: Vec<String> =
                            allowed_by.iter().map(|r| r.to_string()).collect();
                        object(
                            &mut eval,
                            Rule::AllowList,
                            Some(v),
                            format!(
                                "`{name}` {v} is outside the allowed range ({})",
                                ranges.join(", ")
                            ),
                        );
                    }
                }
            }
        }
        let vetted_name = !allowed_by.is_empty();

        // Known-malicious: every version unless the record names versions.
        for advisory in facts.advisories.iter().filter(|a| a.malicious) {
            let scoped = !advisory.versions.is_empty() || !advisory.ranges.is_empty();
            let summary = if advisory.summary.is_empty() {
                String::new()
            } else {
                format!(": {}", advisory.summary)
            };
            if !scoped {
                object(
                    &mut eval,
                    Rule::Malicious,
                    None,
                    format!(
                        "`{name}` is a known-malicious package ({}){summary}",
                        advisory.id
                    ),
                );
                continue;
            }
            let mut as_ranges = advisory.clone();
            as_ranges.malicious = false;
            for v in released.keys() {
                if Version::parse(Ecosystem::PyPI, v)
                    .is_some_and(|parsed| affects(Ecosystem::PyPI, &as_ranges, &parsed))
                {
                    object(
                        &mut eval,
                        Rule::Malicious,
                        Some(v),
                        format!(
                            "`{name}` {v} is a known-malicious release ({}){summary}",
                            advisory.id
                        ),
                    );
                }
            }
        }

        // Vulnerable versions at or above the configured severity.
        for advisory in facts.advisories.iter().filter(|a| !a.malicious) {
            let severity = advisory.severity.unwrap_or(Severity::Medium);
            if severity < self.vulnerable_severity {
                continue;
            }
            for v in released.keys() {
                if Version::parse(Ecosystem::PyPI, v)
                    .is_some_and(|parsed| affects(Ecosystem::PyPI, advisory, &parsed))
                {
                    object(
                        &mut eval,
                        Rule::Vulnerable,
                        Some(v),
                        format!(
                            "`{name}` {v} is affected by {} ({severity}): {}",
                            advisory.id, advisory.summary
                        ),
                    );
                }
            }
        }

        // Name checks: an allow-listed name has been vetted by a person already.
        if !vetted_name {
            if let Some(i) = &facts.imitation {
                object(
                    &mut eval,
                    Rule::Typosquat,
                    None,
                    format!(
                        "`{name}` looks like a typosquat of the popular package `{}`: it {}; quarantined pending review",
                        i.target,
                        i.mistake.describe()
                    ),
                );
            }
            if facts.in_snapshot == Some(false) {
                object(
                    &mut eval,
                    Rule::Nonexistent,
                    None,
                    format!(
                        "`{name}` is not in the package-index snapshot: it was registered recently or is not a real package"
                    ),
                );
            }
        }

        // Release age.
        let exempt = self.min_age_exempt.iter().any(|r| r.matches_name(name));
        if !exempt && self.min_age > Duration::zero() {
            for (v, at) in &released {
                if let Some(at) = at
                    && now - *at < self.min_age
                {
                    let hours = (now - *at).num_hours().max(0);
                    let age = if hours < 48 {
                        format!("{hours} hours ago")
                    } else {
                        format!("{} days ago", hours / 24)
                    };
                    object(
                        &mut eval,
                        Rule::MinAge,
                        Some(v),
                        format!(
                            "`{name}` {v} was published {age} ({}), under the {}-day minimum age",
                            at.format("%Y-%m-%d %H:%M UTC"),
                            self.min_age.num_days()
                        ),
                    );
                }
            }
        }
        eval
    }

    /// The objection to a file whose licence is `license` (from its metadata), if any.
    pub fn check_license(
        &self,
        name: &str,
        version: &str,
        license: Option<&str>,
    ) -> Option<Objection> {
        let mode = self.mode(Rule::License);
        if self.licenses.is_empty() || mode == Mode::Off {
            return None;
        }
        let reason = match license {
            None => format!("`{name}` {version} declares no licence in its metadata"),
            Some(l) if license_allowed(l, &self.licenses) => return None,
            Some(l) => format!(
                "`{name}` {version} is licensed `{l}`, which is not on the allowed list ({})",
                self.licenses.join(", ")
            ),
        };
        Some(Objection {
            rule: Rule::License,
            mode,
            version: Some(version.to_string()),
            reason,
        })
    }
}

/// Whether an SPDX expression is acceptable: every `AND` operand allowed, and for `OR` at
/// least one alternative. Ids compare case-insensitively; parentheses are ignored.
fn license_allowed(expression: &str, allowed: &[String]) -> bool {
    let cleaned = expression.replace(['(', ')'], " ");
    cleaned.split(" OR ").any(|alternative| {
        alternative.split(" AND ").all(|id| {
            let id = id.trim();
            !id.is_empty() && allowed.iter().any(|a| a.eq_ignore_ascii_case(id))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::DistFile;
    use corral_deps::advisory::Advisory;
    use corral_deps::typosquat::Mistake;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-06-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn page(name: &str, versions: &[(&str, i64)]) -> ProjectPage {
        ProjectPage {
            name: name.into(),
            upstream: "main".into(),
            fetched_at: now(),
            files: versions
                .iter()
                .map(|(v, days_old)| DistFile {
                    filename: format!("{name}-{v}-py3-none-any.whl"),
                    url: format!("http://127.0.0.1:9/{name}-{v}-py3-none-any.whl"),
                    version: Some(v.to_string()),
                    sha256: Some("0".repeat(64)),
                    requires_python: None,
                    yanked: None,
                    size: Some(10),
                    upload_time: Some(now() - Duration::days(*days_old)),
                    core_metadata: false,
                    core_metadata_sha256: None,
                })
                .collect(),
        }
    }

    fn policy(toml_text: &str) -> Policy {
        toml::from_str::<PolicyConfig>(toml_text)
            .unwrap()
            .compile()
            .unwrap()
    }

    fn advisory(id: &str, versions: &[&str], severity: Option<Severity>) -> Advisory {
        Advisory {
            id: id.into(),
            aliases: vec![],
            summary: "bad things".into(),
            severity,
            cvss_score: None,
            cvss_vector: None,
            malicious: id.starts_with("MAL-"),
            ranges: vec![],
            versions: versions.iter().map(|v| v.to_string()).collect(),
            modified: None,
        }
    }

    #[test]
    fn a_version_younger_than_the_minimum_age_is_held_back_with_its_age() {
        let p = policy("");
        let eval = p.evaluate(
            &page("demo", &[("1.0", 30), ("1.1", 2)]),
            &Facts::default(),
            now(),
        );
        let none = Approvals::default();
        assert!(eval.verdict(Some("1.0"), &none).served);
        let young = eval.verdict(Some("1.1"), &none);
        assert!(!young.served);
        assert_eq!(young.objections[0].rule, Rule::MinAge);
        assert!(
            young.objections[0].reason.contains("2 days ago")
                || young.objections[0].reason.contains("48 hours"),
            "{}",
            young.objections[0].reason
        );
        assert!(young.objections[0].reason.contains("7-day minimum"));
    }

    #[test]
    fn dry_run_records_the_objection_but_serves() {
        let p = policy("[modes]\nmin-age = \"dry-run\"\n");
        let eval = p.evaluate(&page("demo", &[("1.1", 1)]), &Facts::default(), now());
        let v = eval.verdict(Some("1.1"), &Approvals::default());
        assert!(v.served);
        assert_eq!(v.objections.len(), 1);
        assert_eq!(v.objections[0].mode, Mode::DryRun);
    }

    #[test]
    fn exempt_packages_skip_the_cooldown() {
        let p = policy("min_age_exempt = [\"acme-*\"]");
        let eval = p.evaluate(&page("acme-tools", &[("1.1", 1)]), &Facts::default(), now());
        assert!(eval.verdict(Some("1.1"), &Approvals::default()).served);
    }

    #[test]
    fn deny_list_entries_block_whole_projects_or_only_their_range() {
        let p = policy("deny = [\"evil-*\", \"demo<2\"]");
        let evil = p.evaluate(&page("evil-pkg", &[("1.0", 30)]), &Facts::default(), now());
        assert!(evil.project_blocked());
        let demo = p.evaluate(
            &page("demo", &[("1.0", 30), ("2.0", 30)]),
            &Facts::default(),
            now(),
        );
        assert!(!demo.project_blocked());
        assert!(!demo.verdict(Some("1.0"), &Approvals::default()).served);
        assert!(demo.verdict(Some("2.0"), &Approvals::default()).served);
    }

    #[test]
    fn the_allow_list_limits_names_and_ranges() {
        let p = policy("allow = [\"demo>=2\", \"other\"]");
        let stranger = p.evaluate(&page("stranger", &[("1.0", 30)]), &Facts::default(), now());
        assert!(stranger.project_blocked());
        assert!(stranger.project[0].reason.contains("allow-list"));
        let demo = p.evaluate(
            &page("demo", &[("1.0", 30), ("2.0", 30)]),
            &Facts::default(),
            now(),
        );
        assert!(!demo.verdict(Some("1.0"), &Approvals::default()).served);
        assert!(demo.verdict(Some("2.0"), &Approvals::default()).served);
    }

    #[test]
    fn malicious_records_block_named_versions_or_the_whole_project_and_resist_approval() {
        let p = policy("");
        let facts = Facts {
            advisories: vec![advisory("MAL-2026-1", &["1.1"], None)],
            ..Facts::default()
        };
        let eval = p.evaluate(&page("demo", &[("1.0", 30), ("1.1", 30)]), &facts, now());
        assert!(eval.verdict(Some("1.0"), &Approvals::default()).served);
        let bad = eval.verdict(
            Some("1.1"),
            &Approvals {
                project: true,
                versions: vec![],
            },
        );
        assert!(!bad.served);
        assert!(bad.objections[0].reason.contains("MAL-2026-1"));

        let whole = Facts {
            advisories: vec![advisory("MAL-2026-2", &[], None)],
            ..Facts::default()
        };
        assert!(
            p.evaluate(&page("demo", &[("1.0", 30)]), &whole, now())
                .project_blocked()
        );
    }

    #[test]
    fn vulnerable_versions_are_held_back_only_at_or_above_the_severity() {
        let p = policy("vulnerable_severity = \"high\"");
        let facts = Facts {
            advisories: vec![
                advisory("GHSA-aaaa", &["1.0"], Some(Severity::Critical)),
                advisory("GHSA-bbbb", &["2.0"], Some(Severity::Low)),
            ],
            ..Facts::default()
        };
        let eval = p.evaluate(&page("demo", &[("1.0", 30), ("2.0", 30)]), &facts, now());
        assert!(!eval.verdict(Some("1.0"), &Approvals::default()).served);
        assert!(eval.verdict(Some("2.0"), &Approvals::default()).served);
    }

    #[test]
    fn a_typosquat_is_quarantined_naming_what_it_imitates_until_approved() {
        let p = policy("");
        let facts = Facts {
            imitation: Some(Imitation {
                target: "requests".into(),
                target_rank: 6,
                mistake: Mistake::Transposition,
            }),
            ..Facts::default()
        };
        let eval = p.evaluate(&page("reqeusts", &[("1.0", 30)]), &facts, now());
        assert!(eval.project_blocked());
        assert!(eval.project[0].reason.contains("`requests`"));
        assert!(!eval.verdict(Some("1.0"), &Approvals::default()).served);
        let approved = eval.verdict(
            Some("1.0"),
            &Approvals {
                project: false,
                versions: vec!["1.0".into()],
            },
        );
        assert!(approved.served && approved.approved);
    }

    #[test]
    fn rules_switched_off_do_not_object() {
        let p = policy("[modes]\ntyposquat = \"off\"\nmin-age = \"off\"\n");
        let facts = Facts {
            imitation: Some(Imitation {
                target: "requests".into(),
                target_rank: 6,
                mistake: Mistake::Transposition,
            }),
            ..Facts::default()
        };
        let eval = p.evaluate(&page("reqeusts", &[("1.0", 1)]), &facts, now());
        assert_eq!(eval, Evaluation::default());
    }

    #[test]
    fn licences_are_checked_against_the_allowed_list() {
        let p = policy("licenses = [\"MIT\", \"Apache-2.0\"]");
        assert!(p.check_license("demo", "1.0", Some("MIT")).is_none());
        assert!(
            p.check_license("demo", "1.0", Some("GPL-3.0-only OR MIT"))
                .is_none()
        );
        let gpl = p
            .check_license("demo", "1.0", Some("GPL-3.0-only"))
            .unwrap();
        assert!(gpl.reason.contains("GPL-3.0-only"));
        assert!(p.check_license("demo", "1.0", None).is_some());
        assert!(
            policy("")
                .check_license("demo", "1.0", Some("GPL-3.0-only"))
                .is_none()
        );
    }

    #[test]
    fn invalid_entries_are_all_named() {
        let errors =
            toml::from_str::<PolicyConfig>("deny = [\"ok\", \"bad name!\"]\nallow = [\">=1\"]")
                .unwrap()
                .compile()
                .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().any(|e| e.entry == "bad name!"));
    }
}

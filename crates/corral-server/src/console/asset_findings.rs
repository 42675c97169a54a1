//! The scan side of an asset's page: its latest findings and its dependencies.
//!
//! Findings are shown as the store keeps them: already redacted when they were uploaded, so
//! a secret appears only as the rule that caught it and where, never as its value. The page
//! shows the rule, severity, file and line, when the finding was first and last seen and,
//! for resolved ones, when and how it went away. The title and message are not repeated
//! here: the title is the rule's, and the API has the rest for whoever needs it.
//!
//! Dependencies are the asset's stored inventory (its latest complete dependency scan), each
//! linking to the packages page ("who else uses this?"), with the advisories that currently
//! match the package in this asset. Both lists are bounded, so an asset with thousands of
//! findings or components still renders at once; the counts above them say how many there
//! are in all.

use corral_model::{Component, FindingRecord, FindingState, Resolution, Severity};
use corral_store::FindingQuery;
use uuid::Uuid;

use crate::console::badges::{self, Badge};
use crate::console::pager::{href, thousands};
use crate::console::time_text::{date, date_time};
use crate::error::ApiResult;
use crate::state::AppState;

/// Open findings listed; the most severe and most recently seen come first.
pub const OPEN_SHOWN: u32 = 50;
/// Resolved findings listed after the open ones, most severe and most recent first.
pub const RESOLVED_SHOWN: u32 = 10;
/// Dependencies listed.
pub const DEPENDENCIES_SHOWN: usize = 300;

/// One finding as a row.
pub struct FindingRow {
    pub severity: Badge,
    pub scanner: String,
    pub rule: String,
    pub title: String,
    pub location: String,
    pub first_seen: String,
    pub last_seen: String,
    /// `open`, or `fixed 2026-03-02` / `superseded 2026-03-02`.
    pub state: String,
    pub open: bool,
}

impl FindingRow {
    pub fn of(record: &FindingRecord) -> Self {
        let f = &record.finding;
        let state = match (record.resolution, record.resolved_at) {
            (None, _) => "open".to_string(),
            (Some(r), at) => {
                let word = match r {
                    Resolution::Fixed => "fixed",
                    Resolution::Superseded => "superseded",
                };
                match at {
                    Some(at) => format!("{word} {}", date(at)),
                    None => word.to_string(),
                }
            }
        };
        Self {
            severity: badges::severity(f.severity),
            scanner: f.scanner.clone(),
            rule: f.rule_id.clone(),
            title: f.title.clone(),
            location: if f.location.line > 0 {
                format!("{}:{}", f.location.path, f.location.line)
            } else {
                f.location.path.clone()
            },
            first_seen: date_time(record.first_seen),
            last_seen: date_time(record.last_seen),
            open: record.is_open(),
            state,
        }
    }
}

/// The findings panel of an asset.
pub struct FindingsPanel {
    /// Open findings per severity, most severe first, only those with some.
    pub open_counts: Vec<(Badge, String)>,
    pub open_total: u64,
    pub resolved_total: u64,
    pub rows: Vec<FindingRow>,
    /// "showing 50 of 120 open findings" when the list is cut.
    pub cut_note: Option<String>,
}

/// One dependency as a row.
pub struct DependencyRow {
    pub ecosystem: &'static str,
    pub name: String,
    pub href: String,
    /// The exact version, or the requirement, or `any version`.
    pub version: String,
    pub location: String,
    pub direct: bool,
    pub license: String,
    /// Ids of advisories matching this package in this asset now.
    pub advisories: Vec<String>,
}

/// The dependencies panel of an asset.
pub struct DependenciesPanel {
    /// When the inventory was stored, `None` before the first dependency scan.
    pub updated: Option<String>,
    pub total: u64,
    pub rows: Vec<DependencyRow>,
    pub cut_note: Option<String>,
    /// Advisories matching some dependency now.
    pub advisory_count: usize,
}

/// The version text of a declaration.
pub fn version_text(c: &Component) -> String {
    match (&c.version, &c.requirement) {
        (Some(v), _) => v.clone(),
        (None, Some(r)) if !r.trim().is_empty() => r.clone(),
        _ => "any version".into(),
    }
}

/// The packages page for one package.
pub fn package_href(c: &Component) -> String {
    href(
        "/packages",
        &[
            ("name", c.name.clone()),
            ("ecosystem", c.ecosystem.purl_type().to_string()),
        ],
    )
}

/// Loads the findings panel of `asset_id`: its open findings, then its latest resolved ones.
pub async fn findings_panel(state: &AppState, asset_id: Uuid) -> ApiResult<FindingsPanel> {
    let counts = state.store.open_finding_counts_of_asset(asset_id).await?;
    let open = state
        .store
        .findings(&FindingQuery {
            asset_id: Some(asset_id),
            state: FindingState::Open,
            limit: OPEN_SHOWN,
            ..FindingQuery::default()
        })
        .await?;
    let resolved = state
        .store
        .findings(&FindingQuery {
            asset_id: Some(asset_id),
            state: FindingState::Resolved,
            limit: RESOLVED_SHOWN,
            ..FindingQuery::default()
        })
        .await?;
    let open_counts = Severity::ALL
        .iter()
        .filter(|s| counts.get(**s) > 0)
        .map(|s| (badges::severity(*s), thousands(counts.get(*s))))
        .collect();
    let shown_open = open.items.len() as u64;
    let cut_note = (open.total > shown_open).then(|| {
        format!(
            "showing the {shown_open} most severe of {} open findings",
            thousands(open.total)
        )
    });
    let rows = open
        .items
        .iter()
        .chain(resolved.items.iter())
        .map(FindingRow::of)
        .collect();
    Ok(FindingsPanel {
        open_counts,
        open_total: open.total,
        resolved_total: resolved.total,
        rows,
        cut_note,
    })
}

/// Loads the dependencies panel of `asset_id`, marking packages with open advisory matches.
pub async fn dependencies_panel(state: &AppState, asset_id: Uuid) -> ApiResult<DependenciesPanel> {
    let Some(stored) = state.store.inventory_state(asset_id).await? else {
        return Ok(DependenciesPanel {
            updated: None,
            total: 0,
            rows: Vec::new(),
            cut_note: None,
            advisory_count: 0,
        });
    };
    let items = state.store.inventory(asset_id).await?;
    let matches = state.store.open_matches_of_asset(asset_id).await?;
    let total = items.len() as u64;
    let rows: Vec<DependencyRow> = items
        .iter()
        .take(DEPENDENCIES_SHOWN)
        .map(|item| {
            let c = &item.component;
            DependencyRow {
                ecosystem: c.ecosystem.as_str(),
                name: c.name.clone(),
                href: package_href(c),
                version: version_text(c),
                location: match c.line {
                    Some(line) => format!("{}:{line}", c.path),
                    None => c.path.clone(),
                },
                direct: c.direct,
                license: c.license.clone().unwrap_or_default(),
                advisories: matches
                    .iter()
                    .filter(|m| m.ecosystem == c.ecosystem && m.package == item.package)
                    .map(|m| m.advisory_id.clone())
                    .collect(),
            }
        })
        .collect();
    let cut_note = (total > rows.len() as u64).then(|| {
        format!(
            "showing the first {} of {} dependencies",
            rows.len(),
            thousands(total)
        )
    });
    Ok(DependenciesPanel {
        updated: Some(date_time(stored.updated_at)),
        total,
        rows,
        cut_note,
        advisory_count: matches.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use corral_model::{ComponentSource, Confidence, Ecosystem, Finding, FindingOrigin, Location};

    fn record(resolution: Option<Resolution>) -> FindingRecord {
        let at = DateTime::parse_from_rfc3339("2026-03-02T14:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        FindingRecord {
            asset_id: Uuid::nil(),
            origin: FindingOrigin::Scan,
            first_seen: at,
            last_seen: at,
            resolved_at: resolution.map(|_| at),
            resolution,
            first_scan: None,
            last_scan: None,
            finding: Finding {
                scanner: "secrets".into(),
                rule_id: "github-pat".into(),
                title: "GitHub token".into(),
                severity: Severity::Critical,
                confidence: Confidence::High,
                location: Location::new("sync.py", 12, 5),
                cwe: vec![],
                tags: vec![],
                message: "a GitHub token".into(),
                fix: None,
                fingerprint: "f1".into(),
                secret: None,
                snippet: None,
                details: Default::default(),
            },
        }
    }

    #[test]
    fn a_finding_row_says_where_and_whether_it_is_still_open() {
        let open = FindingRow::of(&record(None));
        assert_eq!(open.location, "sync.py:12");
        assert_eq!(open.state, "open");
        assert!(open.open);
        assert_eq!(open.severity.label, "critical");
        let fixed = FindingRow::of(&record(Some(Resolution::Fixed)));
        assert_eq!(fixed.state, "fixed 2026-03-02");
        assert!(!fixed.open);
    }

    #[test]
    fn a_dependency_shows_its_version_or_requirement_and_links_to_its_package() {
        let mut c = Component {
            ecosystem: Ecosystem::PyPI,
            name: "Requests".into(),
            version: None,
            requirement: Some(">=2.0".into()),
            source: ComponentSource::Manifest,
            path: "requirements.txt".into(),
            line: Some(3),
            direct: true,
            license: None,
        };
        assert_eq!(version_text(&c), ">=2.0");
        assert_eq!(package_href(&c), "/packages?name=Requests&ecosystem=pypi");
        c.version = Some("2.31.0".into());
        assert_eq!(version_text(&c), "2.31.0");
        c.version = None;
        c.requirement = None;
        assert_eq!(version_text(&c), "any version");
    }
}

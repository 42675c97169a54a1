//! `/packages`: "who uses package X?" across every stored dependency inventory.
//!
//! The search is the API's (`routes::packages::package_usage`): the name in any spelling
//! its ecosystem treats as the same, optionally one ecosystem, optionally a version range in
//! that ecosystem's syntax (PEP 440 for PyPI, npm's SemVer ranges), parsed by the dependency
//! scanner's own version code. Each declaration is listed with its asset, the asset's owners
//! and department, the version or requirement and where it is declared, and whether it is
//! certainly in the range (an exact version) or only possibly (a requirement that admits
//! versions in it). A name or range that cannot be read is named above the form, the way
//! the asset list names a filter it left out.
//!
//! Beside the answer, the advisories that currently match the package in stored inventories
//! (one indexed lookup per ecosystem); without a search, the page lists the packages that
//! have such advisories, so "what is affected right now?" is the page's first question.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use corral_client::wire::{PackageQuery, RangeMatch};
use corral_model::{Action, Severity};

use crate::console::asset_findings::version_text;
use crate::console::badges::{self, Badge};
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{Pager, href, thousands};
use crate::console::session::ConsoleUser;
use crate::error::{ApiError, ApiResult};
use crate::routes::packages::{package_usage, searched_ecosystems};
use crate::state::AppState;

/// Declarations per page.
pub const PER_PAGE: u32 = 50;
/// Packages with open advisories listed on the page without a search.
const AFFECTED_SHOWN: usize = 100;

/// One declaration of the package.
pub struct UseRow {
    pub asset: String,
    pub asset_href: String,
    pub department: String,
    pub owner: String,
    pub owner_href: String,
    pub backup: Option<String>,
    pub ecosystem: &'static str,
    pub declared_as: String,
    pub version: String,
    pub location: String,
    pub direct: bool,
    /// `in range`, `possibly in range`, or empty without a range.
    pub fit: &'static str,
    pub fit_class: &'static str,
}

/// One advisory affecting the package somewhere.
pub struct AdvisoryRow {
    pub id: String,
    pub aliases: String,
    pub severity: Badge,
    pub ecosystem: &'static str,
    pub package: String,
    pub assets: u64,
}

/// A package with an open advisory, linking to its search.
pub struct AffectedPackage {
    pub ecosystem: &'static str,
    pub name: String,
    pub href: String,
}

/// A choice of ecosystem in the form.
pub struct EcosystemChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "packages.html")]
struct PackagesPage {
    chrome: Chrome,
    name: String,
    range: String,
    ecosystems: Vec<EcosystemChoice>,
    searched: bool,
    problems: Vec<String>,
    rows: Vec<UseRow>,
    total: String,
    assets: String,
    pager: Pager,
    advisories: Vec<AdvisoryRow>,
    affected: Vec<AffectedPackage>,
    affected_more: bool,
}

/// What a refused search says, field by field.
fn problems_of(err: &ApiError) -> Vec<String> {
    if err.detail.fields.is_empty() {
        vec![err.detail.message.clone()]
    } else {
        err.detail
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.rule))
            .collect()
    }
}

fn fit(range_match: RangeMatch) -> (&'static str, &'static str) {
    match range_match {
        RangeMatch::Any => ("", ""),
        RangeMatch::Exact => ("in range", "badge severity-high"),
        RangeMatch::Possible => ("possibly in range", "badge severity-low"),
    }
}

/// The open advisories of the package in stored inventories, one row per advisory and
/// ecosystem, most severe first, with how many assets each affects.
async fn advisories_of(
    state: &AppState,
    name: &str,
    ecosystem: &str,
) -> ApiResult<Vec<AdvisoryRow>> {
    let Ok(ecosystems) = searched_ecosystems(Some(ecosystem)) else {
        return Ok(Vec::new());
    };
    let mut by_advisory: BTreeMap<(String, &'static str), (AdvisoryRow, Severity)> =
        BTreeMap::new();
    for ecosystem in ecosystems {
        let package = corral_deps::name::normalize(ecosystem, name);
        for m in state.store.matches_of_package(ecosystem, &package).await? {
            if m.fixed_at.is_some() {
                continue;
            }
            let entry = by_advisory
                .entry((m.advisory_id.clone(), ecosystem.as_str()))
                .or_insert_with(|| {
                    (
                        AdvisoryRow {
                            id: m.advisory_id.clone(),
                            aliases: m
                                .ids
                                .iter()
                                .filter(|id| **id != m.advisory_id)
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", "),
                            severity: badges::severity(m.severity),
                            ecosystem: ecosystem.as_str(),
                            package: m.package.clone(),
                            assets: 0,
                        },
                        m.severity,
                    )
                });
            entry.0.assets += 1;
        }
    }
    let mut rows: Vec<(AdvisoryRow, Severity)> = by_advisory.into_values().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    Ok(rows.into_iter().map(|(row, _)| row).collect())
}

/// `GET /packages`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let name = params.value("name").trim().to_string();
    let range = params.value("range").trim().to_string();
    let ecosystem = params.value("ecosystem").trim().to_ascii_lowercase();
    let mut problems = Vec::new();
    let page = match params.value("page").as_str() {
        "" => 1,
        text => match text.parse::<u32>() {
            Ok(p) if p >= 1 => p,
            _ => {
                problems.push(format!(
                    "page: `{text}` is not a page number; showing the first"
                ));
                1
            }
        },
    };
    let ecosystems = [("", "PyPI and npm"), ("pypi", "PyPI"), ("npm", "npm")]
        .into_iter()
        .map(|(value, label)| EcosystemChoice {
            value,
            label,
            selected: value == ecosystem,
        })
        .collect();
    let keep = [
        ("name", name.clone()),
        ("ecosystem", ecosystem.clone()),
        ("range", range.clone()),
    ];
    let searched = !name.is_empty();
    let mut rows = Vec::new();
    let (mut total, mut assets) = (0, 0);
    let mut advisories = Vec::new();
    let (mut affected, mut affected_more) = (Vec::new(), false);
    if searched {
        let asked = PackageQuery {
            name: name.clone(),
            ecosystem: Some(ecosystem.clone()),
            range: Some(range.clone()),
            page: Some(page),
            per_page: Some(PER_PAGE),
        };
        match package_usage(&state, &asked).await {
            Ok(usage) => {
                total = usage.total;
                assets = usage.assets;
                rows = usage
                    .items
                    .iter()
                    .map(|view| {
                        let u = &view.package_use;
                        let c = &u.component;
                        let (fit, fit_class) = fit(view.range_match);
                        UseRow {
                            asset: u.asset.asset_name.clone(),
                            asset_href: format!("/assets/{}", u.asset.asset_id),
                            department: u.asset.department.clone(),
                            owner: u.asset.owner_email.clone(),
                            owner_href: format!("/people/{}", u.asset.owner_email),
                            backup: u.asset.backup_owner_email.clone(),
                            ecosystem: c.ecosystem.as_str(),
                            declared_as: c.name.clone(),
                            version: version_text(c),
                            location: match c.line {
                                Some(line) => format!("{}:{line}", c.path),
                                None => c.path.clone(),
                            },
                            direct: c.direct,
                            fit,
                            fit_class,
                        }
                    })
                    .collect();
            }
            Err(err) if err.status.is_client_error() => problems.extend(problems_of(&err)),
            Err(err) => return Err(err.into()),
        }
        advisories = advisories_of(&state, &name, &ecosystem).await?;
    } else {
        let matched = state.store.matched_packages().await?;
        affected_more = matched.len() > AFFECTED_SHOWN;
        affected = matched
            .into_iter()
            .take(AFFECTED_SHOWN)
            .map(|(ecosystem, package)| AffectedPackage {
                ecosystem: ecosystem.as_str(),
                href: href(
                    "/packages",
                    &[
                        ("name", package.clone()),
                        ("ecosystem", ecosystem.purl_type().to_string()),
                    ],
                ),
                name: package,
            })
            .collect();
    }
    let pager = Pager::new("/packages", &keep, page, PER_PAGE, total);
    let title = if searched {
        format!("Who uses {name}")
    } else {
        "Packages".to_string()
    };
    Ok(render(
        StatusCode::OK,
        &PackagesPage {
            chrome: Chrome::new(&user, Section::Packages, title),
            name,
            range,
            ecosystems,
            searched,
            problems,
            rows,
            total: thousands(total),
            assets: thousands(assets),
            pager,
            advisories,
            affected,
            affected_more,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::validation::{FieldError, ValidationErrors};

    #[test]
    fn a_refused_search_names_each_field_it_could_not_read() {
        let err = ApiError::validation(ValidationErrors(vec![FieldError {
            field: "range".into(),
            rule: "`>>2` is not a PyPI version range".into(),
        }]));
        assert_eq!(
            problems_of(&err),
            ["range: `>>2` is not a PyPI version range"]
        );
        let plain = ApiError::bad_request("no such thing");
        assert_eq!(problems_of(&plain), ["no such thing"]);
    }

    #[test]
    fn declarations_say_whether_they_are_certainly_or_possibly_in_the_range() {
        assert_eq!(fit(RangeMatch::Exact).0, "in range");
        assert_eq!(fit(RangeMatch::Possible).0, "possibly in range");
        assert_eq!(fit(RangeMatch::Any).0, "");
    }
}

//! `/api/v1/packages`: "who uses package X [in versions Y]?" across every stored inventory.
//!
//! The name is normalised as its ecosystem compares names, so any spelling finds every
//! declaration. The optional range is written in the ecosystem's own syntax and parsed by the
//! dependency scanner's version code (PEP 440 for PyPI, npm's SemVer ranges): a declaration
//! with an exact version matches when the version is in the range; one with only a
//! requirement matches as *possible* when the requirement admits a version in the range
//! (tried at the lower bounds either names, or the lowest version when one names none), and
//! one with no requirement at all always does, since any version may be installed.

use axum::Json;
use axum::extract::State;
use corral_client::wire::{ErrorBody, PackageQuery, PackageUsage, PackageUseView, RangeMatch};
use corral_deps::parse::is_direct_reference;
use corral_deps::version::{Requirement, Version};
use corral_model::{Action, Component, Ecosystem};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::routes::paging::Paging;
use crate::state::AppState;

/// The lowest version of an ecosystem.
fn lowest(ecosystem: Ecosystem) -> Option<Version> {
    match ecosystem {
        Ecosystem::PyPI => Version::parse(ecosystem, "0"),
        Ecosystem::Npm => Version::parse(ecosystem, "0.0.0"),
    }
}

/// How `c` relates to `range` (already parsed for `c`'s ecosystem); `None` when outside it.
pub fn range_match(c: &Component, range: Option<&Requirement>) -> Option<RangeMatch> {
    declared_range_match(
        c.ecosystem,
        c.version.as_deref(),
        c.requirement.as_deref(),
        range,
    )
}

/// [`range_match`] on what decides it: the exact version and the declared requirement.
pub fn declared_range_match(
    ecosystem: Ecosystem,
    version: Option<&str>,
    requirement: Option<&str>,
    range: Option<&Requirement>,
) -> Option<RangeMatch> {
    let Some(range) = range else {
        return Some(RangeMatch::Any);
    };
    if let Some(version) = version {
        return match Version::parse(ecosystem, version) {
            Some(v) if range.contains(&v) => Some(RangeMatch::Exact),
            _ => None,
        };
    }
    let Some(text) = requirement.filter(|r| !r.trim().is_empty()) else {
        return Some(RangeMatch::Possible);
    };
    if is_direct_reference(text) {
        return None;
    }
    let requirement = Requirement::parse(ecosystem, text)?;
    let mut candidates = range.lower_bounds();
    candidates.extend(requirement.lower_bounds());
    candidates.extend(lowest(ecosystem));
    candidates
        .iter()
        .any(|v| range.contains(v) && requirement.contains(v))
        .then_some(RangeMatch::Possible)
}

/// Who uses a package: every declaration in every stored inventory, with the asset and its
/// owners, optionally only versions in a range.
#[utoipa::path(get, path = "/api/v1/packages", tag = "scans",
    params(PackageQuery),
    responses((status = 200, body = PackageUsage), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PackageQuery>,
) -> ApiResult<Json<PackageUsage>> {
    caller.require(Action::ViewAssets)?;
    Ok(Json(package_usage(&state, &query).await?))
}

/// The ecosystems a search covers: the one asked for, or both when none is.
pub fn searched_ecosystems(asked: Option<&str>) -> ApiResult<Vec<Ecosystem>> {
    match asked.map(str::trim) {
        None | Some("") => Ok(vec![Ecosystem::PyPI, Ecosystem::Npm]),
        Some(text) => Ok(vec![text.parse().map_err(
            |e: corral_model::component::UnknownEcosystem| {
                ApiError::field("ecosystem", e.to_string())
            },
        )?]),
    }
}

/// Who uses a package, as the API answers it and the console's packages page shows it. The
/// caller has checked that the person may see assets.
pub async fn package_usage(state: &AppState, query: &PackageQuery) -> ApiResult<PackageUsage> {
    let name = query.name.trim();
    if name.is_empty() {
        return Err(ApiError::field(
            "name",
            "is required: the package to look for",
        ));
    }
    let paging = Paging::of(query.page, query.per_page, 50, 500)?;
    let ecosystems = searched_ecosystems(query.ecosystem.as_deref())?;
    let asked = (ecosystems.len() == 1).then(|| ecosystems[0]);
    let range_text = query
        .range
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mut ranges = Vec::new();
    for &ecosystem in &ecosystems {
        let parsed = match range_text {
            None => None,
            Some(text) => match Requirement::parse(ecosystem, text) {
                Some(r) => Some(r),
                // A range only one of two ecosystems reads is fine when both are searched.
                None if asked.is_none() => continue,
                None => {
                    return Err(ApiError::field(
                        "range",
                        format!("`{text}` is not a {ecosystem} version range"),
                    ));
                }
            },
        };
        ranges.push((ecosystem, parsed));
    }
    if ranges.is_empty() {
        return Err(ApiError::field(
            "range",
            format!(
                "`{}` is not a version range of PyPI or npm",
                range_text.unwrap_or("")
            ),
        ));
    }
    let mut items = Vec::new();
    let (mut total, mut assets) = (0, 0);
    let single = ranges.len() == 1;
    for (ecosystem, range) in &ranges {
        let package = corral_deps::name::normalize(*ecosystem, name);
        let keep = |version: Option<&str>, requirement: Option<&str>| {
            declared_range_match(*ecosystem, version, requirement, range.as_ref()).is_some()
        };
        // One ecosystem pages in the store; two are merged here and paged after.
        let (limit, offset) = if single {
            (paging.per_page, paging.offset())
        } else {
            (u32::MAX, 0)
        };
        let page = state
            .store
            .package_uses(*ecosystem, &package, keep, limit, offset)
            .await?;
        total += page.total;
        assets += page.assets;
        items.extend(page.items.into_iter().map(|package_use| PackageUseView {
            range_match:
                range_match(&package_use.component, range.as_ref()).unwrap_or(RangeMatch::Any),
            package_use,
        }));
    }
    if !single {
        items = items
            .into_iter()
            .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
            .take(paging.per_page as usize)
            .collect();
    }
    Ok(PackageUsage {
        name: name.to_string(),
        range: range_text.map(str::to_string),
        items,
        total,
        assets,
        page: paging.page,
        per_page: paging.per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::ComponentSource;

    fn component(version: Option<&str>, requirement: Option<&str>) -> Component {
        Component {
            ecosystem: Ecosystem::PyPI,
            name: "requests".into(),
            version: version.map(Into::into),
            requirement: requirement.map(Into::into),
            source: ComponentSource::Manifest,
            path: "requirements.txt".into(),
            line: Some(1),
            direct: true,
            license: None,
        }
    }

    #[test]
    fn exact_versions_match_inside_the_range_and_requirements_when_they_overlap_it() {
        let range = Requirement::parse(Ecosystem::PyPI, "<2.31").unwrap();
        let r = Some(&range);
        assert_eq!(
            range_match(&component(Some("2.19.0"), None), r),
            Some(RangeMatch::Exact)
        );
        assert_eq!(range_match(&component(Some("2.31.0"), None), r), None);
        assert_eq!(
            range_match(&component(None, Some(">=2.0")), r),
            Some(RangeMatch::Possible)
        );
        assert_eq!(
            range_match(&component(None, Some("<2.0")), r),
            Some(RangeMatch::Possible)
        );
        assert_eq!(range_match(&component(None, Some(">=3")), r), None);
        assert_eq!(
            range_match(&component(None, None), r),
            Some(RangeMatch::Possible)
        );
        assert_eq!(
            range_match(&component(None, Some("git+https://example.com/r.git")), r),
            None
        );
        assert_eq!(
            range_match(&component(Some("1.0"), None), None),
            Some(RangeMatch::Any)
        );
    }
}

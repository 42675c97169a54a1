//! The rules the dependency scanner reports, for SARIF metadata and `corral rules`.

use corral_model::{RuleInfo, Severity};

pub const SCANNER: &str = "deps";
pub const VULNERABLE: &str = "deps-vulnerable";
pub const MALICIOUS: &str = "deps-malicious";
pub const NONEXISTENT: &str = "deps-nonexistent";
pub const TYPOSQUAT: &str = "deps-typosquat";
pub const TOO_NEW: &str = "deps-too-new";
pub const NOT_ALLOWED: &str = "deps-not-allowed";
pub const UNPINNED: &str = "deps-unpinned";
pub const UNPINNED_SOURCE: &str = "deps-unpinned-source";
pub const UNDECLARED: &str = "deps-undeclared";
pub const CHECK_SKIPPED: &str = "deps-check-skipped";

fn rule(
    id: &str,
    title: &str,
    severity: Severity,
    cwe: &[u32],
    description: &str,
    help: &str,
) -> RuleInfo {
    RuleInfo {
        id: id.into(),
        scanner: SCANNER.into(),
        title: title.into(),
        description: description.into(),
        help: help.into(),
        severity,
        cwe: cwe.to_vec(),
        tags: vec!["dependencies".into(), "supply-chain".into()],
    }
}

/// Every rule of the dependency scanner.
pub fn all() -> Vec<RuleInfo> {
    vec![
        rule(
            VULNERABLE,
            "Dependency with a known vulnerability",
            Severity::High,
            &[1395],
            "The installed (or admissible) version of this package is affected by a published advisory (OSV: PYSEC, GHSA, CVE). Severity comes from the advisory's CVSS vector when it has one.",
            "Upgrade to the fixed version named in the finding, or pin a version outside the affected range.",
        ),
        rule(
            MALICIOUS,
            "Known-malicious package",
            Severity::Critical,
            &[506],
            "The package is listed as malicious (an OSV `MAL-` record): installing it runs an attacker's code.",
            "Remove the dependency, treat every machine that installed it as compromised, and rotate credentials it could reach.",
        ),
        rule(
            NONEXISTENT,
            "Package does not exist",
            Severity::Critical,
            &[1357],
            "No package of this name exists in the ecosystem's index. AI assistants invent plausible names, and attackers register the names they keep inventing (slopsquatting): whoever registers it next controls what this project installs.",
            "Find the package that really provides the functionality (the finding may name a similar popular one) and depend on that.",
        ),
        rule(
            TYPOSQUAT,
            "Possible typosquat of a popular package",
            Severity::High,
            &[1357],
            "The name is one plausible mistake (a typo, look-alike characters, a separator, an added prefix or suffix, swapped words) away from a much more popular package, the pattern typosquatting attacks use.",
            "Check that this is the package you meant; if not, replace it with the popular package named in the finding.",
        ),
        rule(
            TOO_NEW,
            "Package or version published very recently",
            Severity::Medium,
            &[1357],
            "The package (or this version of it) is younger than the configured minimum age. Malicious packages and hijacked releases are usually found and removed within days.",
            "Wait until the release is older than the minimum age, or pin an older version.",
        ),
        rule(
            NOT_ALLOWED,
            "Package not on the allow-list",
            Severity::Medium,
            &[1357],
            "The organisation allows only approved packages, and this one is not on the list.",
            "Use an approved package, or ask for this one to be reviewed and added to `[deps] allow`.",
        ),
        rule(
            UNPINNED,
            "Dependency without an exact version",
            Severity::Low,
            &[1104],
            "No lockfile or exact pin fixes the version, so a new (possibly compromised or broken) release is installed silently.",
            "Pin exact versions (`==` or a lockfile such as uv.lock or package-lock.json).",
        ),
        rule(
            UNPINNED_SOURCE,
            "Dependency installed from a VCS or URL",
            Severity::Medium,
            &[1104, 829],
            "The dependency comes from a Git repository, an archive URL or an editable checkout instead of the package index, bypassing the index's and the package gate's controls.",
            "Publish the package to the organisation's index and depend on a pinned version of it.",
        ),
        rule(
            UNDECLARED,
            "Import not declared in the project's manifest",
            Severity::Medium,
            &[1104],
            "A script imports a third-party package that the manifest or lockfile covering its directory does not declare. Whoever runs the script installs it by hand, at whatever version (or whatever similarly named package) they find, and the project's pins, reviews and package gate never see it.",
            "Declare the package in the manifest named in the finding (and lock it), or remove the import.",
        ),
        rule(
            CHECK_SKIPPED,
            "Dependency check not performed",
            Severity::Info,
            &[],
            "A check could not run because its data is missing (for example no package-index snapshot for existence checks).",
            "Run `corral db update` (or `corral db import` / `corral db import-names`) to load the data.",
        ),
    ]
}

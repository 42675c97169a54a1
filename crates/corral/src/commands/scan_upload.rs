//! `corral scan --upload`: sending the scan's report to a Corral server for an asset.
//!
//! The asset is `--asset` (an id or a name), or else the name in the `[asset]` table of the
//! repository's descriptor: the first `corral.toml` found from the scanned directory upwards,
//! stopping at the repository root (the directory holding `.git`). Without either, the
//! command stops before scanning with a usage error.
//!
//! The server is the one every remote command talks to (`--server` / `CORRAL_SERVER`, token
//! in `CORRAL_TOKEN`). The uploaded report is the whole scan, before any `--baseline` is
//! applied, so the server sees every finding and can tell what was fixed; staged and history
//! scans are uploaded as partial, so what they do not cover is not marked fixed. The scan's
//! own output and exit code do not change; the upload's result goes to stderr after it, and
//! a failed upload makes the exit code 2.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corral_client::{ServerArgs, block_on, describe_error};
use corral_model::Report;

/// The file name of a repository descriptor.
const DESCRIPTOR: &str = "corral.toml";

#[derive(serde::Deserialize)]
struct DescriptorFile {
    asset: Option<DescriptorAsset>,
}

#[derive(serde::Deserialize)]
struct DescriptorAsset {
    name: Option<String>,
}

/// The asset an upload is for: `given`, or the descriptor's name (see the module docs).
pub fn asset_for_upload(given: Option<&str>, roots: &[PathBuf]) -> Result<String> {
    if let Some(asset) = given.map(str::trim).filter(|a| !a.is_empty()) {
        return Ok(asset.to_string());
    }
    let start = match roots.first() {
        Some(root) if root.is_dir() => root.clone(),
        Some(root) => root
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        None => PathBuf::from("."),
    };
    let start = start.canonicalize().unwrap_or(start);
    let Some(path) = find_descriptor(&start) else {
        bail!(
            "--upload needs to know which asset the scan is for: pass --asset ID (or name), \
             or add an [asset] table with a name to the repository's {DESCRIPTOR}\n  \
             note: no {DESCRIPTOR} was found from {} up to the repository root",
            start.display()
        );
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file: DescriptorFile =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))?;
    match file
        .asset
        .and_then(|a| a.name)
        .map(|n| n.trim().to_string())
    {
        Some(name) if !name.is_empty() => Ok(name),
        _ => bail!(
            "{} has no [asset] name, so --upload does not know which asset the scan is for\n  \
             help: add `name = \"…\"` under [asset] (as `corral register --descriptor` reads \
             it), or pass --asset",
            path.display()
        ),
    }
}

/// The first descriptor from `dir` upwards, stopping at the repository root.
fn find_descriptor(dir: &Path) -> Option<PathBuf> {
    let mut at = Some(dir);
    while let Some(dir) = at {
        let candidate = dir.join(DESCRIPTOR);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
        at = dir.parent();
    }
    None
}

/// Uploads `report` for `asset`; prints the outcome (unless `quiet`) or the failure on
/// stderr. Returns whether it was stored.
pub fn upload(
    server: &ServerArgs,
    asset: &str,
    report: &Report,
    partial: bool,
    quiet: bool,
) -> bool {
    let client = match server.client() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("upload failed: the report was not sent");
            eprint!("{}", describe_error(&err));
            return false;
        }
    };
    let base = client.base_url().to_string();
    match block_on(client.upload_scan(asset, report, partial)) {
        Ok(outcome) => {
            if !quiet {
                let s = &outcome.scan.summary;
                eprintln!(
                    "uploaded to {base} for asset `{asset}` (scan {}): {} new, {} fixed, {} \
                     reopened{}",
                    outcome.scan.id,
                    s.opened,
                    s.fixed,
                    s.reopened,
                    if partial { " (partial scan)" } else { "" }
                );
                if !outcome.screened.is_empty() {
                    eprintln!(
                        "  the server left out {} field(s) that could hold a secret: {}",
                        outcome.screened.len(),
                        outcome.screened.join(", ")
                    );
                }
                let a = &outcome.advisories;
                if !a.matched.is_empty() {
                    eprintln!(
                        "  affected by advisories on the server: {}",
                        a.matched.join(", ")
                    );
                }
                if !a.fixed.is_empty() {
                    eprintln!("  no longer affected by: {}", a.fixed.join(", "));
                }
            }
            true
        }
        Err(err) => {
            eprintln!("upload failed: the scan above was not stored on {base}");
            eprint!("{}", describe_error(&err));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_descriptor_is_found_above_the_scanned_directory_but_not_past_the_repository() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(repo.path().join(".git")).unwrap();
        std::fs::create_dir_all(repo.path().join("src/jobs")).unwrap();
        std::fs::write(
            repo.path().join(DESCRIPTOR),
            "[asset]\nname = \"lead-scoring\"\npurpose = \"x\"\n",
        )
        .unwrap();
        let nested = vec![repo.path().join("src/jobs")];
        assert_eq!(asset_for_upload(None, &nested).unwrap(), "lead-scoring");
        assert_eq!(
            asset_for_upload(Some("0190-given"), &nested).unwrap(),
            "0190-given"
        );

        let bare = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(bare.path().join(".git")).unwrap();
        let err = asset_for_upload(None, &[bare.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("--asset"), "{err}");

        std::fs::write(bare.path().join(DESCRIPTOR), "[scan]\nfail_on = \"high\"\n").unwrap();
        let err = asset_for_upload(None, &[bare.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("no [asset] name"), "{err}");
    }
}

//! Runs the scanner over an in-memory repository the way the scan driver does.

use std::collections::BTreeMap;

use corral_license::LicenseScanner;
use corral_model::{ScanOutput, Scanner, SourceFile};

pub fn scan_repo(scanner: &LicenseScanner, files: &BTreeMap<String, String>) -> ScanOutput {
    scan_repo_with(scanner, files, ScanOutput::default())
}

/// Like [`scan_repo`], starting from `seed` (components other scanners found).
pub fn scan_repo_with(
    scanner: &LicenseScanner,
    files: &BTreeMap<String, String>,
    seed: ScanOutput,
) -> ScanOutput {
    let mut merged = seed;
    for (path, content) in files {
        if !scanner.wants(path) {
            continue;
        }
        let mut out = ScanOutput::default();
        scanner.scan_file(&SourceFile::whole(path, content.as_bytes()), &mut out);
        merged.append(out);
    }
    scanner.finish(&mut merged);
    merged
}

//! Runs the scanner over an in-memory repository the way the scan driver does: every file
//! the scanner wants goes through `scan_file`, the outputs are merged, then `finish` runs.

use std::collections::BTreeMap;

use corral_aiconfig::AiConfigScanner;
use corral_model::{ScanOutput, Scanner, SourceFile};

pub fn scan_repo(scanner: &AiConfigScanner, files: &BTreeMap<String, String>) -> ScanOutput {
    let mut merged = ScanOutput::default();
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

//! Scans a directory tree with the code scanner alone and prints a JSON report, in the same
//! shape `corral scan --only code --format json` produces.
//!
//! Used by the benchmarks in `bench/code/` (files are scanned in parallel, as the driver
//! does) and handy for trying rules:
//!
//! ```sh
//! cargo run --release -p corral-code --example code-scan -- path/to/tree [--rules extra/]
//! ```

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use corral_code::{CodeScanner, RuleSources};
use corral_model::{Report, ScanOutput, Scanner, SourceFile};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut roots = Vec::new();
    let mut sources = RuleSources::builtin();
    while let Some(a) = args.next() {
        if a == "--rules" {
            let Some(dir) = args.next() else {
                eprintln!("error: --rules needs a directory");
                std::process::exit(2);
            };
            if let Err(e) = sources.add_dir(&PathBuf::from(dir)) {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        } else {
            roots.push(a);
        }
    }
    if roots.is_empty() {
        eprintln!("usage: code-scan <path>... [--rules <dir>]");
        std::process::exit(2);
    }
    let scanner = match CodeScanner::with_rules(&sources) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let mut files = Vec::new();
    for root in &roots {
        for entry in ignore::WalkBuilder::new(root).build().flatten() {
            if entry.file_type().is_some_and(|t| t.is_file()) {
                let path = entry.path().to_path_buf();
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if scanner.wants(&rel) {
                    files.push((path, rel));
                }
            }
        }
    }
    let merged = Mutex::new(ScanOutput::default());
    let bytes = std::sync::atomic::AtomicU64::new(0);
    files.par_iter().for_each(|(path, rel)| {
        let Ok(content) = std::fs::read(path) else {
            return;
        };
        bytes.fetch_add(content.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let mut out = ScanOutput::default();
        scanner.scan_file(&SourceFile::whole(rel, &content), &mut out);
        merged
            .lock()
            .expect("no panics while holding the lock")
            .append(out);
    });
    let out = merged
        .into_inner()
        .expect("no panics while holding the lock");
    let mut report = Report::new(env!("CARGO_PKG_VERSION"), chrono::Utc::now());
    report.roots = roots;
    report.scanners = vec!["code".into()];
    report.stats.files_scanned = files.len() as u64;
    report.stats.bytes_scanned = bytes.into_inner();
    report.findings = out.findings;
    report.findings.sort_by(|a, b| {
        (&a.location.path, a.location.line, &a.rule_id).cmp(&(
            &b.location.path,
            b.location.line,
            &b.rule_id,
        ))
    });
    report.errors = out.errors;
    report.duration_ms = started.elapsed().as_millis() as u64;
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("reports serialise")
    );
}

//! Scans a directory tree with the secrets engine alone and prints a JSON report.
//!
//! `corral scan --only secrets --format json` is the real command; this example exists so
//! the engine can be measured and evaluated on its own (bench/secrets/), with the same walker
//! the driver uses (`ignore`, parallel, honouring .gitignore) and the same report schema.
//!
//!     cargo run --release -p corral-secrets --example scan_dir -- <dir> [--rules FILE [--replace]]

use std::io::{Read, Write};
use std::sync::Mutex;

use corral_model::{Report, ScanOutput, Scanner, SourceFile};
use corral_secrets::SecretsScanner;

/// Files larger than this are skipped, as the driver does by default.
const MAX_FILE: u64 = 10 * 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: scan_dir <dir> [--rules gitleaks.toml [--replace]]");
        std::process::exit(2);
    };
    let mut scanner = SecretsScanner::builtin().unwrap_or_else(|e| fail(&e.to_string()));
    if let Some(i) = args.iter().position(|a| a == "--rules") {
        let path = args
            .get(i + 1)
            .unwrap_or_else(|| fail("--rules needs a file"));
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        let replace = args.iter().any(|a| a == "--replace");
        scanner = scanner
            .with_gitleaks_rules_from(path, &text, replace)
            .unwrap_or_else(|e| fail(&e.to_string()));
    }
    let started = chrono::Utc::now();
    let clock = std::time::Instant::now();
    let merged = Mutex::new((ScanOutput::default(), 0u64, 0u64));
    let root_path = std::path::Path::new(root);
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .build_parallel()
        .run(|| {
            let scanner = &scanner;
            let merged = &merged;
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return ignore::WalkState::Continue;
                }
                let Ok(meta) = entry.metadata() else {
                    return ignore::WalkState::Continue;
                };
                if meta.len() > MAX_FILE {
                    return ignore::WalkState::Continue;
                }
                let Ok(mut file) = std::fs::File::open(entry.path()) else {
                    return ignore::WalkState::Continue;
                };
                // Read the first 8 KiB alone: a NUL there means binary, and the rest of the
                // file (often most of a tree's bytes: shared libraries, archives) is never read.
                let mut content = vec![0u8; 8192.min(meta.len() as usize)];
                if file.read_exact(&mut content).is_err() || content.contains(&0) {
                    return ignore::WalkState::Continue;
                }
                if file.read_to_end(&mut content).is_err() {
                    return ignore::WalkState::Continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(root_path)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let mut out = ScanOutput::default();
                scanner.scan_file(&SourceFile::whole(&rel, &content), &mut out);
                let mut m = merged.lock().unwrap_or_else(|p| p.into_inner());
                m.0.append(out);
                m.1 += 1;
                m.2 += content.len() as u64;
                ignore::WalkState::Continue
            })
        });
    let (out, files, bytes) = merged.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut report = Report::new(env!("CARGO_PKG_VERSION"), started);
    report.roots = vec![root.clone()];
    report.scanners = vec![scanner.id().to_string()];
    report.stats.files_scanned = files;
    report.stats.bytes_scanned = bytes;
    report.findings = out.findings;
    report.findings.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
        ))
    });
    report.duration_ms = clock.elapsed().as_millis() as u64;
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    serde_json::to_writer_pretty(&mut lock, &report).unwrap_or_else(|e| fail(&e.to_string()));
    let _ = writeln!(lock);
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2);
}

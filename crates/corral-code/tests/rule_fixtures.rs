//! Every rule proves itself on its own fixtures: in `tests/fixtures/<rule-id>/`, the
//! `vulnerable.*` file marks each line the rule must report with a trailing `expect`
//! comment, and the `safe.*` twin, which holds the corrected code, must not be reported at
//! all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use corral_code::CodeScanner;
use corral_model::{ScanOutput, SourceFile};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn find(dir: &Path, stem: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_stem().is_some_and(|s| s == stem))
}

fn scan(scanner: &CodeScanner, path: &Path) -> ScanOutput {
    let content = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut out = ScanOutput::default();
    scanner.scan_source(&SourceFile::whole(&name, &content), &mut out);
    out
}

fn expected_lines(path: &Path) -> BTreeSet<u32> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_end();
            l.ends_with("# expect") || l.ends_with("// expect") || l.ends_with("{/* expect */}")
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

#[test]
fn every_rule_finds_its_vulnerable_fixture_lines_and_nothing_in_its_safe_twin() {
    let scanner = CodeScanner::new().expect("built-in rules load");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in scanner.rule_set().rules() {
        let dir = fixtures_dir().join(&rule.id);
        let (Some(vulnerable), Some(safe)) = (find(&dir, "vulnerable"), find(&dir, "safe")) else {
            failures.push(format!(
                "{}: missing vulnerable.* or safe.* in {}",
                rule.id,
                dir.display()
            ));
            continue;
        };
        checked += 1;
        let expected = expected_lines(&vulnerable);
        if expected.is_empty() {
            failures.push(format!(
                "{}: {} marks no line with `expect`",
                rule.id,
                vulnerable.display()
            ));
        }
        let out = scan(&scanner, &vulnerable);
        for e in &out.errors {
            failures.push(format!(
                "{}: {}: {}",
                rule.id,
                vulnerable.display(),
                e.message
            ));
        }
        let found: BTreeSet<u32> = out
            .findings
            .iter()
            .filter(|f| f.rule_id == rule.id)
            .map(|f| f.location.line)
            .collect();
        if found != expected {
            failures.push(format!(
                "{}: vulnerable fixture: expected lines {:?}, found {:?}",
                rule.id, expected, found
            ));
        }
        let out = scan(&scanner, &safe);
        for e in &out.errors {
            failures.push(format!("{}: {}: {}", rule.id, safe.display(), e.message));
        }
        let wrong: Vec<String> = out
            .findings
            .iter()
            .filter(|f| f.rule_id == rule.id)
            .map(|f| format!("line {}: {}", f.location.line, f.message))
            .collect();
        if !wrong.is_empty() {
            failures.push(format!("{}: safe fixture reported: {:?}", rule.id, wrong));
        }
    }
    assert!(checked > 0, "no rules were checked");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

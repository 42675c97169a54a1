//! Every built-in detector proves itself with its own examples: each positive example must
//! produce a finding of that detector, each negative example must not.

use corral_secrets::SecretsScanner;

#[test]
fn every_detector_finds_its_positive_examples_and_ignores_its_negative_ones() {
    let scanner = SecretsScanner::builtin().expect("built-in detectors load");
    let mut failures = Vec::new();
    for ex in scanner.examples() {
        for (n, positive) in ex.positive.iter().enumerate() {
            let findings = scanner.scan_bytes("example.txt", positive.as_bytes());
            if !findings.iter().any(|f| f.rule_id == ex.id) {
                let got: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
                failures.push(format!(
                    "{} ({}): positive example #{} was not found (found instead: {got:?})",
                    ex.id,
                    ex.source,
                    n + 1
                ));
            }
        }
        for (n, negative) in ex.negative.iter().enumerate() {
            let findings = scanner.scan_bytes("example.txt", negative.as_bytes());
            if findings.iter().any(|f| f.rule_id == ex.id) {
                failures.push(format!(
                    "{} ({}): negative example #{} was reported",
                    ex.id,
                    ex.source,
                    n + 1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_never_contain_the_raw_secret() {
    let scanner = SecretsScanner::builtin().unwrap();
    for ex in scanner.examples() {
        for positive in &ex.positive {
            for f in scanner.scan_bytes("example.txt", positive.as_bytes()) {
                let secret_len = f.secret.as_ref().map_or(0, |s| s.length);
                let json = serde_json::to_string(&f).unwrap();
                // The longest run of the example that is at least 12 characters and part of
                // the reported secret must not appear anywhere in the finding.
                if secret_len >= 12 {
                    let start = (f.location.column - 1) as usize;
                    let raw: String = positive.chars().skip(start).take(secret_len).collect();
                    assert!(
                        !json.contains(&raw),
                        "{}: finding leaks the secret: {json}",
                        ex.id
                    );
                }
            }
        }
    }
}
#[test]
fn the_built_in_set_has_at_least_150_detectors() {
    let scanner = SecretsScanner::builtin().unwrap();
    assert!(
        scanner.detector_count() >= 150,
        "only {} detectors",
        scanner.detector_count()
    );
}

//! Every built-in detector proves itself with its own examples: each positive example must
//! produce a finding of that detector, and each negative example must produce no finding at
//! all. Negatives are checked against the whole set, not only their own detector, because a
//! user sees a false positive whichever rule raised it: a truncated `sk-ant-api03-...` that
//! the Anthropic rule rightly ignores must not be picked up by the generic API-key rule
//! instead. The rule-file loader refuses a detector without negative examples, so every
//! detector is checked both ways.

use corral_secrets::SecretsScanner;

#[test]
fn every_detector_finds_its_positive_examples_and_no_detector_reports_any_negative_one() {
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
            // A negative example is a value that must stay quiet: if any detector in the
            // set reports it, users would see that false positive, whoever owns the rule.
            let findings = scanner.scan_bytes("example.txt", negative.as_bytes());
            let reported: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
            if !reported.is_empty() {
                failures.push(format!(
                    "{} ({}): negative example #{} was reported by {reported:?}",
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

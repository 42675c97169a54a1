//! Every rule's own examples under the default policy: positives fire, negatives do not.

mod support;

use corral_license::{LicenseConfig, LicenseScanner};

#[test]
fn every_positive_example_fires_its_rule_and_no_negative_example_does() {
    let scanner = LicenseScanner::new(&LicenseConfig::default()).unwrap();
    let mut failures = Vec::new();
    for rule in scanner.rule_specs() {
        assert!(
            !rule.positive.is_empty() && !rule.negative.is_empty(),
            "{}",
            rule.id
        );
        for (n, example) in rule.positive.iter().enumerate() {
            let out = support::scan_repo(&scanner, example);
            if !out.findings.iter().any(|f| f.rule_id == rule.id) {
                failures.push(format!(
                    "{} positive #{n} did not fire; found {:?} errors {:?}",
                    rule.id,
                    out.findings.iter().map(|f| &f.message).collect::<Vec<_>>(),
                    out.errors
                ));
            }
        }
        for (n, example) in rule.negative.iter().enumerate() {
            let out = support::scan_repo(&scanner, example);
            let wrong: Vec<_> = out
                .findings
                .iter()
                .filter(|f| f.rule_id == rule.id)
                .map(|f| f.message.clone())
                .collect();
            if !wrong.is_empty() {
                failures.push(format!("{} negative #{n} fired: {wrong:?}", rule.id));
            }
            if !out.errors.is_empty() {
                failures.push(format!(
                    "{} negative #{n} has errors {:?}",
                    rule.id, out.errors
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

//! Every rule's own examples: positives must fire the rule, negatives must not.

mod support;

use corral_aiconfig::AiConfigScanner;

#[test]
fn every_positive_example_fires_its_rule_and_no_negative_example_does() {
    let scanner = AiConfigScanner::new().unwrap();
    let mut failures = Vec::new();
    for rule in scanner.catalogue().rules() {
        for (n, example) in rule.positive.iter().enumerate() {
            let out = support::scan_repo(&scanner, example);
            if !out.findings.iter().any(|f| f.rule_id == rule.id) {
                failures.push(format!(
                    "{} positive #{n} did not fire; found {:?}, errors {:?}",
                    rule.id,
                    out.findings.iter().map(|f| &f.rule_id).collect::<Vec<_>>(),
                    out.errors
                ));
            }
            if !out.errors.is_empty() {
                failures.push(format!(
                    "{} positive #{n} has errors {:?}",
                    rule.id, out.errors
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

#[test]
fn every_rule_id_the_code_reports_is_in_the_catalogue() {
    let scanner = AiConfigScanner::new().unwrap();
    let sources = [
        include_str!("../src/lib.rs"),
        include_str!("../src/claude_settings.rs"),
        include_str!("../src/mcp_servers.rs"),
        include_str!("../src/env_block.rs"),
        include_str!("../src/inline_credentials.rs"),
        include_str!("../src/aider_config.rs"),
        include_str!("../src/sensitive_files.rs"),
        include_str!("../src/hidden_instructions.rs"),
    ];
    let ids = regex::Regex::new(r#""(ai-[a-z-]+)""#).unwrap();
    let mut used = 0;
    for source in sources {
        for id in ids.captures_iter(source) {
            if &id[1] == "ai-config" {
                continue; // the scanner's own id
            }
            used += 1;
            assert!(
                scanner.catalogue().rules().iter().any(|r| r.id == id[1]),
                "`{}` is reported but not in rules/ai-config.toml",
                &id[1]
            );
        }
    }
    assert!(used >= 10);
}

#[test]
fn rule_metadata_is_complete_for_sarif() {
    let scanner = AiConfigScanner::new().unwrap();
    for info in corral_model::Scanner::rules(&scanner) {
        assert_eq!(info.scanner, "ai-config");
        assert!(
            !info.title.is_empty() && !info.help.is_empty(),
            "{}",
            info.id
        );
        assert!(
            info.description.starts_with("**What it does**"),
            "{}",
            info.id
        );
    }
}

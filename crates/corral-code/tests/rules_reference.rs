//! `docs/code-rules.md` lists every rule exactly as the rule files define it.

use std::path::Path;

use corral_code::CodeScanner;
use corral_code::reference::{GENERATED_MARKER, render};

#[test]
fn the_rules_reference_in_the_docs_matches_the_rule_files() {
    let scanner = CodeScanner::new().expect("built-in rules load");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/code-rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let (head, _) = current
        .split_once(GENERATED_MARKER)
        .unwrap_or((current.as_str(), ""));
    let expected = format!("{head}{}", render(scanner.rule_set()));
    if std::env::var_os("CORRAL_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    assert!(
        current == expected,
        "docs/code-rules.md is out of date; run `CORRAL_BLESS=1 cargo test -p corral-code --test rules_reference`"
    );
}

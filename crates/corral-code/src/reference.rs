//! The rules reference in `docs/code-rules.md`, generated from the rule files.
//!
//! The reference is rendered from the same YAML the scanner loads, so it cannot drift: a
//! test compares the committed file with a fresh rendering and fails when a rule changed
//! without the docs (`CORRAL_BLESS=1 cargo test -p corral-code` rewrites it). The part of the
//! page that explains the rule *format* is hand-written and kept above the generated part.

use std::fmt::Write as _;

use crate::rule::Rule;
use crate::ruleset::RuleSet;

/// Marks where the generated part of `docs/code-rules.md` starts.
pub const GENERATED_MARKER: &str =
    "<!-- generated from crates/corral-code/rules: do not edit below -->";

fn rule_section(out: &mut String, rule: &Rule) {
    let cwe: Vec<String> = rule.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    let _ = writeln!(out, "### `{}`: {}\n", rule.id, rule.title);
    let _ = writeln!(
        out,
        "{} · severity **{}** · confidence {} · {}{}\n",
        cwe.join(", "),
        rule.severity,
        rule.confidence,
        rule.owasp,
        match &rule.taint_kind {
            Some(k) => format!(" · taint sink `{k}`"),
            None => String::new(),
        }
    );
    let _ = writeln!(out, "**What it does.** {}\n", rule.docs.what.trim());
    let _ = writeln!(out, "**Why is this bad?** {}\n", rule.docs.why.trim());
    let lang = rule.family.as_str();
    let _ = writeln!(
        out,
        "**Example**\n\n```{lang}\n{}\n```\n",
        rule.docs.example.trim_end()
    );
    let _ = writeln!(out, "**Use instead.** {}\n", rule.docs.fix.trim());
}

/// Renders the generated part of the reference: an index table, then one section per rule.
pub fn render(rules: &RuleSet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{GENERATED_MARKER}\n");
    let _ = writeln!(out, "## Rules\n");
    let _ = writeln!(out, "| id | language | CWE | severity | title |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    let mut all: Vec<&Rule> = rules.rules().collect();
    all.sort_by(|a, b| (a.family.as_str(), &a.id).cmp(&(b.family.as_str(), &b.id)));
    for r in &all {
        let cwe: Vec<String> = r.cwe.iter().map(|c| c.to_string()).collect();
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} | {} |",
            r.id,
            r.id,
            r.family.as_str(),
            cwe.join(", "),
            r.severity,
            r.title
        );
    }
    out.push('\n');
    for r in all {
        rule_section(&mut out, r);
    }
    out
}

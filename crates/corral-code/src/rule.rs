//! Code rules: the YAML format, its validation, and the compiled form the engine runs.
//!
//! A rule is data. It names what it finds (id, title, CWE, OWASP category, severity,
//! confidence), how to find it (structural patterns, exclusions and conditions on the
//! patterns' metavariables, optionally a taint sink kind), and how to explain it (a message
//! and ruff-style documentation: what it does, why it is bad, an example, what to use
//! instead). The format is documented in `docs/code-rules.md`; every built-in rule lives in
//! `rules/<language>/<id>.yaml` with a vulnerable and a safe fixture under `tests/fixtures/`.
//!
//! Validation happens once, at load, and names the file and field at fault: a pattern that
//! does not parse, a condition on a metavariable no pattern binds, a regex that does not
//! compile, an unknown severity. A broken rule never reaches a scan.

use std::sync::Arc;

use corral_model::{Confidence, Severity};
use regex::Regex;
use serde::Deserialize;

use crate::language::Family;
use crate::pattern::{Pattern, PatternKind};
use crate::value::{KindSet, SourceSet};

/// The kinds of source a taint rule can accept; see `taint/*.yaml`. `param` is a parameter
/// of a function nothing in its file calls: an entry point whose callers are elsewhere.
pub const SOURCE_KINDS: [&str; 6] = ["remote", "cli", "stdin", "dom", "env", "param"];

/// Source kinds a taint rule accepts when it does not say: everything but the environment,
/// which the person running a program controls anyway.
pub const DEFAULT_SOURCES: [&str; 4] = ["remote", "cli", "stdin", "dom"];

pub fn source_bit(name: &str) -> Option<SourceSet> {
    SOURCE_KINDS
        .iter()
        .position(|k| *k == name)
        .map(|i| 1u8 << i)
}

/// The rule file format.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    pub id: String,
    pub language: Family,
    pub title: String,
    pub severity: String,
    pub confidence: String,
    pub cwe: Vec<u32>,
    pub owasp: String,
    /// Sink kind: makes `tainted` conditions mean "tainted and not sanitised for this kind".
    #[serde(default)]
    pub taint: Option<String>,
    /// Source kinds the rule accepts (default: remote, cli, stdin, dom).
    #[serde(default)]
    pub sources: Option<Vec<String>>,
    /// Finding message; `{source}`, `{callee}` and `{$X}` are filled in.
    pub message: String,
    pub patterns: Vec<PatternSpec>,
    /// Code matching any of these patterns at the same place is not reported.
    #[serde(default)]
    pub not: Vec<String>,
    #[serde(default, rename = "where")]
    pub conditions: Vec<ConditionSpec>,
    /// `route-handler`: report only inside a web framework's request handler.
    #[serde(default)]
    pub inside: Option<Inside>,
    /// Regex on the names around a match: the target of the assignment being evaluated
    /// (`token` in `token = random.random()`) or the enclosing function's name; one of them
    /// (or `context-source`) must match for the rule to report.
    #[serde(default)]
    pub context: Option<String>,
    /// Regex on the whole source of the enclosing function (`set_cookie`), an alternative
    /// to `context`.
    #[serde(default)]
    pub context_source: Option<String>,
    /// Words one of which a file must contain for the rule to run there (a prefilter for
    /// rules whose conditions look for names, such as secrets in logs).
    #[serde(default)]
    pub keywords: Vec<String>,
    pub docs: Docs,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PatternSpec {
    Text(String),
    Full(PatternFull),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFull {
    pub pattern: String,
    #[serde(default)]
    pub not: Vec<String>,
    /// Like the rule's `context` and `context-source`, for this pattern only.
    #[serde(default)]
    pub context: Option<String>,
    #[serde(default, rename = "context-source")]
    pub context_source: Option<String>,
    #[serde(default, rename = "where")]
    pub conditions: Vec<ConditionSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionSpec {
    pub metavariable: String,
    /// Regex on the bound code's source text.
    #[serde(default)]
    pub regex: Option<String>,
    /// Regex on the bound code's folded constant value (fails when it is not constant).
    #[serde(default)]
    pub value_regex: Option<String>,
    /// Regex on the constant text the bound value starts with: a whole constant string, or
    /// the known start of one built from a constant and other parts (`"/tmp/x_%d" % n`).
    #[serde(default)]
    pub prefix_regex: Option<String>,
    /// Whether the bound code must (true) or must not (false) be constant: fold to a
    /// constant, or be computed only from literals.
    #[serde(default)]
    pub constant: Option<bool>,
    /// Whether the bound code must (true) or must not (false) be a literal.
    #[serde(default)]
    pub literal: Option<bool>,
    /// Whether the bound code must carry taint live for the rule's sink kind.
    #[serde(default)]
    pub tainted: Option<bool>,
    /// Like `tainted`, for the value a process is started with: only the taint that decides
    /// what runs counts (a command string, the program of an argument list, or the command
    /// a shell in it is given); see `command.rs`.
    #[serde(default)]
    pub command_tainted: Option<bool>,
    /// Regex the bound code's source text must not match.
    #[serde(default)]
    pub not_regex: Option<String>,
    /// Regex on the qualified name of the call that produced the bound value.
    #[serde(default)]
    pub origin_regex: Option<String>,
    /// Regex the qualified name of the call that produced the bound value must not match
    /// (a value with no known origin passes).
    #[serde(default)]
    pub not_origin_regex: Option<String>,
    /// Whether `regex`, `not-regex` and `literal` are tested on each value put into a
    /// string (an f-string's or template literal's expressions, the operands of `+`, the
    /// values of `%` and `.format`) and hold when one of them passes all three.
    #[serde(default)]
    pub parts: bool,
    /// Regex the enclosing function's source before the bound code must not match; `{$Y}`
    /// in it stands for the text bound to `$Y` (`res.type("json")` before `res.send($X)`).
    #[serde(default)]
    pub not_after: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Inside {
    RouteHandler,
}

/// Ruff-style rule documentation, all Markdown.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub example: String,
    pub fix: String,
}

#[derive(Debug)]
pub struct Condition {
    pub metavariable: Arc<str>,
    pub regex: Option<Regex>,
    pub value_regex: Option<Regex>,
    pub prefix_regex: Option<Regex>,
    pub constant: Option<bool>,
    pub literal: Option<bool>,
    pub tainted: Option<bool>,
    pub command_tainted: Option<bool>,
    pub not_regex: Option<Regex>,
    pub origin_regex: Option<Regex>,
    pub not_origin_regex: Option<Regex>,
    pub parts: bool,
    /// `not-after`, with its `{$Y}` placeholders still in place (filled at match time).
    pub not_after: Option<String>,
}

impl Condition {
    /// Whether the condition can hold for a known value where it fails for an unknown one.
    fn reads_values(&self) -> bool {
        self.value_regex.is_some()
            || self.origin_regex.is_some()
            || self.constant == Some(true)
            || self.tainted == Some(true)
    }
}

#[derive(Debug)]
pub struct RulePattern {
    pub pattern: Pattern,
    pub not: Vec<Pattern>,
    pub conditions: Vec<Condition>,
    pub context: Option<Context>,
}

/// Where a rule (or pattern) reports: names or function source matching these.
#[derive(Debug)]
pub struct Context {
    pub names: Option<Regex>,
    pub source: Option<Regex>,
}

fn compile_context(
    file: &str,
    field: &str,
    names: &Option<String>,
    source: &Option<String>,
) -> Result<Option<Context>, RuleError> {
    let names = compile_regex(file, &format!("{field}context"), names)?;
    let source = compile_regex(file, &format!("{field}context-source"), source)?;
    Ok((names.is_some() || source.is_some()).then_some(Context { names, source }))
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub family: Family,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Vec<u32>,
    pub owasp: String,
    pub taint_kind: Option<String>,
    pub kind_bit: KindSet,
    pub sources: SourceSet,
    pub message: String,
    pub patterns: Vec<RulePattern>,
    pub not: Vec<Pattern>,
    pub conditions: Vec<Condition>,
    pub inside: Option<Inside>,
    pub context: Option<Context>,
    pub docs: Docs,
    /// For each pattern, the identifiers that must all occur in a file for it to match.
    pub pattern_words: Vec<Vec<Arc<str>>>,
    /// Words one of which must occur in a file (empty: no such requirement).
    pub keywords: Vec<Arc<str>>,
    /// Whether the values a function's callers pass in can make the rule match inside it
    /// where the function's own analysis (parameters unknown) does not: a taint rule, a
    /// condition on a value (`value-regex`, `constant: true`, `tainted: true`,
    /// `origin-regex`) or a pattern whose literals match folded constants. Conditions on
    /// the code's text or on a value being unknown cannot: unknown parameters satisfy them
    /// at least as often as known ones.
    pub reads_call_values: bool,
}

/// A rule file that cannot be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct RuleError {
    pub file: String,
    pub message: String,
}

impl RuleError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// Reads a rule file's YAML.
pub fn parse_spec(file: &str, text: &str) -> Result<RuleSpec, RuleError> {
    serde_norway::from_str::<RuleSpec>(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {}: ", l.line()))
            .unwrap_or_default();
        RuleError::new(file, format!("{location}{e}"))
    })
}

fn compile_regex(file: &str, field: &str, re: &Option<String>) -> Result<Option<Regex>, RuleError> {
    re.as_ref()
        .map(|r| {
            Regex::new(r).map_err(|e| {
                RuleError::new(
                    file,
                    format!("field `{field}`: regex `{r}` does not compile: {e}"),
                )
            })
        })
        .transpose()
}

/// The metavariables (`$Y`) a `not-after` template refers to as `{$Y}`.
fn after_placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find("{$") {
        let tail = &rest[i + 1..];
        match tail.find('}') {
            Some(j) => {
                names.push(tail[..j].to_string());
                rest = &tail[j + 1..];
            }
            None => break,
        }
    }
    names
}

/// A `not-after` template with each `{$Y}` replaced by `text($Y)` (regex-escaped), or `None`
/// when a placeholder has no text.
pub(crate) fn fill_after(template: &str, text: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = template.to_string();
    for name in after_placeholders(template) {
        let value = regex::escape(&text(&name)?);
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    Some(out)
}

fn compile_conditions(
    file: &str,
    field: &str,
    specs: &[ConditionSpec],
    bound: &[String],
    has_taint: bool,
) -> Result<Vec<Condition>, RuleError> {
    specs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let f = format!("{field}[{i}]");
            if !bound.contains(&c.metavariable) {
                return Err(RuleError::new(
                    file,
                    format!(
                        "field `{f}.metavariable`: `{}` is not bound by the pattern (it binds: {})",
                        c.metavariable,
                        if bound.is_empty() {
                            "nothing".to_string()
                        } else {
                            bound.join(", ")
                        }
                    ),
                ));
            }
            if c.tainted.is_some() && !has_taint {
                return Err(RuleError::new(
                    file,
                    format!("field `{f}.tainted`: the rule has no `taint:` sink kind"),
                ));
            }
            if c.command_tainted.is_some() && !has_taint {
                return Err(RuleError::new(
                    file,
                    format!("field `{f}.command-tainted`: the rule has no `taint:` sink kind"),
                ));
            }
            if let Some(template) = &c.not_after {
                for name in after_placeholders(template) {
                    if !bound.contains(&name) {
                        return Err(RuleError::new(
                            file,
                            format!(
                                "field `{f}.not-after`: `{{{name}}}` is not bound by the pattern"
                            ),
                        ));
                    }
                }
                let probe = fill_after(template, |_| Some("x".to_string()));
                compile_regex(file, &format!("{f}.not-after"), &probe)?;
            }
            Ok(Condition {
                not_after: c.not_after.clone(),
                metavariable: Arc::from(c.metavariable.as_str()),
                regex: compile_regex(file, &format!("{f}.regex"), &c.regex)?,
                value_regex: compile_regex(file, &format!("{f}.value-regex"), &c.value_regex)?,
                prefix_regex: compile_regex(file, &format!("{f}.prefix-regex"), &c.prefix_regex)?,
                constant: c.constant,
                literal: c.literal,
                tainted: c.tainted,
                command_tainted: c.command_tainted,
                not_regex: compile_regex(file, &format!("{f}.not-regex"), &c.not_regex)?,
                origin_regex: compile_regex(file, &format!("{f}.origin-regex"), &c.origin_regex)?,
                not_origin_regex: compile_regex(
                    file,
                    &format!("{f}.not-origin-regex"),
                    &c.not_origin_regex,
                )?,
                parts: c.parts,
            })
        })
        .collect()
}

fn compile_pattern(
    file: &str,
    field: &str,
    family: Family,
    text: &str,
) -> Result<Pattern, RuleError> {
    Pattern::parse(family, text)
        .map_err(|e| RuleError::new(file, format!("field `{field}`: pattern `{text}` {e}")))
}

/// Validates and compiles a rule. `kind_bit` is the bit its sink kind was given.
pub fn compile(file: &str, spec: RuleSpec, kind_bit: KindSet) -> Result<Rule, RuleError> {
    let id_ok = !spec.id.is_empty()
        && spec
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(RuleError::new(
            file,
            format!(
                "field `id`: `{}` must be lowercase letters, digits and dashes",
                spec.id
            ),
        ));
    }
    let severity: Severity = spec
        .severity
        .parse()
        .map_err(|e| RuleError::new(file, format!("field `severity`: {e}")))?;
    let confidence = match spec.confidence.to_ascii_lowercase().as_str() {
        "high" => Confidence::High,
        "medium" => Confidence::Medium,
        "low" => Confidence::Low,
        other => {
            return Err(RuleError::new(
                file,
                format!("field `confidence`: `{other}` is not one of high, medium, low"),
            ));
        }
    };
    if spec.cwe.is_empty() {
        return Err(RuleError::new(
            file,
            "field `cwe`: name at least one CWE number",
        ));
    }
    if spec.patterns.is_empty() {
        return Err(RuleError::new(
            file,
            "field `patterns`: give at least one pattern",
        ));
    }
    let sources = match &spec.sources {
        None => DEFAULT_SOURCES
            .iter()
            .filter_map(|s| source_bit(s))
            .fold(0, |a, b| a | b),
        Some(list) => {
            let mut set = 0;
            for s in list {
                set |= source_bit(s).ok_or_else(|| {
                    RuleError::new(
                        file,
                        format!(
                            "field `sources`: `{s}` is not a source kind ({})",
                            SOURCE_KINDS.join(", ")
                        ),
                    )
                })?;
            }
            set
        }
    };
    let has_taint = spec.taint.is_some();
    let family = spec.language;
    let not = spec
        .not
        .iter()
        .enumerate()
        .map(|(i, t)| compile_pattern(file, &format!("not[{i}]"), family, t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut patterns = Vec::new();
    let mut all_bound: Vec<String> = Vec::new();
    let mut pattern_words: Vec<Vec<Arc<str>>> = Vec::new();
    for (i, p) in spec.patterns.iter().enumerate() {
        let field = format!("patterns[{i}]");
        let (text, pnot, pconds) = match p {
            PatternSpec::Text(t) => (t.as_str(), &[][..], &[][..]),
            PatternSpec::Full(f) => (f.pattern.as_str(), &f.not[..], &f.conditions[..]),
        };
        let context = match p {
            PatternSpec::Text(_) => None,
            PatternSpec::Full(f) => {
                compile_context(file, &format!("{field}."), &f.context, &f.context_source)?
            }
        };
        let pattern = compile_pattern(file, &field, family, text)?;
        if pattern.kind == PatternKind::Access {
            return Err(RuleError::new(
                file,
                format!(
                    "field `{field}`: pattern `{text}` is a bare name; rules match calls, \
                     assignments, returns and literals (bare names are for taint sources)"
                ),
            ));
        }
        let bound = pattern.metavariables();
        let conditions =
            compile_conditions(file, &format!("{field}.where"), pconds, &bound, has_taint)?;
        let pnot = pnot
            .iter()
            .enumerate()
            .map(|(j, t)| compile_pattern(file, &format!("{field}.not[{j}]"), family, t))
            .collect::<Result<Vec<_>, _>>()?;
        for b in bound {
            if !all_bound.contains(&b) {
                all_bound.push(b);
            }
        }
        pattern_words.push(pattern.words.clone());
        patterns.push(RulePattern {
            pattern,
            not: pnot,
            conditions,
            context,
        });
    }
    // Rule-level conditions apply to every pattern, so each pattern must bind their names.
    for (i, c) in spec.conditions.iter().enumerate() {
        for p in &patterns {
            if !p.pattern.metavariables().contains(&c.metavariable) {
                return Err(RuleError::new(
                    file,
                    format!(
                        "field `where[{i}].metavariable`: `{}` is not bound by pattern `{}`",
                        c.metavariable, p.pattern.text
                    ),
                ));
            }
        }
    }
    let conditions = compile_conditions(file, "where", &spec.conditions, &all_bound, has_taint)?;
    if let Some(kind) = &spec.taint {
        let sink = |c: &Condition| c.tainted == Some(true) || c.command_tainted == Some(true);
        let checks_taint =
            conditions.iter().any(sink) || patterns.iter().any(|p| p.conditions.iter().any(sink));
        if !checks_taint {
            return Err(RuleError::new(
                file,
                format!(
                    "field `taint`: the rule declares sink kind `{kind}` but no `where` condition \
                     says which metavariable must be `tainted: true`"
                ),
            ));
        }
    }
    for (field, text) in [
        ("title", &spec.title),
        ("message", &spec.message),
        ("docs.what", &spec.docs.what),
        ("docs.why", &spec.docs.why),
        ("docs.example", &spec.docs.example),
        ("docs.fix", &spec.docs.fix),
    ] {
        if text.trim().is_empty() {
            return Err(RuleError::new(file, format!("field `{field}` is empty")));
        }
    }
    let reads_call_values = spec.taint.is_some()
        || conditions.iter().any(Condition::reads_values)
        || patterns
            .iter()
            .any(|p| p.pattern.reads_values() || p.conditions.iter().any(Condition::reads_values));
    Ok(Rule {
        id: spec.id,
        family,
        title: spec.title,
        severity,
        confidence,
        cwe: spec.cwe,
        owasp: spec.owasp,
        taint_kind: spec.taint,
        kind_bit,
        sources,
        message: spec.message,
        patterns,
        not,
        conditions,
        inside: spec.inside,
        context: compile_context(file, "", &spec.context, &spec.context_source)?,
        docs: spec.docs,
        pattern_words,
        keywords: spec
            .keywords
            .iter()
            .map(|k| Arc::from(k.as_str()))
            .collect(),
        reads_call_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id: py-example
language: python
title: Example
severity: high
confidence: medium
cwe: [78]
owasp: "A03:2021 Injection"
taint: command
message: "{source} reaches {callee}"
patterns:
  - os.system($CMD)
where:
  - metavariable: $CMD
    tainted: true
docs:
  what: a
  why: b
  example: c
  fix: d
"#;

    #[test]
    fn a_valid_rule_compiles_with_its_keywords() {
        let spec = parse_spec("x.yaml", GOOD).unwrap();
        let rule = compile("x.yaml", spec, 1).unwrap();
        assert_eq!(
            rule.pattern_words,
            vec![vec![Arc::from("system"), Arc::from("os")]]
        );
        assert_eq!(rule.severity, Severity::High);
    }

    #[test]
    fn a_condition_on_an_unbound_metavariable_names_the_field() {
        let text = GOOD.replace("metavariable: $CMD", "metavariable: $X");
        let spec = parse_spec("x.yaml", &text).unwrap();
        let err = compile("x.yaml", spec, 1).unwrap_err();
        assert!(err.to_string().contains("where[0].metavariable"), "{err}");
        assert!(err.to_string().contains("$X"), "{err}");
    }

    #[test]
    fn a_not_after_placeholder_must_name_a_bound_metavariable() {
        let text = GOOD.replace(
            "    tainted: true",
            "    tainted: true\n    not-after: 'shlex\\.quote\\({$Y}\\)'",
        );
        let err = compile("x.yaml", parse_spec("x.yaml", &text).unwrap(), 1).unwrap_err();
        assert!(err.to_string().contains("where[0].not-after"), "{err}");
        assert!(err.to_string().contains("{$Y}"), "{err}");
        let text = text.replace("{$Y}", "{$CMD}");
        let rule = compile("x.yaml", parse_spec("x.yaml", &text).unwrap(), 1).unwrap();
        let filled = fill_after(rule.conditions[0].not_after.as_deref().unwrap(), |_| {
            Some("cmd[0]".to_string())
        });
        assert_eq!(filled.as_deref(), Some(r"shlex\.quote\(cmd\[0\]\)"));
    }

    #[test]
    fn an_unparseable_pattern_and_an_unknown_field_are_refused() {
        let text = GOOD.replace("os.system($CMD)", "os.system($CMD");
        let err = compile("x.yaml", parse_spec("x.yaml", &text).unwrap(), 1).unwrap_err();
        assert!(err.to_string().contains("patterns[0]"), "{err}");
        let text = GOOD.replace("owasp:", "owsap:");
        let err = parse_spec("x.yaml", &text).unwrap_err();
        assert!(err.to_string().contains("owsap"), "{err}");
        assert!(err.to_string().starts_with("x.yaml: line"), "{err}");
    }

    #[test]
    fn a_rule_reads_call_values_through_taint_value_conditions_or_literals() {
        let compiled = |text: &str| compile("x.yaml", parse_spec("x.yaml", text).unwrap(), 1);
        assert!(compiled(GOOD).unwrap().reads_call_values);
        let plain = GOOD
            .replace("taint: command\n", "")
            .replace("    tainted: true", "    literal: false");
        assert!(!compiled(&plain).unwrap().reads_call_values);
        let valued = plain.replace("    literal: false", "    value-regex: '^rm '");
        assert!(compiled(&valued).unwrap().reads_call_values);
        let literal = plain.replace("os.system($CMD)", "os.system($CMD, True)");
        assert!(compiled(&literal).unwrap().reads_call_values);
    }

    #[test]
    fn a_taint_rule_must_say_which_metavariable_is_the_sink() {
        let text = GOOD.replace("    tainted: true", "    constant: false");
        let err = compile("x.yaml", parse_spec("x.yaml", &text).unwrap(), 1).unwrap_err();
        assert!(err.to_string().contains("field `taint`"), "{err}");
    }
}

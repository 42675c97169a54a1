//! The AI-assistant configuration scanner (`corral scan --only ai-config`).
//!
//! AI coding assistants take orders and permissions from files in the repository:
//! instruction files (CLAUDE.md, AGENTS.md, .cursorrules, Copilot instructions, …), settings
//! (`.claude/settings.json`), MCP server lists (`.mcp.json`) and ignore files. Those files are
//! as powerful as code, yet nobody reviews them as code: a hidden sentence can steer the
//! assistant, and one permission line can let it run anything. This scanner:
//!
//! - inventories which assistants the repository is set up for ([`AiToolEvidence`]),
//! - finds invisible and deceptive Unicode, decoding tag-character text ([`invisible_unicode`]),
//! - finds hidden and hostile instructions ([`hidden_instructions`]),
//! - checks Claude Code permissions, hooks and environment ([`claude_settings`]),
//! - checks MCP servers: unpinned packages, plain HTTP, inline credentials ([`mcp_servers`]),
//! - checks aider's configuration ([`aider_config`]),
//! - reports credential files no assistant rule keeps it from reading ([`sensitive_files`]).
//!
//! Every rule, with its documentation and examples, is data in `rules/ai-config.toml`
//! ([`catalogue`]). Malformed JSON or YAML is reported as a [`corral_model::FileError`] with
//! its line; the other checks of the file still run.
//!
//! History scans hand over added lines rather than whole files; for those only the text
//! checks (Unicode, phrases) run, since a hunk of JSON cannot be parsed on its own.

pub mod aider_config;
pub mod assistant_file;
pub mod catalogue;
pub mod claude_settings;
pub mod download_exec;
pub mod env_block;
pub mod env_override;
pub mod file_context;
pub mod hidden_instructions;
pub mod inline_credentials;
pub mod invisible_unicode;
pub mod jsonc;
pub mod mcp_servers;
pub mod sensitive_files;

use std::collections::BTreeMap;

use corral_model::{AiToolEvidence, RuleInfo, ScanOutput, Scanner, SourceFile};

use crate::assistant_file::FileKind;
use crate::catalogue::{Catalogue, Evidence};
pub use crate::catalogue::{CatalogueError, SCANNER_ID};
use crate::file_context::FileContext;
use crate::invisible_unicode::Class;

/// The AI-assistant configuration scanner.
#[derive(Debug)]
pub struct AiConfigScanner {
    catalogue: Catalogue,
}

impl AiConfigScanner {
    /// A scanner with the built-in rules.
    pub fn new() -> Result<Self, CatalogueError> {
        Ok(Self {
            catalogue: Catalogue::built_in()?,
        })
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
}

impl Scanner for AiConfigScanner {
    fn id(&self) -> &'static str {
        SCANNER_ID
    }

    fn wants(&self, path: &str) -> bool {
        assistant_file::classify(path).is_some() || sensitive_files::candidate(path).is_some()
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        let text = String::from_utf8_lossy(file.content);
        let whole_file = file.commit.is_none() && file.first_line == 1;
        if whole_file && let Some(note) = sensitive_files::note_if_sensitive(file.path, &text) {
            out.notes.push(note);
        }
        let Some(assistant) = assistant_file::classify(file.path) else {
            return;
        };
        let mut ctx = FileContext {
            file,
            text: &text,
            catalogue: &self.catalogue,
            out,
        };
        ctx.out.ai_tools.push(AiToolEvidence {
            tool: assistant.tool.to_string(),
            location: ctx.location(0, 1),
        });
        check_unicode(&mut ctx);
        match assistant.kind {
            FileKind::Instructions => check_phrases(&mut ctx),
            FileKind::ClaudeCommand => {
                check_phrases(&mut ctx);
                claude_settings::check_front_matter(&mut ctx);
            }
            FileKind::ClaudeSettings if whole_file => {
                if let Some(root) = parse_json(&mut ctx) {
                    claude_settings::check(&mut ctx, &root);
                }
            }
            FileKind::McpConfig if whole_file => {
                if let Some(root) = parse_json(&mut ctx) {
                    mcp_servers::check(&mut ctx, &root);
                }
            }
            FileKind::AiderConfig if whole_file => aider_config::check(&mut ctx),
            FileKind::IgnoreFile if whole_file => {
                let note = sensitive_files::ignore_file_note(file.path, assistant.tool, &text);
                ctx.out.notes.push(note);
            }
            _ => {}
        }
    }

    fn finish(&self, out: &mut ScanOutput) {
        sensitive_files::finish(out, &self.catalogue);
    }

    fn rules(&self) -> Vec<RuleInfo> {
        self.catalogue.rules().iter().map(|r| r.info()).collect()
    }
}

fn parse_json(ctx: &mut FileContext<'_>) -> Option<serde_json::Value> {
    match jsonc::parse(ctx.text) {
        Ok(value) => Some(value),
        Err(err) => {
            ctx.error(
                Some(err.line),
                format!("not valid JSON: column {}: {}", err.column, err.message),
            );
            None
        }
    }
}

fn check_unicode(ctx: &mut FileContext<'_>) {
    for hit in invisible_unicode::scan(ctx.text) {
        let names: Vec<String> = hit
            .code_points
            .iter()
            .take(4)
            .map(|&c| format!("U+{:04X} {}", c as u32, invisible_unicode::name(c)))
            .collect();
        let mut details = BTreeMap::new();
        details.insert(
            "code_points".into(),
            serde_json::Value::from(
                hit.code_points
                    .iter()
                    .map(|&c| format!("U+{:04X}", c as u32))
                    .collect::<Vec<_>>(),
            ),
        );
        details.insert("count".into(), serde_json::Value::from(hit.count));
        let snippet = Some(file_context::bounded_snippet(&hit.visible_line));
        let (rule, message, key) = match hit.class {
            Class::Tag => {
                let decoded = hit.decoded.clone().unwrap_or_default();
                let shown = invisible_unicode::printable(&decoded, 300);
                details.insert("hidden_text".into(), serde_json::Value::from(shown.clone()));
                (
                    "ai-tag-characters",
                    format!(
                        "{} invisible tag characters spell out hidden text: \"{shown}\"",
                        hit.count
                    ),
                    decoded,
                )
            }
            Class::Bidi => (
                "ai-bidi-control",
                format!(
                    "{} bidirectional control character(s) ({}) make this line display differently from what it says",
                    hit.count,
                    names.join(", ")
                ),
                hit.visible_line.clone(),
            ),
            Class::Invisible => (
                "ai-invisible-character",
                format!(
                    "{} invisible character(s) ({}) in a file the assistant reads",
                    hit.count,
                    names.join(", ")
                ),
                hit.visible_line.clone(),
            ),
        };
        let decoded = hit.decoded.clone();
        ctx.report(
            rule,
            hit.line_index,
            hit.column,
            Evidence {
                message,
                key,
                snippet,
                secret: None,
                details,
            },
        );
        // Hidden text is held to the same phrase rules as visible text.
        if let Some(decoded) = decoded {
            let catalogue = ctx.catalogue;
            for phrase in hidden_instructions::scan(&decoded, catalogue.rules()) {
                let rule_id = phrase.rule.id.clone();
                ctx.report(
                    &rule_id,
                    hit.line_index,
                    hit.column,
                    Evidence {
                        message: format!(
                            "text hidden in Unicode tag characters says \"{}\"",
                            invisible_unicode::printable(&phrase.matched, 120)
                        ),
                        key: format!("tags\0{}", phrase.matched),
                        snippet: Some(file_context::bounded_snippet(&hit.visible_line)),
                        ..Evidence::default()
                    },
                );
            }
        }
    }
}

fn check_phrases(ctx: &mut FileContext<'_>) {
    let (text, catalogue) = (ctx.text, ctx.catalogue);
    for hit in hidden_instructions::scan(text, catalogue.rules()) {
        let rule_id = hit.rule.id.clone();
        let message = if hit.in_comment {
            format!(
                "an HTML comment, invisible when the file is rendered, says \"{}\"",
                hit.matched
            )
        } else {
            format!("the file says \"{}\"", hit.matched)
        };
        ctx.report(
            &rule_id,
            hit.line_index,
            hit.column,
            Evidence {
                message,
                key: hit.matched.to_lowercase(),
                ..Evidence::default()
            },
        );
    }
}

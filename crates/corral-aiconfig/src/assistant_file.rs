//! Which files AI coding assistants read, and which assistant each one belongs to.
//!
//! Recognising a file is the whole of [`Scanner::wants`](corral_model::Scanner::wants), which
//! the driver calls for every file in the tree, so it looks only at the path: a handful of
//! string comparisons on the file name and its parent directories. The table is also the
//! inventory: every file recognised here is evidence that the repository is set up for that
//! tool, reported as [`corral_model::AiToolEvidence`].

/// What a recognised file is, which decides the checks it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Instructions the assistant reads as context (Markdown or plain text).
    Instructions,
    /// Markdown instructions with YAML front matter that may grant tools
    /// (`.claude/commands/*.md`, `.claude/agents/*.md`).
    ClaudeCommand,
    /// `.claude/settings.json` or `.claude/settings.local.json`.
    ClaudeSettings,
    /// A JSON file with MCP server definitions (`.mcp.json`, `.cursor/mcp.json`, …).
    McpConfig,
    /// `.aider.conf.yml`.
    AiderConfig,
    /// A gitignore-syntax file listing what the assistant must not read.
    IgnoreFile,
    /// An ignore file that only affects indexing, not reading (`.cursorindexingignore`).
    IndexingIgnoreFile,
}

/// A file an AI assistant reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssistantFile {
    pub kind: FileKind,
    /// The tool, as shown in the inventory.
    pub tool: &'static str,
}

pub const CLAUDE_CODE: &str = "Claude Code";
pub const CURSOR: &str = "Cursor";
pub const COPILOT: &str = "GitHub Copilot";
pub const WINDSURF: &str = "Windsurf";
pub const CLINE: &str = "Cline";
pub const ROO: &str = "Roo Code";
pub const AIDER: &str = "aider";
pub const GEMINI_CLI: &str = "Gemini CLI";
pub const GEMINI_CODE_ASSIST: &str = "Gemini Code Assist";
pub const AGENTS_MD: &str = "AGENTS.md agents (Codex and others)";

/// Recognises `path` (relative, `/`-separated), or `None` for files no assistant reads.
pub fn classify(path: &str) -> Option<AssistantFile> {
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (dir, name),
        None => ("", path),
    };
    let parent = dir.rsplit('/').next().unwrap_or("");
    let in_dir = |suffix: &str| dir == suffix || dir.ends_with(&format!("/{suffix}"));
    let under = |prefix: &str| {
        dir == prefix
            || dir.starts_with(&format!("{prefix}/"))
            || dir.contains(&format!("/{prefix}/"))
            || dir.ends_with(&format!("/{prefix}"))
    };
    let is_md = name.ends_with(".md") || name.ends_with(".mdc");
    let file = |kind, tool| Some(AssistantFile { kind, tool });
    use FileKind::*;

    match name {
        "CLAUDE.md" | "CLAUDE.local.md" => return file(Instructions, CLAUDE_CODE),
        "AGENTS.md" | "AGENTS.override.md" => return file(Instructions, AGENTS_MD),
        "GEMINI.md" => return file(Instructions, GEMINI_CLI),
        ".cursorrules" => return file(Instructions, CURSOR),
        ".windsurfrules" => return file(Instructions, WINDSURF),
        ".clinerules" => return file(Instructions, CLINE),
        ".roorules" => return file(Instructions, ROO),
        ".aider.conf.yml" | ".aider.conf.yaml" => return file(AiderConfig, AIDER),
        ".mcp.json" => return file(McpConfig, CLAUDE_CODE),
        ".cursorignore" => return file(IgnoreFile, CURSOR),
        ".cursorindexingignore" => return file(IndexingIgnoreFile, CURSOR),
        ".aiderignore" => return file(IgnoreFile, AIDER),
        ".codeiumignore" => return file(IgnoreFile, WINDSURF),
        ".clineignore" => return file(IgnoreFile, CLINE),
        ".rooignore" => return file(IgnoreFile, ROO),
        ".geminiignore" => return file(IgnoreFile, GEMINI_CLI),
        ".aiexclude" => return file(IgnoreFile, GEMINI_CODE_ASSIST),
        "copilot-instructions.md" if in_dir(".github") => return file(Instructions, COPILOT),
        "settings.json" | "settings.local.json" if in_dir(".claude") => {
            return file(ClaudeSettings, CLAUDE_CODE);
        }
        "settings.json" if in_dir(".gemini") => return file(McpConfig, GEMINI_CLI),
        "mcp.json" if in_dir(".cursor") => return file(McpConfig, CURSOR),
        "mcp.json" if in_dir(".vscode") => return file(McpConfig, COPILOT),
        "mcp.json" if in_dir(".roo") => return file(McpConfig, ROO),
        "mcp_config.json" if in_dir(".windsurf") => return file(McpConfig, WINDSURF),
        _ => {}
    }
    if !is_md {
        return None;
    }
    if under(".claude/commands") || under(".claude/agents") {
        return file(ClaudeCommand, CLAUDE_CODE);
    }
    if under(".cursor/rules") {
        return file(Instructions, CURSOR);
    }
    if parent == "instructions"
        && in_dir(".github/instructions")
        && name.ends_with(".instructions.md")
    {
        return file(Instructions, COPILOT);
    }
    if in_dir(".github/prompts") && name.ends_with(".prompt.md") {
        return file(Instructions, COPILOT);
    }
    if under(".windsurf/rules") {
        return file(Instructions, WINDSURF);
    }
    if under(".clinerules") {
        return file(Instructions, CLINE);
    }
    if under(".roo/rules") {
        return file(Instructions, ROO);
    }
    None
}

/// The tools whose ignore mechanism the sensitive-file check knows, and the files that
/// implement it. Tools missing here (Copilot's content exclusion lives in the organisation's
/// settings, not the repository) are left out of that check rather than always reported.
pub const READ_PROTECTION: &[(&str, &str)] = &[
    (
        CLAUDE_CODE,
        "`permissions.deny` Read rules in .claude/settings.json",
    ),
    (CURSOR, ".cursorignore"),
    (AIDER, ".aiderignore"),
    (WINDSURF, ".codeiumignore"),
    (CLINE, ".clineignore"),
    (ROO, ".rooignore"),
    (GEMINI_CLI, ".geminiignore"),
    (GEMINI_CODE_ASSIST, ".aiexclude"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<(FileKind, &'static str)> {
        classify(path).map(|f| (f.kind, f.tool))
    }

    #[test]
    fn instruction_files_are_recognised_at_the_root_and_nested() {
        assert_eq!(
            kind("CLAUDE.md"),
            Some((FileKind::Instructions, CLAUDE_CODE))
        );
        assert_eq!(
            kind("services/api/CLAUDE.local.md"),
            Some((FileKind::Instructions, CLAUDE_CODE))
        );
        assert_eq!(
            kind(".github/copilot-instructions.md"),
            Some((FileKind::Instructions, COPILOT))
        );
        assert_eq!(
            kind(".github/instructions/python.instructions.md"),
            Some((FileKind::Instructions, COPILOT))
        );
        assert_eq!(
            kind(".cursor/rules/style.mdc"),
            Some((FileKind::Instructions, CURSOR))
        );
        assert_eq!(
            kind(".claude/commands/deploy/prod.md"),
            Some((FileKind::ClaudeCommand, CLAUDE_CODE))
        );
    }

    #[test]
    fn configuration_files_are_recognised_only_in_their_directories() {
        assert_eq!(
            kind(".claude/settings.local.json"),
            Some((FileKind::ClaudeSettings, CLAUDE_CODE))
        );
        assert_eq!(
            kind(".vscode/mcp.json"),
            Some((FileKind::McpConfig, COPILOT))
        );
        assert_eq!(kind("settings.json"), None);
        assert_eq!(kind("config/mcp.json"), None);
        assert_eq!(kind("docs/README.md"), None);
        assert_eq!(kind("src/instructions.md"), None);
    }
}

//! `SPDX-License-Identifier:` lines in source files.
//!
//! The SPDX tag is the one licence statement meant for machines: one line, near the top,
//! holding an SPDX expression. It is found with a plain substring search and cut free of the
//! comment or string syntax around it (`*/`, `-->`, quotes); parsing the expression is the
//! policy's job.

const TAG: &str = "SPDX-License-Identifier:";

/// One tag in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// 0-based line index.
    pub line_index: usize,
    /// 1-based column of the tag.
    pub column: u32,
    /// The expression after the tag, as written.
    pub expression: String,
    /// The whole line, trimmed.
    pub line: String,
}

/// Every SPDX tag in `text`.
pub fn find(text: &str) -> Vec<Tag> {
    if !text.contains("License-Identifier") && !text.contains("license-identifier") {
        return Vec::new();
    }
    let mut tags = Vec::new();
    for (line_index, line) in text.lines().enumerate() {
        let Some(at) = line
            .find(TAG)
            .or_else(|| line.to_ascii_lowercase().find(&TAG.to_ascii_lowercase()))
        else {
            continue;
        };
        // A real tag opens its line, after nothing but comment syntax (`//`, `#`, ` * `,
        // `<!--`, a quote); one mentioned in prose or in code is not the file's licence.
        let opener = &line[..at];
        if !opener
            .chars()
            .all(|c| c.is_whitespace() || "/*#-;%!<'\"({[".contains(c))
        {
            continue;
        }
        let mut expression = line[at + TAG.len()..].trim();
        for closer in ["*/", "-->", "#}", "%>", "\"\"\"", "'''"] {
            if let Some(cut) = expression.find(closer) {
                expression = &expression[..cut];
            }
        }
        let expression = expression
            .trim()
            .trim_matches(['"', '\'', '`', ',', ';'])
            .trim();
        if expression.is_empty() {
            continue;
        }
        tags.push(Tag {
            line_index,
            column: line[..at].chars().count() as u32 + 1,
            expression: expression.to_string(),
            line: line.trim().to_string(),
        });
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_cut_free_of_comment_and_string_syntax() {
        let text = "/* SPDX-License-Identifier: MIT OR Apache-2.0 */\n<!-- SPDX-License-Identifier: GPL-2.0-only -->\n\"\"\"SPDX-License-Identifier: MPL-2.0\"\"\"\n# spdx-license-identifier: ISC\n";
        let found: Vec<_> = find(text).into_iter().map(|t| t.expression).collect();
        assert_eq!(
            found,
            ["MIT OR Apache-2.0", "GPL-2.0-only", "MPL-2.0", "ISC"]
        );
    }

    #[test]
    fn a_tag_mentioned_in_prose_or_code_is_not_the_files_licence() {
        let text = "//! Reads `SPDX-License-Identifier:` lines\nlet s = \"x SPDX-License-Identifier: GPL-3.0\";\n";
        assert!(find(text).is_empty());
    }

    #[test]
    fn an_empty_tag_is_ignored() {
        assert!(find("// SPDX-License-Identifier:\n").is_empty());
    }
}

//! JSON as assistants' configuration files actually write it.
//!
//! VS Code's `mcp.json` is JSON with comments and trailing commas, and people copy that
//! habit into `.mcp.json` and `.claude/settings.json`. [`parse`] blanks comments and trailing
//! commas out (byte for byte, so every line and column stays where it was) and then parses
//! strictly; errors carry the line and column.
//!
//! `serde_json::Value` forgets positions, so [`locate`] finds a value's line afterwards by
//! searching the text for the chain of keys that leads to it. That is exact for the usual
//! one-key-per-line layout and never worse than the enclosing object's line otherwise.

use serde_json::Value;

/// A JSON document that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Replaces comments and trailing commas with spaces, keeping every newline.
fn blank_extensions(text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'"', _) => in_string = true,
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    bytes[i] = b' ';
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                let mut j = i;
                while j < bytes.len() && !(bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/')) {
                    if bytes[j] != b'\n' {
                        bytes[j] = b' ';
                    }
                    j += 1;
                }
                for k in j..(j + 2).min(bytes.len()) {
                    bytes[k] = b' ';
                }
                i = j + 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Trailing commas: a comma whose next non-space byte closes an object or array.
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if matches!(next, Some(b'}') | Some(b']')) {
                bytes[i] = b' ';
            }
        }
        i += 1;
    }
    bytes
}

/// Parses JSON that may contain comments and trailing commas.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let cleaned = blank_extensions(text);
    serde_json::from_slice(&cleaned).map_err(|e| JsonError {
        line: e.line() as u32,
        column: e.column() as u32,
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })
}

/// The 0-based line index and 1-based column of the last of `keys` found in order, each
/// searched as a JSON string (`"key"`) after the previous one. Falls back to the last key that
/// was found, or the first line.
pub fn locate(text: &str, keys: &[&str]) -> (usize, u32) {
    let mut at = 0;
    let mut found = 0;
    for key in keys {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        match text[at..].find(&quoted) {
            Some(i) => {
                found = at + i;
                at = found + quoted.len();
            }
            None => break,
        }
    }
    let line_index = text[..found].matches('\n').count();
    let line_start = text[..found].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..found].chars().count() as u32 + 1;
    (line_index, column)
}

/// The text of line `index` (0-based), without its newline.
pub fn line(text: &str, index: usize) -> &str {
    text.split('\n')
        .nth(index)
        .unwrap_or("")
        .trim_end_matches('\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_accepted() {
        let text = "{\n  // servers\n  \"a\": [1, 2,], /* x */\n  \"url\": \"http://x//y\",\n}\n";
        let v = parse(text).unwrap();
        assert_eq!(v["a"], serde_json::json!([1, 2]));
        assert_eq!(v["url"], "http://x//y");
    }

    #[test]
    fn errors_keep_the_original_line_and_column() {
        let err = parse("{\n  // note\n  \"a\": 1\n  \"b\": 2\n}").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("expected"), "{err}");
    }

    #[test]
    fn locate_follows_the_chain_of_keys() {
        let text = "{\n \"env\": {},\n \"servers\": {\n  \"db\": {\n   \"env\": {\"TOKEN\": \"x\"}\n  }\n }\n}";
        assert_eq!(locate(text, &["servers", "db", "env", "TOKEN"]), (4, 12));
        assert_eq!(locate(text, &["servers", "missing"]).0, 2);
    }
}

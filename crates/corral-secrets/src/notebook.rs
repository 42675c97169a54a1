//! Jupyter notebooks: scanning the code inside JSON strings.
//!
//! A notebook stores each source line as a JSON string, so `api_key = "sk-…"` is on disk as
//! `"api_key = \"sk-…\"\n",`. Patterns written for source code do not match the escaped
//! form, so notebook text is unescaped before matching: `\"`, `\\` and `\/` become the
//! character, `\n`, `\r` and `\t` become a space (a real newline would shift line numbers),
//! and `\uXXXX` for ASCII becomes the character. Every unescaped byte remembers its offset in
//! the original file, so findings report the real line and column of the `.ipynb` file.

/// The text a file is matched against, and how its offsets map back to the file.
pub(crate) struct TextView<'a> {
    text: std::borrow::Cow<'a, [u8]>,
    /// For each byte of `text`, its offset in the original content (notebooks only), plus
    /// one trailing entry for the end.
    map: Option<Vec<u32>>,
}

impl<'a> TextView<'a> {
    /// The view for `content` at `path`: unescaped for notebooks, the content itself otherwise.
    pub(crate) fn new(path: &str, content: &'a [u8]) -> Self {
        let is_notebook = path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("ipynb"));
        if is_notebook
            && content.len() < u32::MAX as usize
            && memchr::memchr(b'\\', content).is_some()
        {
            let (text, map) = unescape_json_strings(content);
            Self {
                text: std::borrow::Cow::Owned(text),
                map: Some(map),
            }
        } else {
            Self {
                text: std::borrow::Cow::Borrowed(content),
                map: None,
            }
        }
    }

    pub(crate) fn text(&self) -> &[u8] {
        &self.text
    }

    /// The original-content offset of view offset `pos` (which may be `text().len()`).
    pub(crate) fn original(&self, pos: usize) -> usize {
        match &self.map {
            Some(map) => map[pos.min(map.len() - 1)] as usize,
            None => pos,
        }
    }
}

fn unescape_json_strings(content: &[u8]) -> (Vec<u8>, Vec<u32>) {
    let mut text = Vec::with_capacity(content.len());
    let mut map = Vec::with_capacity(content.len() + 1);
    let mut i = 0;
    while i < content.len() {
        let b = content[i];
        if b == b'\\' && i + 1 < content.len() {
            let next = content[i + 1];
            let replacement = match next {
                b'"' | b'\\' | b'/' => Some((next, 2)),
                b'n' | b'r' | b't' => Some((b' ', 2)),
                b'u' => ascii_unicode_escape(&content[i..]).map(|c| (c, 6)),
                _ => None,
            };
            if let Some((c, len)) = replacement {
                text.push(c);
                map.push(i as u32);
                i += len;
                continue;
            }
        }
        text.push(b);
        map.push(i as u32);
        i += 1;
    }
    map.push(content.len() as u32);
    (text, map)
}

/// `\u003c` → `<`, for escapes of printable ASCII only.
fn ascii_unicode_escape(s: &[u8]) -> Option<u8> {
    let hex = s.get(2..6)?;
    let hex = std::str::from_utf8(hex).ok()?;
    let code = u32::from_str_radix(hex, 16).ok()?;
    (0x20..0x7f).contains(&code).then_some(code as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notebook_strings_are_unescaped_and_map_back_to_the_file() {
        let content = br#"    "key = \"abc\"\n","#;
        let view = TextView::new("n.ipynb", content);
        assert_eq!(view.text(), br#"    "key = "abc" ","#);
        let at = view.text().iter().position(|&b| b == b'a').unwrap();
        assert_eq!(content[view.original(at)], b'a');
        assert_eq!(view.original(view.text().len()), content.len());
    }

    #[test]
    fn an_escaped_backslash_is_not_the_start_of_another_escape() {
        let view = TextView::new("n.ipynb", br#""a\\nb""#);
        assert_eq!(view.text(), br#""a\nb""#);
    }

    #[test]
    fn other_files_are_matched_as_they_are() {
        let content = br#"key = \"abc\""#;
        assert_eq!(TextView::new("a.json", content).text(), content);
    }
}

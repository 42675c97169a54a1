//! Masking secret values in a job's output before anything is stored.
//!
//! A job that prints its credentials — by accident, in a debug line, inside an HTTP header
//! it logs — must not put them into the run history. The masker knows every value injected
//! into the run and replaces, in each output stream, the value and the forms it commonly
//! takes on the way out:
//!
//! - the exact bytes;
//! - Base64 (standard and URL-safe alphabets): the value's own encoding, and the stretch of
//!   characters that encodes it when it sits at any of the three byte offsets inside a
//!   longer encoded string, such as `Authorization: Basic base64(user:password)`;
//! - URL-encoding (upper- and lower-case hex, `+` for spaces), as in query strings;
//! - JSON string escaping, as in a logged request body.
//!
//! Output arrives in chunks of arbitrary size, so a value can be split across two reads. The
//! masker keeps back the last `longest pattern - 1` bytes of every chunk until more output
//! (or the end of the stream) shows whether they start a secret; everything before that is
//! final and is released. One Aho-Corasick automaton finds all forms in one pass.
//!
//! Values shorter than [`MIN_MASKED_LEN`] bytes are not masked: replacing every `1` or `ok`
//! in a log would destroy it without protecting anything a guess would not find.

use std::collections::BTreeSet;

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// Shorter values are left alone (see the module documentation).
pub const MIN_MASKED_LEN: usize = 4;

/// Derived forms shorter than this are not used (a 2-character Base64 core would match noise).
const MIN_FORM_LEN: usize = 6;

/// The set of forms to mask, built once per run and shared by its streams.
#[derive(Debug, Clone)]
pub struct MaskSet {
    automaton: Option<AhoCorasick>,
    /// Replacement text for each pattern.
    replacements: Vec<String>,
    longest: usize,
}

/// The forms in which `value` is masked.
pub fn masked_forms(value: &str) -> BTreeSet<Vec<u8>> {
    let mut forms = BTreeSet::new();
    let bytes = value.as_bytes();
    forms.insert(bytes.to_vec());
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        for offset in 0..3usize {
            let mut padded = vec![0u8; offset];
            padded.extend_from_slice(bytes);
            let encoded = engine.encode(&padded);
            // Characters whose six bits all come from the value's bytes.
            let start = (offset * 8).div_ceil(6);
            let end = ((offset + bytes.len()) * 8) / 6;
            if end > start && end - start >= MIN_FORM_LEN {
                forms.insert(encoded.as_bytes()[start..end].to_vec());
            }
        }
    }
    for upper in [true, false] {
        for plus_for_space in [false, true] {
            forms.insert(percent_encode(bytes, upper, plus_for_space).into_bytes());
        }
    }
    let json = serde_json::to_string(value).expect("strings serialise");
    forms.insert(json.as_bytes()[1..json.len() - 1].to_vec());
    forms.insert(json_escape_ascii(value).into_bytes());
    forms.retain(|f| f.len() >= MIN_FORM_LEN || f.as_slice() == bytes);
    forms
}

fn percent_encode(bytes: &[u8], upper: bool, plus_for_space: bool) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else if b == b' ' && plus_for_space {
            out.push('+');
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

/// JSON escaping with every non-ASCII character as `\uXXXX` (what Python's `json.dumps`
/// writes by default).
fn json_escape_ascii(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

impl MaskSet {
    /// Masks for `(label, value)` pairs; the label (the variable name) appears in the
    /// replacement so a reader knows which secret was there.
    pub fn new<'a>(secrets: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut replacements = Vec::new();
        let mut seen = BTreeSet::new();
        for (label, value) in secrets {
            if value.len() < MIN_MASKED_LEN {
                continue;
            }
            for form in masked_forms(value) {
                if seen.insert(form.clone()) {
                    patterns.push(form);
                    replacements.push(format!("[masked {label}]"));
                }
            }
        }
        let longest = patterns.iter().map(Vec::len).max().unwrap_or(0);
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("literal patterns build")
        });
        Self {
            automaton,
            replacements,
            longest,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// A masker for one output stream.
    pub fn stream(&self) -> StreamMasker {
        StreamMasker {
            set: self.clone(),
            held: Vec::new(),
        }
    }

    /// Masks a complete text (ping bodies, error messages).
    pub fn mask_all(&self, text: &str) -> String {
        let mut stream = self.stream();
        let mut out = stream.push(text.as_bytes());
        out.extend(stream.finish());
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Masks one stream chunk by chunk; see the module documentation for the hold-back rule.
pub struct StreamMasker {
    set: MaskSet,
    held: Vec<u8>,
}

impl StreamMasker {
    /// Adds a chunk; returns the bytes that are now final (masked).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        let Some(automaton) = &self.set.automaton else {
            return chunk.to_vec();
        };
        self.held.extend_from_slice(chunk);
        let hold = self.set.longest - 1;
        // Any occurrence starting before `limit` lies wholly inside `held`.
        let limit = self.held.len().saturating_sub(hold);
        let mut out = Vec::with_capacity(self.held.len());
        let mut pos = 0;
        for m in automaton.find_iter(&self.held) {
            if m.start() >= limit {
                break;
            }
            out.extend_from_slice(&self.held[pos..m.start()]);
            out.extend_from_slice(self.set.replacements[m.pattern().as_usize()].as_bytes());
            pos = m.end();
        }
        let keep_from = pos.max(limit);
        out.extend_from_slice(&self.held[pos..keep_from]);
        self.held.drain(..keep_from);
        out
    }

    /// The end of the stream: masks and returns whatever was held back.
    pub fn finish(&mut self) -> Vec<u8> {
        let held = std::mem::take(&mut self.held);
        let Some(automaton) = &self.set.automaton else {
            return held;
        };
        let mut out = Vec::with_capacity(held.len());
        let mut pos = 0;
        for m in automaton.find_iter(&held) {
            out.extend_from_slice(&held[pos..m.start()]);
            out.extend_from_slice(self.set.replacements[m.pattern().as_usize()].as_bytes());
            pos = m.end();
        }
        out.extend_from_slice(&held[pos..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    const SECRET: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    fn mask(text: &str) -> String {
        MaskSet::new([("API_KEY", SECRET)]).mask_all(text)
    }

    #[test]
    fn the_exact_value_is_replaced_by_the_variable_name() {
        assert_eq!(
            mask(&format!("token={SECRET} ok")),
            "token=[masked API_KEY] ok"
        );
    }

    #[test]
    fn the_base64_form_is_masked() {
        let out = mask(&format!("b64: {}", STANDARD.encode(SECRET)));
        assert!(
            !out.contains(&STANDARD_NO_PAD.encode(SECRET)[..40]),
            "{out}"
        );
        assert!(out.contains("[masked API_KEY]"), "{out}");
    }

    #[test]
    fn a_basic_auth_header_that_embeds_the_value_is_masked_at_every_offset() {
        for user in ["a", "ab", "abc", "robot-user"] {
            let header = STANDARD.encode(format!("{user}:{SECRET}"));
            let out = mask(&format!("Authorization: Basic {header}"));
            assert!(out.contains("[masked API_KEY]"), "{user}: {out}");
            // What is left cannot be decoded back to the secret.
            assert!(!out.contains(&header), "{user}: {out}");
        }
    }

    #[test]
    fn url_encoded_and_json_escaped_forms_are_masked() {
        let secret = "p@ss w/rd\"+é-xyz";
        let set = MaskSet::new([("DB_PASSWORD", secret)]);
        for shown in [
            "p%40ss%20w%2Frd%22%2B%C3%A9-xyz".to_string(),
            "p%40ss+w%2frd%22%2b%c3%a9-xyz".to_string(),
            serde_json::to_string(secret).unwrap(),
            "p@ss w/rd\\\"+\\u00e9-xyz".to_string(),
        ] {
            let out = set.mask_all(&format!("url={shown}&x=1"));
            assert!(out.contains("[masked DB_PASSWORD]"), "{shown}: {out}");
            assert!(
                !out.contains("w/rd") && !out.contains("w%2"),
                "{shown}: {out}"
            );
        }
    }

    #[test]
    fn a_value_split_across_chunks_at_every_position_is_masked() {
        let set = MaskSet::new([("API_KEY", SECRET)]);
        let text = format!("before {SECRET} after\n");
        for cut in 0..text.len() {
            for cut2 in cut..text.len() {
                let mut stream = set.stream();
                let mut out = stream.push(&text.as_bytes()[..cut]);
                out.extend(stream.push(&text.as_bytes()[cut..cut2]));
                out.extend(stream.push(&text.as_bytes()[cut2..]));
                out.extend(stream.finish());
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    "before [masked API_KEY] after\n",
                    "cuts at {cut} and {cut2}"
                );
            }
        }
    }

    #[test]
    fn a_byte_at_a_time_stream_is_masked_and_nothing_is_lost() {
        let set = MaskSet::new([("A", SECRET), ("B", "second-secret-value")]);
        let text = format!("{SECRET}{SECRET} and second-secret-value, then plain text");
        let mut stream = set.stream();
        let mut out = Vec::new();
        for b in text.as_bytes() {
            out.extend(stream.push(std::slice::from_ref(b)));
        }
        out.extend(stream.finish());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[masked A][masked A] and [masked B], then plain text"
        );
    }

    #[test]
    fn very_short_values_are_not_masked_and_text_without_secrets_passes_unchanged() {
        let set = MaskSet::new([("PIN", "42")]);
        assert!(set.is_empty());
        assert_eq!(set.mask_all("answer 42"), "answer 42");
        assert_eq!(mask("nothing to hide"), "nothing to hide");
    }
}

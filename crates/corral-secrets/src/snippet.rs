//! The line shown with a finding: redacted, and short even when the line is not.
//!
//! A finding shows its line so a person can see the context without opening the file, but
//! that line holds the secret, and sometimes other secrets too (`KEY=… SECRET=…`). Every
//! secret found on the line is replaced by its redacted display. Minified JavaScript and
//! data files put 100 KB on one line; the snippet then keeps a window around the secret
//! and marks the cuts with `…`.

/// Lines longer than this (in bytes) are cut to a window around the secret.
const LONG_LINE: usize = 240;
/// Bytes kept on each side of the secret in a cut line.
const CONTEXT: usize = 80;

/// One secret on the line, as view offsets, with what to show instead.
pub(crate) struct Replacement<'a> {
    pub start: usize,
    pub end: usize,
    pub display: &'a str,
}

/// The redacted snippet for the secret at `focus` on the line `text[line_start..line_end]`.
/// `replacements` are every secret overlapping the line, sorted by start, non-overlapping.
pub(crate) fn redacted_line(
    text: &[u8],
    line_start: usize,
    line_end: usize,
    focus: (usize, usize),
    replacements: &[Replacement<'_>],
) -> String {
    let mut line_end = line_end;
    if line_end > line_start && text[line_end - 1] == b'\r' {
        line_end -= 1;
    }
    let (mut from, mut to) = (line_start, line_end);
    if line_end - line_start > LONG_LINE {
        from = focus.0.saturating_sub(CONTEXT).max(line_start);
        to = (focus.1.min(line_end) + CONTEXT).min(line_end);
        // Never cut through another secret: widen to include it whole, so it is replaced.
        for r in replacements {
            if r.start < from && r.end > from {
                from = r.start.max(line_start);
            }
            if r.start < to && r.end > to {
                to = r.end.min(line_end);
            }
        }
        while from > line_start && from < text.len() && is_continuation(text[from]) {
            from += 1;
        }
        while to < line_end && is_continuation(text[to]) {
            to -= 1;
        }
    }
    let mut out = Vec::with_capacity(to - from + 64);
    if from > line_start {
        out.extend_from_slice("…".as_bytes());
    }
    let mut at = from;
    for r in replacements {
        let (s, e) = (r.start.max(from), r.end.min(to));
        if e <= at || s >= to {
            continue;
        }
        out.extend_from_slice(&text[at..s.max(at)]);
        out.extend_from_slice(r.display.as_bytes());
        at = e;
    }
    if at < to {
        out.extend_from_slice(&text[at..to]);
    }
    if to < line_end {
        out.extend_from_slice("…".as_bytes());
    }
    let s = String::from_utf8_lossy(&out);
    s.trim().to_string()
}

fn is_continuation(b: u8) -> bool {
    (0x80..0xc0).contains(&b)
}

/// 1-based column of byte offset `pos` on the line starting at `line_start`, counting
/// Unicode code points (bytes that are not UTF-8 continuation bytes).
pub(crate) fn column(content: &[u8], line_start: usize, pos: usize) -> u32 {
    let chars = content[line_start..pos]
        .iter()
        .filter(|&&b| !is_continuation(b))
        .count();
    u32::try_from(chars + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_on_the_line_is_replaced() {
        let text = b"KEY=aaaa1111 SECRET=bbbb2222\n";
        let reps = [
            Replacement {
                start: 4,
                end: 12,
                display: "[k]",
            },
            Replacement {
                start: 20,
                end: 28,
                display: "[s]",
            },
        ];
        assert_eq!(
            redacted_line(text, 0, 28, (4, 12), &reps),
            "KEY=[k] SECRET=[s]"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_secret() {
        let mut text = vec![b'a'; 5000];
        text.extend_from_slice(b"TOKEN");
        text.extend(vec![b'b'; 5000]);
        let reps = [Replacement {
            start: 5000,
            end: 5005,
            display: "[t]",
        }];
        let s = redacted_line(&text, 0, text.len(), (5000, 5005), &reps);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.contains("[t]") && !s.contains("TOKEN"));
        assert!(s.len() < 200);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = x".as_bytes();
        assert_eq!(column(text, 0, text.len() - 1), 5);
    }
}

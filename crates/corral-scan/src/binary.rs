//! Telling text from binary content.
//!
//! Scanners read text; images, archives, compiled objects and databases only produce noise
//! and cost time. Like git and ripgrep, a file counts as binary when a NUL byte appears in
//! its first 8 KiB: text encodings in use for source code (UTF-8, Latin-1, Windows-1252)
//! never contain NUL, nearly every binary format does early on, and looking at one block
//! keeps the check constant-time for large files. (UTF-16 text also contains NULs and is
//! skipped as binary; it is rare in source trees.)

/// How many leading bytes are inspected.
pub const INSPECTED_BYTES: usize = 8 * 1024;

/// Whether `content` looks binary.
pub fn looks_binary(content: &[u8]) -> bool {
    let head = &content[..content.len().min(INSPECTED_BYTES)];
    head.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_common_encodings_is_not_binary() {
        assert!(!looks_binary(b"API_KEY=abc\n"));
        assert!(!looks_binary("naïve café = 1\n".as_bytes()));
        assert!(!looks_binary(&[b'a', 0xe9, b'b', b'\n'])); // Latin-1
        assert!(!looks_binary(b""));
    }

    #[test]
    fn content_with_a_nul_byte_early_is_binary() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        let mut late = vec![b'a'; INSPECTED_BYTES + 10];
        late.push(0);
        assert!(!looks_binary(&late), "only the first block is inspected");
    }
}

//! Decoding files people export from their machines: UTF-8 (with or without a byte order
//! mark) or UTF-16 in either byte order — `schtasks /query /xml` writes UTF-16LE with a
//! BOM, and some editors drop the BOM, which the zero bytes of ASCII text still betray.

/// The text of `bytes`, or why it is not text.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    // No BOM: ASCII-range UTF-16 has a zero in every other byte.
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        if bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
            return utf16(bytes, u16::from_le_bytes);
        }
        if bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
            return utf16(bytes, u16::from_be_bytes);
        }
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not UTF-8 or UTF-16 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes (truncated file?)".into());
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| word([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for unit in text.encode_utf16() {
            out.extend(unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf16_with_and_without_a_bom_and_utf8_with_a_bom_decode() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Task/>";
        assert_eq!(decode(&utf16le(xml, true)).unwrap(), xml);
        assert_eq!(decode(&utf16le(xml, false)).unwrap(), xml);
        let mut be = vec![0xFE, 0xFF];
        for unit in xml.encode_utf16() {
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap(), xml);
        assert_eq!(decode(b"\xEF\xBB\xBF0 7 * * * x").unwrap(), "0 7 * * * x");
    }

    #[test]
    fn binary_data_is_refused_with_the_offset() {
        let err = decode(&[b'a', b'b', 0xC3, 0x28, b'c']).unwrap_err();
        assert!(err.contains("offset 2"), "{err}");
    }
}

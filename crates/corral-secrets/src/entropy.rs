//! Shannon entropy of a candidate secret.
//!
//! Random tokens use their alphabet evenly, so their entropy per character is high (about
//! 5.2 bits for base64, 4 for hex); words, placeholders and repeated characters score low.
//! A per-detector minimum filters `aaaaaaaa`-style fillers and `password123` without
//! needing a list of every placeholder anyone ever wrote.

/// Bits of entropy per byte of `data`, from the byte frequencies in `data` itself.
pub fn shannon(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_characters_have_no_entropy() {
        assert_eq!(shannon(b"aaaaaaaa"), 0.0);
        assert_eq!(shannon(b""), 0.0);
    }

    #[test]
    fn random_looking_tokens_score_higher_than_words() {
        assert!(shannon(b"q7Zp2LmX9vR4tK8wN3bY6cH1") > 4.0);
        assert!(shannon(b"passwordpassword") < 3.0);
    }

    #[test]
    fn two_equally_frequent_symbols_give_one_bit() {
        assert!((shannon(b"abab") - 1.0).abs() < 1e-9);
    }
}

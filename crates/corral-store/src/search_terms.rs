//! The word index behind the registry's free-text search.
//!
//! Searching "payroll" must be fast whether it matches one asset in 100,000 or one in eight.
//! A `LIKE '%payroll%'` over the table reads every row when matches are rare (60 ms at
//! 100,000 assets), and no index can help a pattern that starts with a wildcard. So each
//! asset's name, purpose, department and owner are split into words, stored in
//! `asset_terms (term, asset_id)` and kept in step with the asset; a query word matches an
//! asset that has a term *starting with* it (`pay` finds "payroll"; `roll` does not), which is
//! how search boxes behave.
//!
//! A prefix is the range `word <= term < word || U+10FFFF` in byte order: SQLite compares
//! text bytewise, and the PostgreSQL column is declared `COLLATE "C"` so that the database's
//! locale cannot reorder it.
//!
//! How to use the index depends on how common the word is. For a rare word the fastest plan
//! starts from its few assets and sorts them; for a common one it walks the assets in list
//! order and stops after a page, probing each asset for the word in the `(asset_id, term)`
//! index (starting from 15,000 matches and sorting them costs 30 ms; the walk costs 2).
//! PostgreSQL's planner knows the term frequencies from its statistics and picks by itself.
//! SQLite keeps no statistics unless told to, so
//! [`Store::list_assets`](crate::Store::list_assets) first counts each word's terms up to
//! [`RARE_TERM_LIMIT`] (microseconds, on the index) and writes the query in the shape of the
//! plan it wants. Totals are counted from the words' asset sets, which costs in proportion to
//! the matches once, and are then remembered (see `count_cache.rs`).

/// Longest term stored, in characters; longer words are cut, and query words too, so a
/// prefix still finds them.
pub const MAX_TERM_CHARS: usize = 64;

/// Words of a query that count; the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 8;

/// A word with at most this many terms in the index is "rare": lists start from it.
pub const RARE_TERM_LIMIT: i64 = 1000;

/// The distinct lower-cased words of `text`: runs of letters and digits, each cut to
/// [`MAX_TERM_CHARS`].
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = words(text).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The words of one query string, in order, for prefix matching. A query word with no letters
/// or digits at all (`_`, `%`) yields [`QueryWord::Unmatchable`]: no term can start with it.
pub fn query_words(text: &str) -> Vec<QueryWord> {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        let mut any = false;
        for w in words(raw) {
            any = true;
            out.push(QueryWord::Prefix(w));
        }
        if !any {
            out.push(QueryWord::Unmatchable);
        }
    }
    out.truncate(MAX_QUERY_TERMS);
    out
}

/// One word of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryWord {
    /// Matches assets with a term starting with this.
    Prefix(String),
    /// Matches nothing.
    Unmatchable,
}

/// The exclusive upper bound of the terms starting with `prefix`.
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .take(MAX_TERM_CHARS)
                .collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_the_distinct_lower_cased_words() {
        assert_eq!(
            terms("Lead-Scoring: scores LEADS for ana@example.com, lead by lead"),
            [
                "ana", "by", "com", "example", "for", "lead", "leads", "scores", "scoring"
            ]
        );
        assert_eq!(
            terms("Überprüfung der Gehälter"),
            ["der", "gehälter", "überprüfung"]
        );
    }

    #[test]
    fn long_words_are_cut_and_queries_cut_the_same_way() {
        let long = "a".repeat(100);
        assert_eq!(terms(&long)[0].chars().count(), MAX_TERM_CHARS);
        assert_eq!(
            query_words(&long),
            [QueryWord::Prefix("a".repeat(MAX_TERM_CHARS))]
        );
    }

    #[test]
    fn query_punctuation_splits_words_and_a_bare_symbol_matches_nothing() {
        assert_eq!(
            query_words("ana@example 100% _"),
            [
                QueryWord::Prefix("ana".into()),
                QueryWord::Prefix("example".into()),
                QueryWord::Prefix("100".into()),
                QueryWord::Unmatchable,
            ]
        );
        assert_eq!(query_words("a b c d e f g h i j").len(), MAX_QUERY_TERMS);
    }

    #[test]
    fn a_prefix_range_holds_exactly_the_words_that_start_with_it() {
        let (lo, hi) = ("pay".to_string(), prefix_end("pay"));
        for inside in ["pay", "payroll", "pay\u{10FFFE}", "payé"] {
            assert!(lo.as_str() <= inside && inside < hi.as_str(), "{inside}");
        }
        for outside in ["pax", "paz", "pa", "payroll"[..2].as_ref(), "pbz"] {
            assert!(
                !(lo.as_str() <= outside && outside < hi.as_str()),
                "{outside}"
            );
        }
    }
}

//! Writes the established-words list the typosquat check ships (`data/name-words-*.txt`).
//!
//! Usage: `name_words pypi|npm PACKAGE_LIST.tsv > crates/corral-deps/data/name-words-pypi.txt`
//!
//! PACKAGE_LIST.tsv is the ecosystem's full name list (first column: the name; the first
//! line is a header). See `corral_deps::name_words` for what the list is for.

use corral_deps::name::normalize;
use corral_deps::name_words::{MIN_NAMES, MIN_NAMES_SHORT, words_from_names};
use corral_model::Ecosystem;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(ecosystem), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: name_words pypi|npm PACKAGE_LIST.tsv");
        std::process::exit(2);
    };
    let ecosystem: Ecosystem = ecosystem.parse().expect("pypi or npm");
    let text = std::fs::read_to_string(path).expect("read the package list");
    let names: Vec<String> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(|n| normalize(ecosystem, n))
        .collect();
    let words = words_from_names(names.iter().map(String::as_str), MIN_NAMES, MIN_NAMES_SHORT);
    println!(
        "# Words found in at least {MIN_NAMES} ({MIN_NAMES_SHORT} for words of 3 letters or fewer) of the {} {ecosystem} names of the package list it was made from.",
        names.len()
    );
    println!("# Regenerate: cargo run -p corral-deps --example name_words {ecosystem} LIST.tsv");
    for w in words {
        println!("{w}");
    }
}

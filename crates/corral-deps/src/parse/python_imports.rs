//! Dependencies of Python scripts that have no manifest, inferred from `import` lines.
//!
//! This is the common case for AI-written scripts: a single `.py` file, no requirements file,
//! and an assistant that may have invented a package. `import a.b, c as d` and `from a.b import
//! c` are read line by line (docstrings skipped); relative imports and the standard library
//! (the shipped `data/python-stdlib.txt`) are dropped. Import names map to the distribution
//! that provides them when the two differ (`yaml` → `pyyaml`, `cv2` → `opencv-python`: the
//! shipped `data/import-names.tsv`); otherwise the import name is the package name.
//! Modules of the project itself are removed in the scanner's finish step, which sees every
//! file of the scan.

use std::collections::HashSet;
use std::sync::OnceLock;

use corral_model::Ecosystem;

use super::{FileKind, Import, Parsed};

fn stdlib() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../../data/python-stdlib.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

fn import_names() -> &'static Vec<(&'static str, &'static str)> {
    static MAP: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: Vec<(&str, &str)> = include_str!("../../data/import-names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect();
        // Longest prefix first.
        map.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
        map
    })
}

/// Whether `module` (top-level name) is part of the standard library.
pub fn is_stdlib(module: &str) -> bool {
    stdlib().contains(module)
}

/// The distribution that provides the dotted module `module`.
pub fn distribution_for(module: &str) -> String {
    for (prefix, dist) in import_names() {
        if module == *prefix
            || (module.starts_with(prefix) && module.as_bytes().get(prefix.len()) == Some(&b'.'))
        {
            return dist.to_string();
        }
    }
    let top = module.split('.').next().unwrap_or(module);
    crate::name::pep503(top)
}

pub fn parse(_path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Source(Ecosystem::PyPI)),
        ..Parsed::default()
    };
    let mut seen = HashSet::new();
    let mut in_string: Option<&str> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(quote) = in_string {
            if line.matches(quote).count() % 2 == 1 {
                in_string = None;
            }
            continue;
        }
        for quote in ["\"\"\"", "'''"] {
            if line.matches(quote).count() % 2 == 1 {
                in_string = Some(quote);
            }
        }
        if in_string.is_some() && !line.starts_with("import ") && !line.starts_with("from ") {
            continue;
        }
        let code = line.split('#').next().unwrap_or("").trim_end_matches(';');
        let modules: Vec<&str> = if let Some(rest) = code.strip_prefix("import ") {
            rest.split(',')
                .map(|part| part.split_whitespace().next().unwrap_or(""))
                .collect()
        } else if let Some(rest) = code.strip_prefix("from ") {
            match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
                [module, "import", ..] => vec![*module],
                _ => vec![],
            }
        } else {
            continue;
        };
        for module in modules {
            let module = module.trim_matches(|c| c == '(' || c == ')');
            if module.is_empty() || module.starts_with('.') {
                continue;
            }
            let top = module.split('.').next().unwrap_or(module);
            let valid = top
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && top.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid || is_stdlib(top) || top == "__future__" {
                continue;
            }
            let package = distribution_for(module);
            if seen.insert(package.clone()) {
                parsed.imports.push(Import {
                    module: top.to_string(),
                    package,
                    line: i as u32 + 1,
                });
            }
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(text: &str) -> Vec<(String, u32)> {
        parse("s.py", text)
            .imports
            .into_iter()
            .map(|i| (i.package, i.line))
            .collect()
    }

    #[test]
    fn third_party_imports_are_kept_and_the_standard_library_is_not() {
        let text = "import os, sys\nimport requests\nfrom pandas import DataFrame\nimport json as j\nfrom collections.abc import Mapping\n";
        assert_eq!(
            packages(text),
            [("requests".into(), 2), ("pandas".into(), 3)]
        );
    }

    #[test]
    fn import_names_map_to_the_distribution_that_provides_them() {
        let text = "import yaml\nfrom bs4 import BeautifulSoup\nimport cv2\nfrom sklearn.linear_model import X\nfrom PIL import Image\nfrom google.cloud import storage\nimport google.cloud.storage\n";
        let got: Vec<String> = packages(text).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            got,
            [
                "pyyaml",
                "beautifulsoup4",
                "opencv-python",
                "scikit-learn",
                "pillow",
                "google",
                "google-cloud-storage"
            ]
        );
    }

    #[test]
    fn relative_imports_docstrings_and_comments_are_ignored() {
        let text = "from . import helpers\nfrom .models import X\n\"\"\"\nimport notreal\n\"\"\"\n# import alsonot\nx = 1  # import nope\n";
        assert!(packages(text).is_empty());
    }
}

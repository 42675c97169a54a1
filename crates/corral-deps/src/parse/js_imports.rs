//! Dependencies of JavaScript/TypeScript files that have no `package.json`, inferred from
//! `require("x")`, `import … from "x"`, `import "x"`, `import("x")` and `export … from "x"`.
//!
//! Only bare specifiers name packages: relative and absolute paths, URLs, `node:` modules and
//! Node's built-in modules (the shipped `data/node-builtins.txt`) are not dependencies, and
//! neither are common path aliases (`@/…`, `~/…`). A specifier's package is its first path
//! segment, or its first two for scoped packages (`@babel/core/lib/x` → `@babel/core`).

use std::collections::HashSet;
use std::sync::OnceLock;

use corral_model::Ecosystem;
use regex::Regex;

use super::{FileKind, Import, Parsed};

/// Whether a (lower-cased) file name is a JS/TS source read for imports.
pub fn is_js_source(lower: &str) -> bool {
    [".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"]
        .iter()
        .any(|e| lower.ends_with(e))
        && !lower.ends_with(".min.js")
        && !lower.ends_with(".d.ts")
}

fn builtins() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../../data/node-builtins.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let ws = "[ \\t\\r\\n]";
        let clause = "[A-Za-z0-9_$*{},. \\t\\r\\n]+?";
        let q = "[\"'`]([^\"'`\\r\\n]+)[\"'`]";
        Regex::new(&format!(
            "(?:\\brequire{ws}*\\({ws}*{q})|(?:\\bimport{ws}*\\({ws}*{q})|(?:\\bimport{ws}+(?:{clause}{ws}+from{ws}*)?{q})|(?:\\bexport{ws}+{clause}{ws}+from{ws}*{q})"
        ))
        .expect("the import pattern is valid")
    })
}

/// The package a module specifier refers to, or `None` when it is not a package.
pub fn package_of(specifier: &str) -> Option<String> {
    let s = specifier.trim();
    if s.is_empty()
        || s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with("@/")
        || s.starts_with('~')
        || s.starts_with('#')
        || s.contains(':')
    {
        return None;
    }
    let mut parts = s.split('/');
    let first = parts.next()?;
    let name = if first.starts_with('@') {
        format!("{first}/{}", parts.next()?)
    } else {
        first.to_string()
    };
    if builtins().contains(name.as_str()) || !crate::name::is_plausible(Ecosystem::Npm, &name) {
        return None;
    }
    Some(name)
}

pub fn parse(_path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Source(Ecosystem::Npm)),
        ..Parsed::default()
    };
    let mut seen = HashSet::new();
    let mut lines = super::LineCounter::new(text);
    for caps in pattern().captures_iter(text) {
        let Some(m) = (1..=4).find_map(|i| caps.get(i)) else {
            continue;
        };
        let Some(package) = package_of(m.as_str()) else {
            continue;
        };
        if seen.insert(package.clone()) {
            let line = lines.line_at(m.start());
            parsed.imports.push(Import {
                module: package.clone(),
                package,
                line,
            });
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_import_form_names_its_package() {
        let text = "const fs = require('fs');\nconst _ = require(\"lodash/fp\");\nimport React, { useState } from 'react';\nimport '@babel/polyfill/noConflict';\nexport { x } from \"left-pad\";\nconst m = await import('chalk');\nimport type { T } from 'zod';\nimport x from './local';\nimport p from 'node:path';\nimport a from '@/components/a';\n";
        let got: Vec<_> = parse("a.ts", text)
            .imports
            .into_iter()
            .map(|i| (i.package, i.line))
            .collect();
        assert_eq!(
            got,
            [
                ("lodash".to_string(), 2),
                ("react".to_string(), 3),
                ("@babel/polyfill".to_string(), 4),
                ("left-pad".to_string(), 5),
                ("chalk".to_string(), 6),
                ("zod".to_string(), 7),
            ]
        );
    }

    #[test]
    fn built_ins_and_paths_are_not_packages() {
        assert_eq!(package_of("crypto"), None);
        assert_eq!(package_of("fs/promises"), None);
        assert_eq!(package_of("https://example.invalid/x.js"), None);
        assert_eq!(package_of("@scope/pkg/sub").as_deref(), Some("@scope/pkg"));
    }
}

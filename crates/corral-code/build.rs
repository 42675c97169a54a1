//! Embeds the built-in rule and taint specification files into the library, so the
//! scanner needs nothing on disk at run time. Every `*.yaml` under `rules/` and `taint/` is
//! included; adding a rule is adding a file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut code = String::new();
    for (name, dir) in [("BUILTIN_RULES", "rules"), ("BUILTIN_TAINT_SPECS", "taint")] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        yaml_files(&root.join(dir), &mut files);
        writeln!(code, "pub const {name}: &[(&str, &str)] = &[").unwrap();
        for f in files {
            // Per file: a directory entry alone does not change when a file is edited.
            println!("cargo:rerun-if-changed={}", f.display());
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            writeln!(
                code,
                "    ({rel:?}, include_str!({:?})),",
                f.to_string_lossy()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

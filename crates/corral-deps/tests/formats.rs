//! Every supported file format, read from a fixture: names, versions and no problems.

use std::path::Path;

use corral_deps::parse::parse_file;

fn read(fixture: &str, as_name: &str) -> Vec<(String, Option<String>)> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/formats"
    ))
    .join(fixture);
    let content = std::fs::read(&path).unwrap();
    let parsed = parse_file(as_name, &content).unwrap_or_else(|| panic!("{as_name} has no parser"));
    assert!(
        parsed.problems.is_empty(),
        "{fixture}: {:?}",
        parsed.problems
    );
    let mut out: Vec<_> = parsed
        .components
        .into_iter()
        .map(|c| (c.name, c.version))
        .collect();
    out.extend(parsed.imports.into_iter().map(|i| (i.package, None)));
    out
}

fn v(items: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    items
        .iter()
        .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
        .collect()
}

#[test]
fn python_manifests_and_lockfiles() {
    assert_eq!(
        read("requirements.txt", "requirements.txt"),
        v(&[
            ("requests", Some("2.19.0")),
            ("flask", None),
            ("internal-tool", None)
        ])
    );
    assert_eq!(
        read("pyproject.toml", "pyproject.toml"),
        v(&[
            ("pandas", Some("2.2.2")),
            ("openpyxl", None),
            ("matplotlib", None),
            ("pytest", None)
        ])
    );
    assert_eq!(
        read("poetry-pyproject.toml", "pyproject.toml"),
        v(&[("httpx", None), ("rich", Some("13.7.1")), ("click", None)])
    );
    assert_eq!(
        read("uv.lock", "uv.lock"),
        v(&[("pandas", Some("2.2.2")), ("numpy", Some("1.26.4"))])
    );
    assert_eq!(
        read("poetry.lock", "poetry.lock"),
        v(&[("httpx", Some("0.27.0")), ("rich", Some("13.7.1"))])
    );
    assert_eq!(
        read("Pipfile.lock", "Pipfile.lock"),
        v(&[
            ("django", Some("4.2.0")),
            ("sqlparse", Some("0.5.0")),
            ("pytest", Some("8.3.2"))
        ])
    );
    assert_eq!(
        read("pylock.toml", "pylock.toml"),
        v(&[("attrs", Some("24.2.0")), ("urllib3", Some("1.26.5"))])
    );
}

#[test]
fn python_scripts_with_and_without_inline_metadata() {
    assert_eq!(
        read("inline_script.py", "inline_script.py"),
        v(&[("requests", None), ("rich", Some("13.7.1"))])
    );
    assert_eq!(
        read("bare_script.py", "bare_script.py"),
        v(&[("pyyaml", None), ("beautifulsoup4", None), ("pandas", None)])
    );
}

#[test]
fn npm_manifests_and_lockfiles() {
    assert_eq!(
        read("package.json", "package.json"),
        v(&[
            ("express", None),
            ("lodash", Some("4.17.20")),
            ("jest", None)
        ])
    );
    assert_eq!(
        read("package-lock.json", "package-lock.json"),
        v(&[
            ("express", Some("4.17.1")),
            ("lodash", Some("4.17.20")),
            ("qs", Some("6.7.0"))
        ])
    );
    assert_eq!(
        read("package-lock-v2.json", "package-lock.json"),
        v(&[
            ("@sentry/node", Some("7.100.0")),
            ("minimist", Some("1.2.5")),
            ("mocha", Some("10.2.0")),
            ("minimist", Some("1.2.0"))
        ]),
        "v2 is read from `packages` once, not again from its v1 `dependencies` section"
    );
    assert_eq!(
        read("package-lock-v1.json", "package-lock.json"),
        v(&[("minimist", Some("1.2.0")), ("left-pad", Some("1.3.0"))])
    );
    assert_eq!(
        read("yarn.lock", "yarn.lock"),
        v(&[
            ("@babel/code-frame", Some("7.24.7")),
            ("lodash", Some("4.17.15"))
        ])
    );
    assert_eq!(
        read("yarn-berry.lock", "yarn.lock"),
        v(&[("axios", Some("1.6.0"))])
    );
    assert_eq!(
        read("pnpm-lock.yaml", "pnpm-lock.yaml"),
        v(&[
            ("react", Some("18.3.1")),
            ("loose-envify", Some("1.4.0")),
            ("@types/node", Some("20.14.0"))
        ])
    );
    assert_eq!(
        read("bare_script.mjs", "bare_script.mjs"),
        v(&[("axios", None), ("lodash", None)])
    );
    assert_eq!(
        read("bare_script.ts", "bare_script.ts"),
        v(&[
            ("express", None),
            ("zod", None),
            ("got", None),
            ("@acme/shared-utils", None),
            ("dayjs", None)
        ])
    );
}

#[test]
fn a_v2_lockfile_marks_the_root_dependencies_direct_and_nested_copies_transitive() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/formats/package-lock-v2.json"
    ));
    let parsed = parse_file("web/package-lock.json", &std::fs::read(path).unwrap()).unwrap();
    let got: Vec<_> = parsed
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_deref(), c.direct, c.line))
        .collect();
    assert_eq!(
        got,
        [
            ("@sentry/node", Some("7.100.0"), true, Some(19)),
            ("minimist", Some("1.2.5"), true, Some(24)),
            ("mocha", Some("10.2.0"), true, Some(29)),
            ("minimist", Some("1.2.0"), false, Some(34)),
        ],
        "the linked workspace `shared` is the project's own code"
    );
}

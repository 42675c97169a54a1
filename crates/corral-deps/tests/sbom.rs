//! The SBOM is valid CycloneDX 1.5: validated against the published JSON schema (vendored
//! under `tests/fixtures/cyclonedx/`, see its README for the origin).

use std::path::Path;

use chrono::Utc;
use corral_deps::parse::{FileKind, parse_file};
use corral_deps::sbom::{SbomMetadata, cyclonedx};
use corral_model::{Component, ComponentSource};
use serde_json::Value;

fn schema_file(name: &str) -> Value {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cyclonedx"
    ))
    .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// The CycloneDX 1.5 validator over the vendored schemas; nothing is fetched.
fn validator() -> jsonschema::Validator {
    let base = "http://cyclonedx.org/schema/";
    jsonschema::options()
        .with_resource(
            format!("{base}spdx.SNAPSHOT.schema.json"),
            jsonschema::Resource::from_contents(schema_file("spdx.SNAPSHOT.schema.json")).unwrap(),
        )
        .with_resource(
            format!("{base}jsf-0.82.SNAPSHOT.schema.json"),
            jsonschema::Resource::from_contents(schema_file("jsf-0.82.SNAPSHOT.schema.json"))
                .unwrap(),
        )
        .build(&schema_file("bom-1.5.SNAPSHOT.schema.json"))
        .unwrap()
}

fn sbom(components: &[corral_model::Component]) -> Value {
    cyclonedx(
        components,
        &SbomMetadata {
            tool_version: "0.1.0".into(),
            subject: "fixtures".into(),
            timestamp: Utc::now(),
            serial_number: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
        },
    )
}

/// The name a format fixture stands for: several fixtures of one format carry a suffix
/// (`package-lock-v1.json` is a `package-lock.json`).
fn parsed_as(fixture: &str) -> &str {
    match fixture {
        "package-lock-v1.json" | "package-lock-v2.json" => "package-lock.json",
        "poetry-pyproject.toml" => "pyproject.toml",
        "yarn-berry.lock" => "yarn.lock",
        other => other,
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_sbom_of_every_fixture_validates_against_cyclonedx_1_5() {
    let validator = validator();
    let mut everything = Vec::new();
    let mut checked = Vec::new();
    for tree in ["formats", "project", "includes"] {
        let mut files = Vec::new();
        files_under(&fixtures().join(tree), &mut files);
        for file in files {
            let fixture = file.file_name().unwrap().to_str().unwrap();
            let relative = file.strip_prefix(fixtures()).unwrap().to_str().unwrap();
            let as_name = file
                .with_file_name(parsed_as(fixture))
                .to_string_lossy()
                .into_owned();
            let Some(parsed) = parse_file(&as_name, &std::fs::read(&file).unwrap()) else {
                assert_ne!(
                    tree, "formats",
                    "{relative} is a format fixture no parser reads: map it in parsed_as"
                );
                continue;
            };
            // A bare script's imports become components in the scan's finish step; do the
            // same here so the SBOM covers them.
            let mut components = parsed.components;
            if let Some(FileKind::Source(ecosystem)) = parsed.kind {
                components.extend(parsed.imports.into_iter().map(|i| Component {
                    ecosystem,
                    name: i.package,
                    version: None,
                    requirement: None,
                    source: ComponentSource::Import,
                    path: relative.to_string(),
                    line: Some(i.line),
                    direct: true,
                    license: None,
                }));
            }
            if components.is_empty() {
                // Only a script with nothing third-party in it (a local helper module) may
                // yield nothing; every format fixture has packages.
                assert_ne!(tree, "formats", "{relative} yielded no components");
                continue;
            }
            let bom = sbom(&components);
            let errors: Vec<String> = validator
                .iter_errors(&bom)
                .map(|e| format!("{} at {}", e, e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{relative}: {errors:#?}");
            checked.push(relative.to_string());
            everything.extend(components);
        }
    }
    for expected in [
        "formats/Pipfile.lock",
        "formats/bare_script.mjs",
        "formats/bare_script.py",
        "formats/inline_script.py",
        "formats/package-lock-v1.json",
        "formats/package-lock-v2.json",
        "formats/package-lock.json",
        "formats/package.json",
        "formats/pnpm-lock.yaml",
        "formats/poetry-pyproject.toml",
        "formats/poetry.lock",
        "formats/pylock.toml",
        "formats/pyproject.toml",
        "formats/requirements.txt",
        "formats/uv.lock",
        "formats/yarn-berry.lock",
        "formats/yarn.lock",
        "includes/service/requirements.txt",
        "project/scripts/sync.py",
        "project/service/requirements.txt",
        "project/webapp/package-lock.json",
        "project/webapp/package.json",
    ] {
        assert!(
            checked.iter().any(|c| c == expected),
            "{expected} was not validated: {checked:?}"
        );
    }

    // All of them in one document too.
    let bom = sbom(&everything);
    let errors: Vec<String> = validator
        .iter_errors(&bom)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // And a broken document is rejected, so the validation above is real.
    let mut broken = bom.clone();
    broken["components"][0]["type"] = "not-a-type".into();
    assert!(!validator.is_valid(&broken));
    let purls: Vec<_> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap().to_string())
        .collect();
    assert!(
        purls.contains(&"pkg:npm/express@4.17.1".to_string()),
        "{purls:?}"
    );
    assert!(
        purls.contains(&"pkg:pypi/requests@2.19.0".to_string()),
        "{purls:?}"
    );
}

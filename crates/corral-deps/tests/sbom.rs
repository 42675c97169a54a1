//! The SBOM is valid CycloneDX 1.5: validated against the published JSON schema (vendored
//! under `tests/fixtures/cyclonedx/`, see its README for the origin).

use std::path::Path;

use chrono::Utc;
use corral_deps::parse::parse_file;
use corral_deps::sbom::{SbomMetadata, cyclonedx};
use serde_json::Value;

fn schema_file(name: &str) -> Value {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cyclonedx"
    ))
    .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_sbom_of_every_fixture_format_validates_against_cyclonedx_1_5() {
    let formats = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/formats"
    ));
    let mut components = Vec::new();
    for (fixture, as_name) in [
        ("requirements.txt", "requirements.txt"),
        ("uv.lock", "uv.lock"),
        ("package-lock.json", "package-lock.json"),
        ("pnpm-lock.yaml", "pnpm-lock.yaml"),
        ("inline_script.py", "inline_script.py"),
    ] {
        let parsed = parse_file(as_name, &std::fs::read(formats.join(fixture)).unwrap()).unwrap();
        components.extend(parsed.components);
    }
    assert!(components.len() >= 10);
    let bom = cyclonedx(
        &components,
        &SbomMetadata {
            tool_version: "0.1.0".into(),
            subject: "fixtures".into(),
            timestamp: Utc::now(),
            serial_number: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
        },
    );

    let base = "http://cyclonedx.org/schema/";
    let validator = jsonschema::options()
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
        .unwrap();
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

//! CycloneDX 1.5 JSON SBOMs of the components a scan found.
//!
//! Every component becomes a `library` with its package URL (`pkg:pypi/requests@2.31.0`).
//! A package declared in several files (a manifest and its lockfile, two services) is listed
//! once per distinct purl, with every declaration kept as a `corral:declared-in` property, so
//! an SBOM consumer sees one entry per thing installed and can still trace where it came from.
//! The document is built as plain JSON: the format is small, and building it directly keeps
//! the field names exactly as the specification spells them.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use corral_model::Component;
use serde_json::{Value, json};

/// What to say about the tool and the thing described.
#[derive(Debug, Clone)]
pub struct SbomMetadata {
    pub tool_version: String,
    /// Name of the project or directory described.
    pub subject: String,
    pub timestamp: DateTime<Utc>,
    /// `urn:uuid:…`; unique per document.
    pub serial_number: String,
}

/// Builds a CycloneDX 1.5 JSON document listing `components`.
pub fn cyclonedx(components: &[Component], meta: &SbomMetadata) -> Value {
    // purl -> (first component, declarations)
    let mut by_purl: BTreeMap<String, (&Component, Vec<String>)> = BTreeMap::new();
    for c in components {
        let declared = match c.line {
            Some(line) => format!("{}:{line}", c.path),
            None => c.path.clone(),
        };
        let entry = by_purl.entry(c.purl()).or_insert((c, Vec::new()));
        if !entry.1.contains(&declared) {
            entry.1.push(declared);
        }
        // Prefer the most informative record (one with a licence or a direct declaration).
        if entry.0.license.is_none() && c.license.is_some() {
            entry.0 = c;
        }
    }
    let list: Vec<Value> = by_purl
        .into_iter()
        .map(|(purl, (c, declared))| {
            let mut properties = vec![
                json!({"name": "corral:ecosystem", "value": c.ecosystem.as_str()}),
                json!({"name": "corral:source", "value": serde_json::to_value(c.source).unwrap_or(Value::Null)}),
                json!({"name": "corral:direct", "value": c.direct.to_string()}),
            ];
            if let Some(r) = &c.requirement {
                properties.push(json!({"name": "corral:requirement", "value": r}));
            }
            properties.extend(declared.iter().map(|d| json!({"name": "corral:declared-in", "value": d})));
            let mut component = json!({
                "type": "library",
                "bom-ref": purl,
                "name": c.name,
                "purl": purl,
                "scope": if c.direct { "required" } else { "optional" },
                "properties": properties,
            });
            if let Some(v) = &c.version {
                component["version"] = json!(v);
            }
            if let Some(l) = &c.license {
                component["licenses"] = json!([{ "expression": l }]);
            }
            component
        })
        .collect();
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": meta.serial_number,
        "version": 1,
        "metadata": {
            "timestamp": meta.timestamp.to_rfc3339_opts(SecondsFormat::Secs, true),
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "corral",
                    "version": meta.tool_version,
                }]
            },
            "component": {
                "type": "application",
                "bom-ref": "subject",
                "name": meta.subject,
            }
        },
        "components": list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::{ComponentSource, Ecosystem};

    fn component(path: &str, name: &str, version: Option<&str>) -> Component {
        Component {
            ecosystem: Ecosystem::PyPI,
            name: name.into(),
            version: version.map(Into::into),
            requirement: None,
            source: ComponentSource::Lockfile,
            path: path.into(),
            line: Some(3),
            direct: true,
            license: Some("Apache-2.0".into()),
        }
    }

    #[test]
    fn one_entry_per_purl_keeps_every_declaration() {
        let meta = SbomMetadata {
            tool_version: "0.1.0".into(),
            subject: "demo".into(),
            timestamp: Utc::now(),
            serial_number: "urn:uuid:00000000-0000-4000-8000-000000000000".into(),
        };
        let bom = cyclonedx(
            &[
                component("a/uv.lock", "requests", Some("2.31.0")),
                component("b/uv.lock", "Requests", Some("2.31.0")),
                component("b/uv.lock", "idna", None),
            ],
            &meta,
        );
        let components = bom["components"].as_array().unwrap();
        assert_eq!(components.len(), 2);
        assert_eq!(components[0]["purl"], "pkg:pypi/idna");
        assert_eq!(components[1]["purl"], "pkg:pypi/requests@2.31.0");
        let declared: Vec<_> = components[1]["properties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "corral:declared-in")
            .map(|p| p["value"].as_str().unwrap())
            .collect();
        assert_eq!(declared, ["a/uv.lock:3", "b/uv.lock:3"]);
    }
}

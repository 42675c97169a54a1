//! Writing the pages clients read: PEP 691 JSON and PEP 503 HTML of what policy lets through.
//!
//! Both formats carry the same facts: the served files with their SHA-256 (a `#sha256=`
//! fragment in HTML, `hashes` in JSON), `requires-python`, `yanked`, PEP 700's `size` and
//! `upload-time` and `versions`, PEP 714's `core-metadata` (and the older
//! `data-dist-info-metadata` spelling for older pip), and PEP 792's project status. Files are
//! linked through the gate (`../-files/<project>/<sha256>/<filename>`, relative so the gate works
//! under any path prefix), never to the upstream directly.
//!
//! What policy withheld is said on the page too: an HTML paragraph per withheld version and a
//! private `_corral-withheld` key in JSON (PEP 691 reserves `_`-prefixed keys for such use),
//! so a developer reading the page sees why a version is missing.

use std::collections::BTreeSet;
use std::fmt::Write;

use chrono::SecondsFormat;
use corral_deps::version::Version;
use corral_model::Ecosystem;
use serde_json::{Map, Value, json};

use crate::page::DistFile;

/// The PEP 691 API version the gate speaks (1.4: PEP 792 project status).
pub const API_VERSION: &str = "1.4";

/// One page to render.
#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    pub name: &'a str,
    pub files: Vec<&'a DistFile>,
    /// `None` for an active project; `Some(reason)` when quarantined.
    pub quarantined: Option<String>,
    /// `(version or "*", reason)` for what was held back.
    pub withheld: Vec<(String, String)>,
    /// `(NAME or NAME==VERSION, status)` of the project's package requests.
    pub requests: Vec<(String, String)>,
}

/// The link to a file through the gate, relative to the project page.
pub fn file_href(name: &str, file: &DistFile) -> String {
    format!(
        "../-files/{name}/{}/{}",
        file.sha256.as_deref().unwrap_or_default(),
        encode_segment(&file.filename)
    )
}

fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'!') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The versions of the served files, in PEP 440 order.
fn versions(files: &[&DistFile]) -> Vec<String> {
    let set: BTreeSet<&str> = files.iter().filter_map(|f| f.version.as_deref()).collect();
    let mut list: Vec<&str> = set.into_iter().collect();
    list.sort_by(|a, b| {
        match (
            Version::parse(Ecosystem::PyPI, a),
            Version::parse(Ecosystem::PyPI, b),
        ) {
            (Some(x), Some(y)) => x.compare(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => a.cmp(b),
        }
    });
    list.into_iter().map(str::to_string).collect()
}

/// PEP 691 JSON.
pub fn json_page(view: &View<'_>) -> String {
    let files: Vec<Value> = view
        .files
        .iter()
        .map(|f| {
            let mut o = Map::new();
            o.insert("filename".into(), json!(f.filename));
            o.insert("url".into(), json!(file_href(view.name, f)));
            o.insert(
                "hashes".into(),
                json!({"sha256": f.sha256.as_deref().unwrap_or_default()}),
            );
            if let Some(rp) = &f.requires_python {
                o.insert("requires-python".into(), json!(rp));
            }
            o.insert(
                "yanked".into(),
                match &f.yanked {
                    None => json!(false),
                    Some(r) if r.is_empty() => json!(true),
                    Some(r) => json!(r),
                },
            );
            if let Some(size) = f.size {
                o.insert("size".into(), json!(size));
            }
            if let Some(t) = f.upload_time {
                o.insert(
                    "upload-time".into(),
                    json!(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
                );
            }
            if f.core_metadata {
                let value = match &f.core_metadata_sha256 {
                    Some(h) => json!({"sha256": h}),
                    None => json!(true),
                };
                o.insert("core-metadata".into(), value.clone());
                o.insert("data-dist-info-metadata".into(), value);
            }
            Value::Object(o)
        })
        .collect();
    let mut page = Map::new();
    page.insert("meta".into(), json!({"api-version": API_VERSION}));
    page.insert("name".into(), json!(view.name));
    page.insert("versions".into(), json!(versions(&view.files)));
    page.insert("files".into(), Value::Array(files));
    page.insert(
        "project-status".into(),
        match &view.quarantined {
            None => json!({"status": "active"}),
            Some(reason) => json!({"status": "quarantined", "reason": reason}),
        },
    );
    if !view.withheld.is_empty() {
        let withheld: Vec<Value> = view
            .withheld
            .iter()
            .map(|(v, reason)| json!({"version": v, "reason": reason}))
            .collect();
        page.insert("_corral-withheld".into(), Value::Array(withheld));
    }
    if !view.requests.is_empty() {
        let requests: Vec<Value> = view
            .requests
            .iter()
            .map(|(what, status)| json!({"request": what, "status": status}))
            .collect();
        page.insert("_corral-requests".into(), Value::Array(requests));
    }
    Value::Object(page).to_string()
}

/// PEP 503 HTML (with PEP 592, 658/714, 700 and 792 additions).
pub fn html_page(view: &View<'_>) -> String {
    let mut out = String::with_capacity(256 + view.files.len() * 200);
    let name = escape(view.name);
    out.push_str("<!DOCTYPE html>\n<html>\n<head>\n");
    let _ = writeln!(
        out,
        "<meta name=\"pypi:repository-version\" content=\"{API_VERSION}\">"
    );
    match &view.quarantined {
        None => out.push_str("<meta name=\"pypi:project-status\" content=\"active\">\n"),
        Some(reason) => {
            out.push_str("<meta name=\"pypi:project-status\" content=\"quarantined\">\n");
            let _ = writeln!(
                out,
                "<meta name=\"pypi:project-status-reason\" content=\"{}\">",
                escape(reason)
            );
        }
    }
    let _ = writeln!(
        out,
        "<title>Links for {name}</title>\n</head>\n<body>\n<h1>Links for {name}</h1>"
    );
    for f in &view.files {
        let _ = write!(
            out,
            "<a href=\"{}#sha256={}\"",
            escape(&file_href(view.name, f)),
            f.sha256.as_deref().unwrap_or_default()
        );
        if let Some(rp) = &f.requires_python {
            let _ = write!(out, " data-requires-python=\"{}\"", escape(rp));
        }
        if let Some(reason) = &f.yanked {
            let _ = write!(out, " data-yanked=\"{}\"", escape(reason));
        }
        if f.core_metadata {
            let value = match &f.core_metadata_sha256 {
                Some(h) => format!("sha256={h}"),
                None => "true".into(),
            };
            let _ = write!(
                out,
                " data-core-metadata=\"{value}\" data-dist-info-metadata=\"{value}\""
            );
        }
        let _ = writeln!(out, ">{}</a><br/>", escape(&f.filename));
    }
    if let Some(reason) = &view.quarantined {
        let _ = writeln!(
            out,
            "<p class=\"corral-quarantined\">Quarantined by policy: {}</p>",
            escape(reason)
        );
    }
    for (version, reason) in &view.withheld {
        let _ = writeln!(
            out,
            "<p class=\"corral-withheld\">Withheld {}: {}</p>",
            escape(version),
            escape(reason)
        );
    }
    for (what, status) in &view.requests {
        let _ = writeln!(
            out,
            "<p class=\"corral-request\">Package request {}: {}</p>",
            escape(what),
            escape(status)
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The root index (PEP 503 `/simple/`): the projects the gate has seen.
pub fn root_json(names: &[String]) -> String {
    let projects: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
    json!({"meta": {"api-version": API_VERSION}, "projects": projects}).to_string()
}

pub fn root_html(names: &[String]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"1.4\">\n<title>Simple index</title>\n</head>\n<body>\n",
    );
    for n in names {
        let n = escape(n);
        let _ = writeln!(out, "<a href=\"{n}/\">{n}</a><br/>");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream_page;
    use chrono::{DateTime, Utc};

    fn file(version: &str) -> DistFile {
        DistFile {
            filename: format!("demo-{version}-py3-none-any.whl"),
            url: format!("http://127.0.0.1:9/demo-{version}-py3-none-any.whl"),
            version: Some(version.into()),
            sha256: Some("ab".repeat(32)),
            requires_python: Some(">=3.8".into()),
            yanked: Some("use 2.0".into()),
            size: Some(42),
            upload_time: Some(
                DateTime::parse_from_rfc3339("2025-01-02T03:04:05Z")
                    .unwrap()
                    .with_timezone(&Utc),
            ),
            core_metadata: true,
            core_metadata_sha256: Some("cd".repeat(32)),
        }
    }

    #[test]
    fn json_pages_carry_pep_700_fields_status_and_withheld_reasons() {
        let (a, b) = (file("10.0"), file("9.0"));
        let view = View {
            name: "demo",
            files: vec![&a, &b],
            quarantined: None,
            withheld: vec![("11.0".into(), "too young".into())],
            requests: vec![("demo==11.0".into(), "pending review".into())],
        };
        let v: Value = serde_json::from_str(&json_page(&view)).unwrap();
        assert_eq!(v["meta"]["api-version"], "1.4");
        assert_eq!(v["versions"], json!(["9.0", "10.0"]));
        let f = &v["files"][0];
        assert_eq!(
            f["url"],
            format!(
                "../-files/demo/{}/demo-10.0-py3-none-any.whl",
                "ab".repeat(32)
            )
        );
        assert_eq!(f["hashes"]["sha256"], "ab".repeat(32));
        assert_eq!(f["upload-time"], "2025-01-02T03:04:05Z");
        assert_eq!(f["size"], 42);
        assert_eq!(f["yanked"], "use 2.0");
        assert_eq!(f["core-metadata"]["sha256"], "cd".repeat(32));
        assert_eq!(v["project-status"]["status"], "active");
        assert_eq!(v["_corral-withheld"][0]["reason"], "too young");
        assert_eq!(v["_corral-requests"][0]["status"], "pending review");
    }

    #[test]
    fn html_pages_read_back_as_the_same_files() {
        let a = file("1.0");
        let view = View {
            name: "demo",
            files: vec![&a],
            quarantined: Some("imitates <requests>".into()),
            withheld: vec![],
            requests: vec![],
        };
        let html = html_page(&view);
        assert!(html.contains("content=\"quarantined\""));
        assert!(html.contains("imitates &lt;requests&gt;"));
        let base = reqwest::Url::parse("http://127.0.0.1:9/simple/demo/").unwrap();
        let parsed =
            upstream_page::parse("demo", "gate", &base, "text/html", &html, Utc::now()).unwrap();
        let f = &parsed.page.files[0];
        assert_eq!(f.sha256, a.sha256);
        assert_eq!(f.requires_python, a.requires_python);
        assert_eq!(f.yanked, a.yanked);
        assert_eq!(f.core_metadata_sha256, a.core_metadata_sha256);
        assert_eq!(
            f.url,
            format!(
                "http://127.0.0.1:9/simple/-files/demo/{}/demo-1.0-py3-none-any.whl",
                "ab".repeat(32)
            )
        );
    }
}

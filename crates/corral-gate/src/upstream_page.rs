//! Reading an upstream's project page: PEP 691 JSON or PEP 503 HTML, into a [`ProjectPage`].
//!
//! Upstreams are not trusted to be well-formed. A page that is not JSON or HTML at all is an
//! error naming the problem; within a page, a file entry that cannot be used (no URL, a URL
//! that does not resolve, a name the gate cannot read a version from) is skipped and reported
//! in [`ParsedPage::problems`], and the rest of the page is kept.

use chrono::{DateTime, Utc};
use reqwest::Url;
use serde::Deserialize;

use crate::page::{DistFile, ProjectPage, is_sha256, version_from_filename};

/// A parsed page and what had to be skipped in it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPage {
    pub page: ProjectPage,
    pub problems: Vec<String>,
}

/// Why a page could not be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    #[error("the JSON project page from {url} is malformed: {reason}")]
    Json { url: String, reason: String },
    #[error("the project page from {url} is neither PEP 691 JSON nor PEP 503 HTML")]
    UnknownFormat { url: String },
}

#[derive(Deserialize)]
struct JsonPage {
    #[serde(default)]
    files: Vec<serde_json::Value>,
}

/// Parses `body` fetched from `page_url`, choosing the format from `content_type`.
pub fn parse(
    name: &str,
    upstream: &str,
    page_url: &Url,
    content_type: &str,
    body: &str,
    fetched_at: DateTime<Utc>,
) -> Result<ParsedPage, PageError> {
    let content_type = content_type.to_ascii_lowercase();
    let (files, problems) = if content_type.contains("json") {
        parse_json(page_url, body)?
    } else if content_type.contains("html") || body.trim_start().starts_with('<') {
        parse_html(page_url, body)
    } else {
        return Err(PageError::UnknownFormat {
            url: page_url.to_string(),
        });
    };
    Ok(ParsedPage {
        page: ProjectPage {
            name: name.to_string(),
            upstream: upstream.to_string(),
            files,
            fetched_at,
        },
        problems,
    })
}

fn parse_json(page_url: &Url, body: &str) -> Result<(Vec<DistFile>, Vec<String>), PageError> {
    let page: JsonPage = serde_json::from_str(body).map_err(|e| PageError::Json {
        url: page_url.to_string(),
        reason: e.to_string(),
    })?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in page.files.iter().enumerate() {
        match json_file(page_url, entry) {
            Ok(f) => files.push(f),
            Err(reason) => problems.push(format!("file #{}: {reason}", i + 1)),
        }
    }
    Ok((files, problems))
}

fn json_file(page_url: &Url, entry: &serde_json::Value) -> Result<DistFile, String> {
    let filename = entry
        .get("filename")
        .and_then(|v| v.as_str())
        .ok_or("no `filename`")?;
    let href = entry
        .get("url")
        .and_then(|v| v.as_str())
        .ok_or_else(|| format!("`{filename}` has no `url`"))?;
    let url = resolve(page_url, href).map_err(|e| format!("`{filename}`: {e}"))?;
    let sha256 = entry
        .get("hashes")
        .and_then(|h| h.get("sha256"))
        .and_then(|v| v.as_str())
        .map(str::to_ascii_lowercase);
    let yanked = match entry.get("yanked") {
        Some(serde_json::Value::Bool(true)) => Some(String::new()),
        Some(serde_json::Value::String(reason)) => Some(reason.clone()),
        _ => None,
    };
    let upload_time = match entry.get("upload-time").and_then(|v| v.as_str()) {
        Some(text) => Some(
            DateTime::parse_from_rfc3339(text)
                .map_err(|e| format!("`{filename}` has an invalid upload-time `{text}`: {e}"))?
                .with_timezone(&Utc),
        ),
        None => None,
    };
    let metadata = entry
        .get("core-metadata")
        .or_else(|| entry.get("data-dist-info-metadata"));
    let (core_metadata, core_metadata_sha256) = match metadata {
        Some(serde_json::Value::Bool(b)) => (*b, None),
        Some(serde_json::Value::Object(hashes)) => (
            true,
            hashes
                .get("sha256")
                .and_then(|v| v.as_str())
                .map(str::to_ascii_lowercase),
        ),
        _ => (false, None),
    };
    Ok(DistFile {
        filename: filename.to_string(),
        version: version_from_filename(filename),
        url,
        sha256: sha256.filter(|h| is_sha256(h)),
        requires_python: entry
            .get("requires-python")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        yanked,
        size: entry.get("size").and_then(|v| v.as_u64()),
        upload_time,
        core_metadata,
        core_metadata_sha256: core_metadata_sha256.filter(|h| is_sha256(h)),
    })
}

/// Resolves `href` against the page URL, without its fragment; only http(s) results.
fn resolve(page_url: &Url, href: &str) -> Result<String, String> {
    let mut url = page_url
        .join(href)
        .map_err(|e| format!("URL `{href}` does not resolve: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("URL `{href}` is not http(s)"));
    }
    url.set_fragment(None);
    Ok(url.to_string())
}

fn parse_html(page_url: &Url, body: &str) -> (Vec<DistFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let lower = body.to_ascii_lowercase();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<a").map(|i| at + i) {
        let after = lower.as_bytes().get(start + 2).copied();
        if !matches!(after, Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at = start + 2;
            continue;
        }
        let Some(tag_end) = body[start..].find('>').map(|i| start + i) else {
            problems.push("an <a> tag is not closed".into());
            break;
        };
        let Some(close) = lower[tag_end..].find("</a>").map(|i| tag_end + i) else {
            problems.push("an <a> element has no </a>".into());
            break;
        };
        let attrs = attributes(&body[start + 2..tag_end]);
        let text = unescape(body[tag_end + 1..close].trim());
        at = close + 4;
        match html_file(page_url, &attrs, &text) {
            Ok(f) => files.push(f),
            Err(reason) => problems.push(reason),
        }
    }
    (files, problems)
}

fn html_file(page_url: &Url, attrs: &[(String, String)], text: &str) -> Result<DistFile, String> {
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let href = get("href").ok_or_else(|| format!("link `{text}` has no href"))?;
    let url = resolve(page_url, href).map_err(|e| format!("link `{text}`: {e}"))?;
    let sha256 = href
        .split_once('#')
        .and_then(|(_, fragment)| fragment.strip_prefix("sha256="))
        .map(str::to_ascii_lowercase)
        .filter(|h| is_sha256(h));
    let metadata = get("data-core-metadata").or_else(|| get("data-dist-info-metadata"));
    let (core_metadata, core_metadata_sha256) = match metadata {
        None | Some("false") => (false, None),
        Some(value) => (
            true,
            value
                .strip_prefix("sha256=")
                .map(str::to_ascii_lowercase)
                .filter(|h| is_sha256(h)),
        ),
    };
    let filename = if text.is_empty() {
        url.rsplit('/').next().unwrap_or_default().to_string()
    } else {
        text.to_string()
    };
    Ok(DistFile {
        version: version_from_filename(&filename),
        filename,
        url,
        sha256,
        requires_python: get("data-requires-python").map(str::to_string),
        yanked: get("data-yanked").map(str::to_string),
        size: None,
        upload_time: None,
        core_metadata,
        core_metadata_sha256,
    })
}

/// The attributes of a tag's inside (`href="…" data-yanked`), names lower-cased, values
/// unescaped. Valueless attributes get an empty value.
fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = inside.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        if name_start == i {
            break;
        }
        let name = inside[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                let quote = bytes[i];
                let start = i + 1;
                let end = inside[start..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(bytes.len(), |p| start + p);
                i = (end + 1).min(bytes.len());
                &inside[start..end]
            } else {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                &inside[start..i]
            };
            out.push((name, unescape(value)));
        } else {
            out.push((name, String::new()));
        }
    }
    out
}

/// Decodes the character references pages use in attributes and link text.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9/simple/demo/").unwrap()
    }

    const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn json_pages_keep_every_pep_700_field_and_resolve_relative_urls() {
        let body = format!(
            r#"{{"meta":{{"api-version":"1.1"}},"name":"demo","versions":["1.0"],"files":[
            {{"filename":"demo-1.0-py3-none-any.whl","url":"../../files/demo-1.0-py3-none-any.whl",
              "hashes":{{"sha256":"{HASH}"}},"requires-python":">=3.8","yanked":"broken",
              "size":1234,"upload-time":"2025-03-01T10:00:00.123456Z","core-metadata":{{"sha256":"{HASH}"}}}}]}}"#
        );
        let parsed = parse(
            "demo",
            "main",
            &base(),
            "application/vnd.pypi.simple.v1+json",
            &body,
            at(),
        )
        .unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let f = &parsed.page.files[0];
        assert_eq!(f.url, "http://127.0.0.1:9/files/demo-1.0-py3-none-any.whl");
        assert_eq!(f.version.as_deref(), Some("1.0"));
        assert_eq!(f.sha256.as_deref(), Some(HASH));
        assert_eq!(f.requires_python.as_deref(), Some(">=3.8"));
        assert_eq!(f.yanked.as_deref(), Some("broken"));
        assert_eq!(f.size, Some(1234));
        assert_eq!(
            f.upload_time.unwrap().to_rfc3339(),
            "2025-03-01T10:00:00.123456+00:00"
        );
        assert!(f.core_metadata);
        assert_eq!(f.core_metadata_sha256.as_deref(), Some(HASH));
    }

    #[test]
    fn html_pages_yield_hashes_from_fragments_and_unescaped_attributes() {
        let body = format!(
            "<!DOCTYPE html><html><body>\n<a href=\"/f/demo-1.0.tar.gz#sha256={HASH}\" \
             data-requires-python=\"&gt;=3.9\" data-yanked=\"\" data-dist-info-metadata=\"sha256={HASH}\">demo-1.0.tar.gz</a><br/>\n\
             <A HREF='demo-2.0-py3-none-any.whl'>demo-2.0-py3-none-any.whl</A>\n</body></html>"
        );
        let parsed = parse("demo", "main", &base(), "text/html", &body, at()).unwrap();
        assert_eq!(parsed.page.files.len(), 2, "{:?}", parsed.problems);
        let sdist = &parsed.page.files[0];
        assert_eq!(sdist.url, "http://127.0.0.1:9/f/demo-1.0.tar.gz");
        assert_eq!(sdist.sha256.as_deref(), Some(HASH));
        assert_eq!(sdist.requires_python.as_deref(), Some(">=3.9"));
        assert_eq!(sdist.yanked.as_deref(), Some(""));
        assert!(sdist.core_metadata);
        let wheel = &parsed.page.files[1];
        assert_eq!(
            wheel.url,
            "http://127.0.0.1:9/simple/demo/demo-2.0-py3-none-any.whl"
        );
        assert_eq!(wheel.sha256, None);
        assert_eq!(wheel.version.as_deref(), Some("2.0"));
    }

    #[test]
    fn a_bad_entry_is_skipped_with_its_reason_and_the_rest_is_kept() {
        let body = r#"{"files":[{"filename":"demo-1.0.tar.gz"},
            {"filename":"demo-1.1.tar.gz","url":"javascript:alert(1)"},
            {"filename":"demo-1.2.tar.gz","url":"demo-1.2.tar.gz","upload-time":"yesterday"},
            {"filename":"demo-1.3.tar.gz","url":"demo-1.3.tar.gz"}]}"#;
        let parsed = parse("demo", "main", &base(), "application/json", body, at()).unwrap();
        assert_eq!(parsed.page.files.len(), 1);
        assert_eq!(parsed.page.files[0].filename, "demo-1.3.tar.gz");
        assert_eq!(parsed.problems.len(), 3);
        assert!(
            parsed.problems[0].contains("has no `url`"),
            "{:?}",
            parsed.problems
        );
        assert!(
            parsed.problems[1].contains("not http(s)"),
            "{:?}",
            parsed.problems
        );
        assert!(
            parsed.problems[2].contains("invalid upload-time"),
            "{:?}",
            parsed.problems
        );
    }

    #[test]
    fn a_page_that_is_not_json_names_the_problem() {
        let err = parse(
            "demo",
            "main",
            &base(),
            "application/vnd.pypi.simple.v1+json",
            "{not json",
            at(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("malformed"), "{err}");
        let err = parse(
            "demo",
            "main",
            &base(),
            "application/octet-stream",
            "\u{0}\u{1}",
            at(),
        )
        .unwrap_err();
        assert!(matches!(err, PageError::UnknownFormat { .. }));
    }
}

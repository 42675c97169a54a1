//! The console's stylesheet and icon, compiled into the binary and served under names that
//! include a hash of their content.
//!
//! Because the name changes whenever the content does, browsers may keep a file for a year
//! (`immutable`) and still never show a stale style after an upgrade. There are no other
//! static files: no scripts, no fonts, no images from elsewhere.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const CSS: &str = include_str!("../../static/console.css");
const ICON: &str = include_str!("../../static/icon.svg");

/// One embedded file: its content, type, and the hashed name it is served under.
struct StaticFile {
    content: &'static str,
    content_type: &'static str,
    path: String,
}

fn hashed(stem: &str, ext: &str, content: &str) -> String {
    let digest = hex::encode(Sha256::digest(content.as_bytes()));
    format!("/static/{stem}.{}.{ext}", &digest[..12])
}

static FILES: LazyLock<[StaticFile; 2]> = LazyLock::new(|| {
    [
        StaticFile {
            content: CSS,
            content_type: "text/css; charset=utf-8",
            path: hashed("console", "css", CSS),
        },
        StaticFile {
            content: ICON,
            content_type: "image/svg+xml",
            path: hashed("icon", "svg", ICON),
        },
    ]
});

/// Where the stylesheet is served.
pub fn css_path() -> &'static str {
    &FILES[0].path
}

/// Where the icon is served.
pub fn icon_path() -> &'static str {
    &FILES[1].path
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let requested = format!("/static/{file}");
    match FILES.iter().find(|f| f.path == requested) {
        Some(f) => (
            [
                (CONTENT_TYPE, f.content_type),
                (CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            f.content,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_change_with_the_content() {
        assert!(css_path().starts_with("/static/console."));
        assert!(css_path().ends_with(".css"));
        assert_ne!(
            hashed("console", "css", "a{}"),
            hashed("console", "css", "b{}")
        );
        assert_eq!(hashed("x", "css", "a{}"), hashed("x", "css", "a{}"));
    }
}

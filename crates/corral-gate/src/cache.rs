//! The gate's on-disk cache, under `<data dir>/gate/cache/`.
//!
//! - `pages/<project>.json`: the last project page fetched from an upstream, in the gate's
//!   own form ([`ProjectPage`]), served when every upstream is unreachable.
//! - `files/<ab>/<sha256>`: distribution files, named by their SHA-256. A file is written only
//!   after its bytes hashed to what the upstream's page promised, so a name here is a proof of
//!   content; a file whose upstream gave no SHA-256 is never cached or served.
//! - `metadata/<ab>/<sha256>.metadata`: PEP 658 metadata, named by the file it describes.
//!
//! Every write goes to a temporary file renamed into place, so a crash leaves either the old
//! entry or the new one, never half a file.

use std::path::{Path, PathBuf};

use crate::page::{ProjectPage, is_sha256};

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

/// A cache operation that failed.
#[derive(Debug, thiserror::Error)]
#[error("gate cache {path}: {source}")]
pub struct CacheError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

fn err(path: &Path) -> impl FnOnce(std::io::Error) -> CacheError + '_ {
    move |source| CacheError {
        path: path.to_path_buf(),
        source,
    }
}

impl Cache {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn page_path(&self, name: &str) -> PathBuf {
        self.root.join("pages").join(format!("{name}.json"))
    }

    fn file_path(&self, sha256: &str) -> PathBuf {
        self.root.join("files").join(&sha256[..2]).join(sha256)
    }

    fn metadata_path(&self, sha256: &str) -> PathBuf {
        self.root
            .join("metadata")
            .join(&sha256[..2])
            .join(format!("{sha256}.metadata"))
    }

    /// The cached page of `name` (normalised), if any. A cached page that no longer parses
    /// is reported and treated as absent.
    pub async fn page(&self, name: &str) -> Option<ProjectPage> {
        let path = self.page_path(name);
        let bytes = tokio::fs::read(&path).await.ok()?;
        match serde_json::from_slice(&bytes) {
            Ok(page) => Some(page),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "ignoring an unreadable cached page");
                None
            }
        }
    }

    pub async fn store_page(&self, page: &ProjectPage) -> Result<(), CacheError> {
        let bytes = serde_json::to_vec(page).expect("a page always serialises");
        write_atomically(&self.page_path(&page.name), &bytes).await
    }

    /// The names of every cached project, sorted.
    pub async fn page_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        let Ok(mut dir) = tokio::fs::read_dir(self.root.join("pages")).await else {
            return names;
        };
        while let Ok(Some(entry)) = dir.next_entry().await {
            if let Some(name) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".json"))
            {
                names.push(name.to_string());
            }
        }
        names.sort();
        names
    }

    /// The cached bytes of the file with this SHA-256, if any.
    pub async fn file(&self, sha256: &str) -> Option<Vec<u8>> {
        if !is_sha256(sha256) {
            return None;
        }
        tokio::fs::read(self.file_path(sha256)).await.ok()
    }

    /// Stores verified file bytes under their SHA-256.
    pub async fn store_file(&self, sha256: &str, bytes: &[u8]) -> Result<(), CacheError> {
        write_atomically(&self.file_path(sha256), bytes).await
    }

    pub async fn metadata(&self, file_sha256: &str) -> Option<Vec<u8>> {
        if !is_sha256(file_sha256) {
            return None;
        }
        tokio::fs::read(self.metadata_path(file_sha256)).await.ok()
    }

    pub async fn store_metadata(&self, file_sha256: &str, bytes: &[u8]) -> Result<(), CacheError> {
        write_atomically(&self.metadata_path(file_sha256), bytes).await
    }
}

async fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let dir = path.parent().expect("cache paths have a parent");
    tokio::fs::create_dir_all(dir).await.map_err(err(dir))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
        uuid::Uuid::new_v4().simple()
    ));
    tokio::fs::write(&tmp, bytes).await.map_err(err(&tmp))?;
    tokio::fs::rename(&tmp, path).await.map_err(err(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[tokio::test]
    async fn pages_and_files_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let page = ProjectPage {
            name: "demo".into(),
            upstream: "main".into(),
            files: vec![],
            fetched_at: Utc::now(),
        };
        cache.store_page(&page).await.unwrap();
        assert_eq!(cache.page("demo").await, Some(page));
        assert_eq!(cache.page_names().await, vec!["demo".to_string()]);
        let hash = "ab".repeat(32);
        assert_eq!(cache.file(&hash).await, None);
        cache.store_file(&hash, b"wheel").await.unwrap();
        assert_eq!(cache.file(&hash).await.as_deref(), Some(&b"wheel"[..]));
        assert_eq!(cache.file("../../etc/passwd").await, None);
    }
}

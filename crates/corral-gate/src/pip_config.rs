//! Finding the package indexes a developer's pip (and uv) already use, for `corral gate init`.
//!
//! pip reads, in increasing priority: the global files (`/etc/pip.conf`, `pip/pip.conf` under
//! each `$XDG_CONFIG_DIRS`), the user files (`~/.pip/pip.conf`, `~/.config/pip/pip.conf`), the
//! virtual environment's `pip.conf`, the file named by `PIP_CONFIG_FILE`, then the
//! `PIP_INDEX_URL` / `PIP_EXTRA_INDEX_URL` variables. In each file the `[global]` and
//! `[install]` sections may set `index-url` and `extra-index-url` (several URLs separated by
//! whitespace or new lines). uv's `UV_DEFAULT_INDEX`, `UV_INDEX_URL` and `UV_INDEX` are read
//! too. The result keeps pip's order: the effective `index-url` first, then extra indexes.
//!
//! A file that cannot be read is skipped; a line that is not `key = value` is ignored, as pip
//! ignores it.

use std::path::{Path, PathBuf};

/// One index URL and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundIndex {
    pub url: String,
    pub source: String,
    /// `true` for `index-url` (replaces the default), `false` for an extra index.
    pub primary: bool,
}

/// The `index-url` and `extra-index-url` values of one pip configuration file.
pub fn parse_pip_ini(text: &str) -> (Option<String>, Vec<String>) {
    let mut index = None;
    let mut extra = Vec::new();
    let mut section = String::new();
    let mut current: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_ascii_lowercase();
            current = None;
            continue;
        }
        let relevant = matches!(section.as_str(), "global" | "install");
        let continuation = line.starts_with([' ', '\t']);
        if continuation {
            if relevant && current == Some("extra-index-url") {
                extra.extend(trimmed.split_whitespace().map(str::to_string));
            }
            continue;
        }
        let Some((key, value)) = trimmed
            .split_once(['=', ':'])
            .filter(|(k, _)| !k.contains("//"))
        else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase().replace('_', "-");
        current = None;
        if !relevant {
            continue;
        }
        match key.as_str() {
            "index-url" | "i" => {
                index = value.split_whitespace().next().map(str::to_string);
                current = Some("index-url");
            }
            "extra-index-url" => {
                extra.extend(value.split_whitespace().map(str::to_string));
                current = Some("extra-index-url");
            }
            _ => {}
        }
    }
    (index, extra)
}

/// The pip configuration files, lowest priority first, for this environment.
pub fn pip_config_files(env: &dyn Fn(&str) -> Option<String>, home: Option<&Path>) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("/etc/pip.conf")];
    let xdg_dirs = env("XDG_CONFIG_DIRS").unwrap_or_else(|| "/etc/xdg".into());
    for dir in xdg_dirs.split(':').filter(|d| !d.is_empty()) {
        files.push(Path::new(dir).join("pip/pip.conf"));
    }
    if let Some(home) = home {
        files.push(home.join(".pip/pip.conf"));
        let config_home = env("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".config"));
        files.push(config_home.join("pip/pip.conf"));
    }
    if let Some(venv) = env("VIRTUAL_ENV") {
        files.push(Path::new(&venv).join("pip.conf"));
    }
    if let Some(file) = env("PIP_CONFIG_FILE").filter(|f| f != "os.devnull" && f != "/dev/null") {
        files.push(PathBuf::from(file));
    }
    files
}

/// Every index the environment's pip and uv configuration names, effective primary first.
pub fn discover(env: &dyn Fn(&str) -> Option<String>, home: Option<&Path>) -> Vec<FoundIndex> {
    let mut primary: Option<FoundIndex> = None;
    let mut extra: Vec<FoundIndex> = Vec::new();
    for file in pip_config_files(env, home) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let (index, extras) = parse_pip_ini(&text);
        let source = file.display().to_string();
        if let Some(url) = index {
            primary = Some(FoundIndex {
                url,
                source: source.clone(),
                primary: true,
            });
        }
        extra.extend(extras.into_iter().map(|url| FoundIndex {
            url,
            source: source.clone(),
            primary: false,
        }));
    }
    for (var, is_primary) in [
        ("PIP_INDEX_URL", true),
        ("UV_INDEX_URL", true),
        ("UV_DEFAULT_INDEX", true),
        ("PIP_EXTRA_INDEX_URL", false),
        ("UV_EXTRA_INDEX_URL", false),
        ("UV_INDEX", false),
    ] {
        let Some(value) = env(var) else { continue };
        for url in value.split_whitespace() {
            let found = FoundIndex {
                url: url.to_string(),
                source: format!("${var}"),
                primary: is_primary,
            };
            if is_primary {
                primary = Some(found);
            } else {
                extra.push(found);
            }
        }
    }
    let mut all: Vec<FoundIndex> = primary.into_iter().chain(extra).collect();
    let mut seen = std::collections::HashSet::new();
    all.retain(|f| seen.insert(f.url.trim_end_matches('/').to_string()));
    all
}

/// `url` with any user name and password replaced, for printing.
pub fn redacted(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("***");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_and_extra_urls_are_read_from_global_and_install_sections() {
        let (index, extra) = parse_pip_ini(
            "[global]\ntimeout = 60\nindex-url = http://127.0.0.1:1/simple/\nextra-index-url =\n    http://127.0.0.1:2/simple/\n    http://127.0.0.1:3/simple/\n[install]\nextra_index_url = http://127.0.0.1:4/simple/\n[freeze]\nindex-url = http://127.0.0.1:5/ignored/\n",
        );
        assert_eq!(index.as_deref(), Some("http://127.0.0.1:1/simple/"));
        assert_eq!(
            extra,
            vec![
                "http://127.0.0.1:2/simple/",
                "http://127.0.0.1:3/simple/",
                "http://127.0.0.1:4/simple/"
            ]
        );
    }

    #[test]
    fn files_and_variables_combine_in_pips_priority_order() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join(".config/pip/pip.conf");
        std::fs::create_dir_all(user.parent().unwrap()).unwrap();
        std::fs::write(&user, "[global]\nindex-url = http://127.0.0.1:1/simple/\n").unwrap();
        let env = |key: &str| match key {
            "PIP_EXTRA_INDEX_URL" => Some("http://127.0.0.1:2/simple/".to_string()),
            "XDG_CONFIG_DIRS" => Some(dir.path().join("none").display().to_string()),
            _ => None,
        };
        let found = discover(&env, Some(dir.path()));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].primary);
        assert_eq!(found[0].url, "http://127.0.0.1:1/simple/");
        assert!(found[0].source.ends_with("pip/pip.conf"));
        assert_eq!(found[1].source, "$PIP_EXTRA_INDEX_URL");

        let env_wins = |key: &str| match key {
            "PIP_INDEX_URL" => Some("http://127.0.0.1:9/simple/".to_string()),
            _ => None,
        };
        let found = discover(&env_wins, Some(dir.path()));
        assert_eq!(found[0].url, "http://127.0.0.1:9/simple/");
    }

    #[test]
    fn credentials_are_hidden_when_printed() {
        assert_eq!(
            redacted("https://ana:s3cret@127.0.0.1:1/simple/"),
            "https://***@127.0.0.1:1/simple/"
        );
        assert_eq!(
            redacted("http://127.0.0.1:1/simple/"),
            "http://127.0.0.1:1/simple/"
        );
    }
}

//! `corral db` and `corral sbom` as users run them: the built binary against a temporary
//! data directory, the dependency crate's OSV fixtures, and a local HTTP server on 127.0.0.1
//! standing in for the configured mirrors.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corral-deps/tests/fixtures")
}

fn corral(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corral"))
        .args(args)
        .current_dir(dir)
        .env("CORRAL_DATA_DIR", dir.join("data"))
        .env_remove("CORRAL_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("corral runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(root: &Path, relative: &str, content: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Rule ids of the findings of `corral scan --only deps` over `dir/project`, with the package.
fn deps_findings(dir: &Path) -> Vec<(String, String)> {
    let output = corral(
        dir,
        &["scan", "--only", "deps", "--format", "json", "project"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&output.stderr)));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn imported_advisories_reach_the_scan_and_a_broken_record_does_not_stop_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "project/requirements.txt",
        "requests==2.19.1\nreqeusts==1.0.0\n",
    );

    let output = corral(
        root,
        &["db", "import", fixtures().join("osv").to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("PyPI: "), "{stdout}");
    assert!(stdout.contains("1 known-malicious"), "{stdout}");
    // The fixture directory holds one record that is not valid OSV: named, not fatal.
    assert!(
        text(&output.stderr).contains("broken.json"),
        "{}",
        text(&output.stderr)
    );

    let findings = deps_findings(root);
    let rules: Vec<&str> = findings.iter().map(|(r, _)| r.as_str()).collect();
    assert!(rules.contains(&"deps-vulnerable"), "{findings:?}");
    assert!(rules.contains(&"deps-malicious"), "{findings:?}");

    let status = corral(root, &["db", "status"]);
    assert!(status.status.success());
    let out = text(&status.stdout);
    assert!(out.contains("known-malicious"), "{out}");
    assert!(out.contains("package index: none"), "{out}");
}

#[test]
fn db_status_warns_when_loaded_data_is_older_than_the_configured_limit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let output = corral(
        root,
        &["db", "import", fixtures().join("osv").to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));

    // Just imported: within the default week, so no age warning for PyPI advisories.
    let fresh = corral(root, &["db", "status"]);
    assert!(fresh.status.success());
    let warnings = text(&fresh.stderr);
    assert!(!warnings.contains("advisories are"), "{warnings}");

    // A limit of zero days makes the same data stale at once.
    write(root, "strict.toml", "[deps]\nstale_after_days = 0\n");
    let strict = corral(root, &["--config", "strict.toml", "db", "status"]);
    assert!(strict.status.success());
    let warnings = text(&strict.stderr);
    assert!(
        warnings.contains("warning: PyPI advisories are") && warnings.contains("corral db update"),
        "{warnings}"
    );
}

#[test]
fn import_names_makes_unknown_packages_nonexistent_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "names.txt",
        "requests\nFlask\tnot-a-date\nbad name!\n",
    );
    write(
        root,
        "project/requirements.txt",
        "requests==2.31.0\nrequestz-helper==0.1\n",
    );
    let output = corral(
        root,
        &["db", "import-names", "--ecosystem", "pypi", "names.txt"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("names.txt:2"), "{stderr}");
    assert!(stderr.contains("names.txt:3"), "{stderr}");
    assert!(text(&output.stdout).contains("1 package names"));

    let findings = deps_findings(root);
    let nonexistent: Vec<&str> = findings
        .iter()
        .filter(|(r, _)| r == "deps-nonexistent")
        .map(|(_, m)| m.as_str())
        .collect();
    assert_eq!(nonexistent.len(), 1, "{findings:?}");
    assert!(nonexistent[0].contains("requestz-helper"), "{findings:?}");
}

#[test]
fn import_of_a_missing_path_or_an_empty_name_list_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let output = corral(root, &["db", "import", "no-such-export.zip"]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("no-such-export.zip does not exist"));

    write(root, "empty.txt", "# nothing here\n");
    let output = corral(
        root,
        &["db", "import-names", "--ecosystem", "npm", "empty.txt"],
    );
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("no valid npm package names"));
}

/// Serves `routes` (path → body) on 127.0.0.1 for at most `max` connections; other paths
/// answer 404. Returns the base URL.
fn serve(routes: Vec<(&'static str, Vec<u8>)>, max: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match routes.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => ("200 OK", body.clone()),
                None => ("404 Not Found", b"not here".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    base
}

#[test]
fn update_downloads_every_configured_source_and_names_the_one_that_failed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let export = std::fs::read(fixtures().join("osv-export/all.zip")).unwrap();
    let projects = br#"{"meta": {"api-version": "1.1"},
        "projects": [{"name": "Requests"}, {"name": "PyYAML"}, {"name": "flask"}]}"#
        .to_vec();
    let base = serve(
        vec![
            ("/osv/PyPI/all.zip", export),
            ("/simple/", projects),
            ("/pypi-dates.tsv", b"requests\t2011-02-14\n".to_vec()),
            ("/popular.tsv", b"1\trequests\n2\tpyyaml\n".to_vec()),
        ],
        16,
    );
    write(
        root,
        "data/corral.toml",
        format!(
            "[deps.sources.pypi]\nosv_url = \"{base}/osv/PyPI/all.zip\"\nindex_url = \"{base}/simple/\"\n\
             dates_url = \"{base}/pypi-dates.tsv\"\npopular_url = \"{base}/popular.tsv\"\n\n\
             [deps.sources.npm]\nindex_url = \"{base}/npm-names.txt\"\n"
        ),
    );
    let output = corral(root, &["db", "update"]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    // npm's index is missing upstream: reported, and the exit code says something failed…
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("npm-names.txt answered 404"), "{stderr}");
    // …while everything PyPI had was loaded.
    assert!(
        stdout.contains("PyPI: advisories: 3 advisories for 2 packages (1 known-malicious)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PyPI: package index: 3 package names (1 release dates)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PyPI: popular packages: 2 popular packages"),
        "{stdout}"
    );

    let status = text(&corral(root, &["db", "status"]).stdout);
    assert!(status.contains("3 names"), "{status}");
    assert!(status.contains("2 packages (downloaded)"), "{status}");
    assert!(
        !root.join("data/downloads/pypi-osv.zip").exists(),
        "downloads are removed"
    );
}

#[test]
fn update_without_configured_sources_explains_what_to_add() {
    let dir = tempfile::tempdir().unwrap();
    let output = corral(dir.path(), &["db", "update"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("[deps.sources.pypi]"));
}

#[test]
fn sbom_lists_each_package_once_with_its_purl_and_declarations() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "project/requirements.txt",
        "requests==2.31.0\nPyYAML==6.0.1\n",
    );
    write(
        root,
        "project/report.py",
        "import requests\nimport yaml\nprint(requests, yaml)\n",
    );
    let output = corral(root, &["sbom", "project", "-o", "bom.json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let bom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("bom.json")).unwrap()).unwrap();
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.5");
    assert_eq!(bom["metadata"]["component"]["name"], "project");
    assert!(
        bom["serialNumber"]
            .as_str()
            .unwrap()
            .starts_with("urn:uuid:")
    );
    let purls: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert!(purls.contains(&"pkg:pypi/requests@2.31.0"), "{purls:?}");
    assert!(purls.contains(&"pkg:pypi/pyyaml@6.0.1"), "{purls:?}");
    let mut unique = purls.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), purls.len(), "{purls:?}");
}

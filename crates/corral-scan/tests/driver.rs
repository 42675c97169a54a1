//! The scan driver end to end over real temporary trees and git repositories, with the
//! tests' own scanners.

mod support;

use std::sync::atomic::Ordering;

use corral_model::{Report, Scanner, SkipReason};
use corral_scan::{ScanMode, ScanOptions, ScanProgress, run_scan};
use support::{FinishScanner, WordScanner, git, git_at, git_init, write};

fn scan(
    scanners: &[Box<dyn Scanner>],
    root: &std::path::Path,
    adjust: impl FnOnce(&mut ScanOptions),
) -> Report {
    let mut options = ScanOptions {
        roots: vec![root.to_path_buf()],
        threads: 2,
        ..ScanOptions::default()
    };
    adjust(&mut options);
    run_scan(scanners, &options, &ScanProgress::new()).expect("scan runs")
}

fn words() -> Vec<Box<dyn Scanner>> {
    vec![Box::new(WordScanner::new("words", "LEAKED"))]
}

fn finding_paths(report: &Report) -> Vec<&str> {
    report
        .findings
        .iter()
        .map(|f| f.location.path.as_str())
        .collect()
}

fn skip_reason<'a>(report: &'a Report, path: &str) -> Option<&'a SkipReason> {
    report
        .skipped
        .iter()
        .find(|s| s.path == path)
        .map(|s| &s.reason)
}

#[test]
fn hidden_files_are_scanned_but_gitignored_files_and_git_internals_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".env", "TOKEN=LEAKED\n");
    write(root, ".gitignore", "build/\n");
    write(root, "build/out.txt", "LEAKED\n");
    write(root, ".git/config", "LEAKED\n");
    write(root, "src/app.py", "x = 1\ny = 'LEAKED'\n");

    let report = scan(&words(), root, |_| {});
    assert_eq!(finding_paths(&report), [".env", "src/app.py"]);
    assert_eq!(report.findings[1].location.line, 2);
    assert_eq!(report.findings[1].location.column, 6);

    let everything = scan(&words(), root, |o| o.respect_gitignore = false);
    assert_eq!(
        finding_paths(&everything),
        [".env", "build/out.txt", "src/app.py"]
    );
}

#[test]
fn binary_and_oversized_files_are_skipped_with_their_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "logo.png", b"\x89PNG\r\n\x1a\n\0\0LEAKED");
    write(root, "dump.sql", "LEAKED\n".repeat(100));
    write(root, "small.txt", "LEAKED\n");

    let report = scan(&words(), root, |o| o.max_file_size = 200);
    assert_eq!(finding_paths(&report), ["small.txt"]);
    assert_eq!(skip_reason(&report, "logo.png"), Some(&SkipReason::Binary));
    assert_eq!(
        skip_reason(&report, "dump.sql"),
        Some(&SkipReason::TooLarge {
            size: 700,
            limit: 200
        })
    );
    assert_eq!(report.stats.files_scanned, 1);
    assert_eq!(report.stats.bytes_scanned, 7);
    assert_eq!(report.stats.files_skipped, 2);
}

#[cfg(unix)]
#[test]
fn symlinks_are_listed_as_skipped_unless_followed() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "LEAKED\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("link.txt"),
    )
    .unwrap();

    let report = scan(&words(), dir.path(), |_| {});
    assert!(report.findings.is_empty());
    assert_eq!(skip_reason(&report, "link.txt"), Some(&SkipReason::Symlink));

    let followed = scan(&words(), dir.path(), |o| o.follow_symlinks = true);
    assert_eq!(finding_paths(&followed), ["link.txt"]);
}

#[test]
fn exclude_patterns_leave_matching_paths_out() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vendor/lib.js", "LEAKED\n");
    write(dir.path(), "web/app.min.js", "LEAKED\n");
    write(dir.path(), "web/app.js", "LEAKED\n");
    let report = scan(&words(), dir.path(), |o| {
        o.exclude = vec!["vendor/".into(), "*.min.js".into()];
    });
    assert_eq!(finding_paths(&report), ["web/app.js"]);
}

#[test]
fn each_file_goes_once_to_every_scanner_that_wants_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "LEAKED\n");
    write(dir.path(), "b.txt", "LEAKED\n");
    let all = std::sync::Arc::new(WordScanner::new("all", "LEAKED"));
    let mut python = WordScanner::new("python", "LEAKED");
    python.only_suffix = Some(".py");
    let python = std::sync::Arc::new(python);

    struct Shared(std::sync::Arc<WordScanner>);
    impl Scanner for Shared {
        fn id(&self) -> &'static str {
            self.0.id()
        }
        fn wants(&self, path: &str) -> bool {
            self.0.wants(path)
        }
        fn scan_file(
            &self,
            file: &corral_model::SourceFile<'_>,
            out: &mut corral_model::ScanOutput,
        ) {
            self.0.scan_file(file, out)
        }
        fn rules(&self) -> Vec<corral_model::RuleInfo> {
            self.0.rules()
        }
    }
    let scanners: Vec<Box<dyn Scanner>> = vec![
        Box::new(Shared(all.clone())),
        Box::new(Shared(python.clone())),
    ];
    let report = scan(&scanners, dir.path(), |_| {});

    assert_eq!(all.files_seen.load(Ordering::SeqCst), 2);
    assert_eq!(python.files_seen.load(Ordering::SeqCst), 1);
    assert_eq!(report.stats.files_scanned, 2);
    let rules: Vec<_> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules, ["all-word", "python-word", "all-word"]);
    assert_eq!(report.scanners, ["all", "python"]);
}

#[test]
fn a_scanner_failing_on_one_file_is_listed_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "evil.txt", "PANIC_NOW\n");
    write(dir.path(), "fine.txt", "LEAKED\n");
    let report = scan(&words(), dir.path(), |_| {});
    assert_eq!(finding_paths(&report), ["fine.txt"]);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].path, "evil.txt");
    assert!(
        report.errors[0].message.contains("hostile input"),
        "{:?}",
        report.errors[0]
    );
}

#[test]
fn inline_allow_comments_move_findings_to_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "a = 'LEAKED'  # corral:allow\nb = 'LEAKED'  # corral:allow other-rule\nc = 'LEAKED'  # corral:allow words-word -- fixture\n",
    );
    let report = scan(&words(), dir.path(), |_| {});
    let kept: Vec<u32> = report.findings.iter().map(|f| f.location.line).collect();
    let suppressed: Vec<u32> = report.suppressed.iter().map(|f| f.location.line).collect();
    assert_eq!(kept, [2]);
    assert_eq!(suppressed, [1, 3]);
}

#[test]
fn findings_added_by_finish_honour_allow_comments_too() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "allowed.cfg", "x = 1 # corral:allow\n");
    write(dir.path(), "flagged.cfg", "x = 1\n");
    let scanners: Vec<Box<dyn Scanner>> = vec![
        Box::new(FinishScanner {
            path: "allowed.cfg",
        }),
        Box::new(FinishScanner {
            path: "flagged.cfg",
        }),
    ];
    let report = scan(&scanners, dir.path(), |_| {});
    assert_eq!(finding_paths(&report), ["flagged.cfg"]);
    assert_eq!(report.suppressed.len(), 1);
}

#[test]
fn two_scans_of_the_same_tree_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        write(
            dir.path(),
            &format!("d{}/f{i}.txt", i % 7),
            "LEAKED\nLEAKED\n",
        );
    }
    let a = scan(&words(), dir.path(), |o| o.threads = 4);
    let b = scan(&words(), dir.path(), |o| o.threads = 4);
    assert_eq!(a.findings, b.findings);
    assert_eq!(a.findings.len(), 80);
}

#[test]
fn several_roots_keep_their_prefix_and_a_missing_root_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "one/a.txt", "LEAKED\n");
    write(dir.path(), "two/a.txt", "LEAKED\n");
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let report = scan(&words(), &one, |o| o.roots = vec![one.clone(), two.clone()]);
    let paths = finding_paths(&report);
    assert_eq!(paths.len(), 2);
    assert!(
        paths[0].ends_with("one/a.txt") && paths[1].ends_with("two/a.txt"),
        "{paths:?}"
    );

    let options = ScanOptions {
        roots: vec![dir.path().join("nope")],
        ..ScanOptions::default()
    };
    let err = run_scan(&words(), &options, &ScanProgress::new()).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn staged_mode_scans_the_index_not_the_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(root, "old.txt", "LEAKED long ago\n");
    write(root, "config.py", "x = 1\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);

    // Stage a leak, then remove it from the working tree only: the commit would contain it.
    write(root, "config.py", "x = 1\ntoken = 'LEAKED'\n");
    git(root, &["add", "config.py"]);
    write(root, "config.py", "x = 1\n");
    // An unstaged leak is not part of the commit.
    write(root, "notes.txt", "LEAKED\n");

    let report = scan(&words(), root, |o| o.mode = ScanMode::Staged);
    assert_eq!(
        finding_paths(&report),
        ["config.py"],
        "old.txt is unchanged since HEAD"
    );
    assert_eq!(report.findings[0].location.line, 2);
    assert_eq!(report.stats.files_scanned, 1);
}

#[test]
fn staged_mode_before_the_first_commit_scans_everything_staged() {
    let dir = tempfile::tempdir().unwrap();
    git_init(dir.path());
    write(dir.path(), "a.txt", "LEAKED\n");
    git(dir.path(), &["add", "a.txt"]);
    let report = scan(&words(), dir.path(), |o| o.mode = ScanMode::Staged);
    assert_eq!(finding_paths(&report), ["a.txt"]);
}

#[test]
fn history_reports_a_leak_removed_later_at_the_commit_that_added_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(root, "app.py", "a = 1\nb = 2\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "start"]);
    write(root, "app.py", "a = 1\nb = 2\nkey = 'LEAKED'\nc = 3\n");
    git(root, &["commit", "-q", "-am", "add key"]);
    let leak_commit = git(root, &["rev-parse", "HEAD"]);
    write(root, "app.py", "a = 1\nb = 2\nc = 3\n");
    git(root, &["commit", "-q", "-am", "remove key"]);

    assert!(
        scan(&words(), root, |_| {}).findings.is_empty(),
        "the tree is clean now"
    );

    let report = scan(&words(), root, |o| {
        o.mode = ScanMode::History { since: None }
    });
    assert_eq!(finding_paths(&report), ["app.py"]);
    let finding = &report.findings[0];
    assert_eq!(finding.location.line, 3);
    let commit = finding
        .location
        .commit
        .as_ref()
        .expect("history findings carry the commit");
    assert_eq!(commit.id, leak_commit);
    assert_eq!(commit.author, "Ada Lovelace <ada@example.com>");
    assert_eq!(commit.date.to_rfc3339(), "2024-03-01T10:00:00+00:00");

    let since = scan(&words(), root, |o| {
        o.mode = ScanMode::History {
            since: Some(leak_commit.clone()),
        }
    });
    assert!(since.findings.is_empty(), "the leak is not after --since");
}

#[test]
fn history_reports_a_leak_added_twice_once_at_its_first_exposure() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_init(root);
    write(root, "a.txt", "LEAKED\n");
    git(root, &["add", "."]);
    git_at(root, "2024-01-01T10:00:00Z", &["commit", "-q", "-m", "one"]);
    let first = git(root, &["rev-parse", "HEAD"]);
    write(root, "a.txt", "");
    git_at(
        root,
        "2024-02-01T10:00:00Z",
        &["commit", "-q", "-am", "two"],
    );
    write(root, "a.txt", "LEAKED\n");
    git_at(
        root,
        "2024-03-01T10:00:00Z",
        &["commit", "-q", "-am", "three"],
    );

    let report = scan(&words(), root, |o| {
        o.mode = ScanMode::History { since: None }
    });
    assert_eq!(report.findings.len(), 1);
    assert_eq!(
        report.findings[0].location.commit.as_ref().unwrap().id,
        first
    );
}

#[test]
fn git_modes_outside_a_repository_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let options = ScanOptions {
        roots: vec![dir.path().to_path_buf()],
        mode: ScanMode::Staged,
        ..ScanOptions::default()
    };
    let err = run_scan(&words(), &options, &ScanProgress::new()).unwrap_err();
    assert!(
        err.to_string().contains("not inside a git repository"),
        "{err}"
    );
}

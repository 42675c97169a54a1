//! Scanning one file: keyword hits → windows → detector regexes → checks → findings.
//!
//! The work per file is proportional to what the prefilter finds, not to the number of
//! detectors: each keyword hit marks the line that holds it (or, on a very long line, a
//! window of a few kilobytes around it) for the detectors that own the keyword. Windows
//! of one detector are merged, so a line with three keyword hits is matched once. Matches
//! then go through the detector's checks, and overlapping matches from different detectors
//! are reduced to the most specific one (a provider detector beats the generic
//! `password = …` detector on the same value).

use corral_model::{
    Finding, Location, RedactedSecret, ScanOutput, SourceFile, fingerprint, secret_hash,
};
use regex::bytes::CaptureLocations;

use crate::allowlist::Candidate;
use crate::detector::{Check, Detector, Scope, SecretGroup};
use crate::entropy::shannon;
use crate::false_positive::{
    Assignment, generic_assignment_is_secret, is_placeholder, url_password_is_secret,
};
use crate::jwt::is_credential_jwt;
use crate::notebook::TextView;
use crate::scanner::SecretsScanner;
use crate::snippet::{Replacement, column, redacted_line};

/// Lines longer than this are matched in windows around keyword hits, not whole.
const LONG_LINE: usize = 8 * 1024;
/// Bytes on each side of a keyword hit in a window on a long line.
const WINDOW_RADIUS: usize = 2 * 1024;

/// A region of the text one detector runs on.
#[derive(Debug, Clone, Copy)]
struct Window {
    detector: u32,
    start: usize,
    end: usize,
    /// The edges are cuts inside a long line, not line or file boundaries.
    cut_start: bool,
    cut_end: bool,
}

/// A match that passed its detector's checks.
#[derive(Debug, Clone, Copy)]
struct Hit {
    detector: u32,
    start: usize,
    end: usize,
    /// Length of the whole regex match: with equal secrets, the detector that matched more
    /// context (a provider name, not just the token shape) is the more specific one.
    match_len: usize,
    entropy: f64,
}

pub(crate) fn scan(scanner: &SecretsScanner, file: &SourceFile<'_>, out: &mut ScanOutput) {
    if scanner
        .global_allowlists
        .iter()
        .any(|a| a.allows_path(file.path))
    {
        return;
    }
    let view = TextView::new(file.path, file.content);
    let text = view.text();
    let windows = windows(scanner, file.path, text);
    let mut hits = Vec::new();
    let mut locs: Vec<Option<CaptureLocations>> = Vec::new();
    locs.resize_with(scanner.detectors.len(), || None);
    for w in &windows {
        let d = &scanner.detectors[w.detector as usize];
        let Some(regex) = &d.regex else { continue };
        let locs = locs[w.detector as usize].get_or_insert_with(|| regex.capture_locations());
        match_window(scanner, d, w, text, file, locs, &mut hits);
    }
    for &i in &scanner.path_only {
        let d = &scanner.detectors[i as usize];
        if d.path
            .as_ref()
            .is_some_and(|p| p.is_match(file.path.as_bytes()))
        {
            out.findings.push(path_finding(d, file));
        }
    }
    if hits.is_empty() {
        return;
    }
    let hits = most_specific(scanner, hits);
    build_findings(scanner, file, &view, &hits, out);
}

/// The windows each candidate detector runs on, merged per detector and sorted.
fn windows(scanner: &SecretsScanner, path: &str, text: &[u8]) -> Vec<Window> {
    let mut windows = Vec::new();
    let mut path_ok: Vec<Option<bool>> = vec![None; scanner.detectors.len()];
    let mut wants = |i: u32| -> bool {
        *path_ok[i as usize].get_or_insert_with(|| {
            scanner.detectors[i as usize]
                .path
                .as_ref()
                .is_none_or(|p| p.is_match(path.as_bytes()))
        })
    };
    for &i in &scanner.prefilter.always {
        if wants(i) {
            windows.push(Window {
                detector: i,
                start: 0,
                end: text.len(),
                cut_start: false,
                cut_end: false,
            });
        }
    }
    let mut line = (usize::MAX, 0usize);
    scanner
        .prefilter
        .for_each_hit(text, |start, end, detectors| {
            if !(line.0 <= start && start < line.1) {
                let ls = memchr::memrchr(b'\n', &text[..start]).map_or(0, |i| i + 1);
                let le = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
                line = (ls, le.max(end));
            }
            let (ls, le) = line;
            for &i in detectors {
                if !wants(i) {
                    continue;
                }
                let w = match scanner.detectors[i as usize].scope {
                    Scope::Line if le - ls > LONG_LINE => {
                        let s = start.saturating_sub(WINDOW_RADIUS).max(ls);
                        let e = (end + WINDOW_RADIUS).min(le);
                        Window {
                            detector: i,
                            start: s,
                            end: e,
                            cut_start: s > ls,
                            cut_end: e < le,
                        }
                    }
                    Scope::Line => Window {
                        detector: i,
                        start: ls,
                        end: le,
                        cut_start: false,
                        cut_end: false,
                    },
                    Scope::FromLine => Window {
                        detector: i,
                        start: ls,
                        end: text.len(),
                        cut_start: false,
                        cut_end: false,
                    },
                    Scope::File => Window {
                        detector: i,
                        start: 0,
                        end: text.len(),
                        cut_start: false,
                        cut_end: false,
                    },
                };
                windows.push(w);
            }
        });
    windows.sort_unstable_by_key(|w| (w.detector, w.start, w.end));
    let mut merged: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(m) if m.detector == w.detector && w.start <= m.end => {
                if w.end > m.end {
                    m.end = w.end;
                    m.cut_end = w.cut_end;
                }
            }
            _ => merged.push(w),
        }
    }
    merged
}

fn match_window(
    scanner: &SecretsScanner,
    d: &Detector,
    w: &Window,
    text: &[u8],
    file: &SourceFile<'_>,
    locs: &mut CaptureLocations,
    hits: &mut Vec<Hit>,
) {
    let Some(regex) = &d.regex else { return };
    let hay = &text[w.start..w.end];
    let mut at = 0;
    while at <= hay.len() {
        let Some(m) = regex.captures_read_at(locs, hay, at) else {
            break;
        };
        at = if m.end() > m.start() {
            m.end()
        } else {
            m.end() + 1
        };
        if (w.cut_start && m.start() == 0) || (w.cut_end && m.end() == hay.len()) {
            continue;
        }
        let (s, e) = match d.secret_group {
            SecretGroup::Index(i) => match locs.get(i) {
                Some(span) => span,
                None => continue,
            },
            SecretGroup::FirstNonEmpty => (1..locs.len())
                .filter_map(|i| locs.get(i))
                .find(|(s, e)| e > s)
                .unwrap_or((m.start(), m.end())),
        };
        if e <= s {
            continue;
        }
        let (start, end) = (w.start + s, w.start + e);
        if let Some(entropy) = accept(
            scanner,
            d,
            text,
            w.start,
            locs,
            (start, end),
            m.range(),
            file,
        ) {
            hits.push(Hit {
                detector: w.detector,
                start,
                end,
                match_len: m.end() - m.start(),
                entropy,
            });
        }
    }
}

/// Runs a match through its detector's checks; returns the secret's entropy if it passes.
#[allow(clippy::too_many_arguments)]
fn accept(
    scanner: &SecretsScanner,
    d: &Detector,
    text: &[u8],
    window_start: usize,
    locs: &CaptureLocations,
    (start, end): (usize, usize),
    matched: std::ops::Range<usize>,
    file: &SourceFile<'_>,
) -> Option<f64> {
    let secret = &text[start..end];
    if secret.len() < d.min_length || secret.len() > d.max_length {
        return None;
    }
    let entropy = shannon(secret);
    if d.entropy.is_some_and(|min| entropy < min) {
        return None;
    }
    if d.placeholder_filter && is_placeholder(secret) {
        return None;
    }
    let group = |i: Option<usize>| {
        i.and_then(|i| locs.get(i))
            .map(|(s, e)| &text[window_start + s..window_start + e])
    };
    let passes = match d.check {
        None => true,
        Some(Check::Jwt) => is_credential_jwt(secret),
        Some(Check::Generic) => {
            let key_start = d
                .groups
                .key
                .and_then(|i| locs.get(i))
                .map_or(start, |(s, _)| window_start + s);
            let before = |back: usize| {
                key_start
                    .checked_sub(back)
                    .and_then(|i| text.get(i).copied())
                    .unwrap_or(b' ')
            };
            generic_assignment_is_secret(&Assignment {
                key: group(d.groups.key),
                quote: group(d.groups.quote),
                value: secret,
                after: text.get(end).copied(),
                before_key: [before(2), before(1)],
                path: file.path,
            })
        }
        Some(Check::UrlPassword) => url_password_is_secret(group(d.groups.user), secret),
    };
    if !passes {
        return None;
    }
    if !d.allowlists.is_empty() || !scanner.global_allowlists.is_empty() {
        let ls = memchr::memrchr(b'\n', &text[..start]).map_or(0, |i| i + 1);
        let le = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        let c = Candidate {
            secret,
            matched: &text[window_start + matched.start..window_start + matched.end],
            line: &text[ls..le],
            path: file.path,
            commit: file.commit.map(|c| c.id.as_str()),
        };
        if d.allowlists
            .iter()
            .chain(&scanner.global_allowlists)
            .any(|a| a.allows(&c))
        {
            return None;
        }
    }
    Some(entropy)
}

/// Keeps, among overlapping hits, the one from the most specific detector (then the longest).
fn most_specific(scanner: &SecretsScanner, mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| {
        let (da, db) = (
            &scanner.detectors[a.detector as usize],
            &scanner.detectors[b.detector as usize],
        );
        db.priority()
            .cmp(&da.priority())
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(b.match_len.cmp(&a.match_len))
            .then(a.start.cmp(&b.start))
            .then(a.detector.cmp(&b.detector))
    });
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        if kept.iter().all(|k| h.end <= k.start || h.start >= k.end) {
            kept.push(h);
        }
    }
    kept.sort_by_key(|h| (h.start, h.detector));
    kept
}

fn build_findings(
    scanner: &SecretsScanner,
    file: &SourceFile<'_>,
    view: &TextView<'_>,
    hits: &[Hit],
    out: &mut ScanOutput,
) {
    let text = view.text();
    let content = file.content;
    let secrets: Vec<(String, RedactedSecret)> = hits
        .iter()
        .map(|h| {
            let s = String::from_utf8_lossy(&text[h.start..h.end]).into_owned();
            let r = RedactedSecret::new(&s);
            (secret_hash(&s), r)
        })
        .collect();
    let displays: Vec<String> = secrets.iter().map(|(_, r)| r.display()).collect();
    let replacements: Vec<Replacement<'_>> = hits
        .iter()
        .zip(&displays)
        .map(|(h, d)| Replacement {
            start: h.start,
            end: h.end,
            display: d,
        })
        .collect();
    let mut counted = (0usize, 0u32);
    let mut line_at = |pos: usize| -> u32 {
        let (from, lines) = counted;
        let n = memchr::memchr_iter(b'\n', &content[from..pos]).count() as u32;
        counted = (pos, lines + n);
        lines + n
    };
    for (i, h) in hits.iter().enumerate() {
        let d = &scanner.detectors[h.detector as usize];
        let (orig_start, orig_end) = (view.original(h.start), view.original(h.end));
        let line_offset = line_at(orig_start);
        let ls = memchr::memrchr(b'\n', &content[..orig_start]).map_or(0, |i| i + 1);
        let newlines_inside = memchr::memchr_iter(b'\n', &content[orig_start..orig_end]).count();
        let els = memchr::memrchr(b'\n', &content[..orig_end]).map_or(0, |i| i + 1);
        let line = file.first_line.saturating_add(line_offset);
        let mut location = Location::new(file.path, line, column(content, ls, orig_start));
        location.end_line = Some(line.saturating_add(newlines_inside as u32));
        location.end_column = Some(column(content, els, orig_end));
        location.commit = file.commit.cloned();
        let vls = memchr::memrchr(b'\n', &text[..h.start]).map_or(0, |i| i + 1);
        let vle = memchr::memchr(b'\n', &text[h.start..]).map_or(text.len(), |i| h.start + i);
        let on_line: Vec<&Replacement<'_>> = replacements
            .iter()
            .filter(|r| r.start < vle.max(vls + 1) && r.end > vls)
            .collect();
        let on_line: Vec<Replacement<'_>> = on_line
            .into_iter()
            .map(|r| Replacement {
                start: r.start,
                end: r.end,
                display: r.display,
            })
            .collect();
        let snippet = redacted_line(text, vls, vle, (h.start, h.end), &on_line);
        let (hash, redacted) = &secrets[i];
        let mut details = std::collections::BTreeMap::new();
        details.insert(
            "entropy".to_string(),
            serde_json::json!((h.entropy * 100.0).round() / 100.0),
        );
        details.insert(
            "rule_source".to_string(),
            serde_json::json!(match d.origin {
                crate::detector::Origin::Builtin => "builtin",
                crate::detector::Origin::Gitleaks => "gitleaks",
            }),
        );
        let mut tags = d.tags.clone();
        tags.push("secret".into());
        out.findings.push(Finding {
            scanner: "secrets".into(),
            rule_id: d.id.clone(),
            title: d.title.clone(),
            severity: d.severity,
            confidence: d.confidence,
            location,
            cwe: d.cwe.clone(),
            tags,
            message: format!("{} found: {}", d.title, displays[i]),
            fix: Some(d.help.clone()),
            fingerprint: fingerprint(&["secrets", &d.id, file.path, hash]),
            secret: Some(redacted.clone()),
            snippet: Some(snippet),
            details,
        });
    }
}

/// A finding for a gitleaks path-only rule: the file itself is the problem.
fn path_finding(d: &Detector, file: &SourceFile<'_>) -> Finding {
    let mut location = Location::new(file.path, file.first_line, 1);
    location.commit = file.commit.cloned();
    Finding {
        scanner: "secrets".into(),
        rule_id: d.id.clone(),
        title: d.title.clone(),
        severity: d.severity,
        confidence: d.confidence,
        location,
        cwe: d.cwe.clone(),
        tags: d.tags.clone(),
        message: format!("{}: this file should not be committed", d.title),
        fix: Some(d.help.clone()),
        fingerprint: fingerprint(&["secrets", &d.id, file.path, ""]),
        secret: None,
        snippet: None,
        details: Default::default(),
    }
}

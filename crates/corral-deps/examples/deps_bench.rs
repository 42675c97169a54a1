//! Benchmarks for the dependency scanner (run by `bench/deps/run.sh`).
//!
//! `deps_bench lockfile PYPI_TSV WORKDIR`: generates a realistic full PyPI advisory set
//! (20,000 OSV records over 8,000 of the most-downloaded projects, with alias pairs, CVSS
//! vectors, explicit version lists and multi-range events, like the real export), imports it,
//! writes a 1,000-package `uv.lock`, then times "open the database, parse the lockfile, check
//! every package" end to end eleven times, each with a fresh `Checker` (nothing kept in
//! memory between runs). The first run finds no typosquat index in the data directory, builds
//! it and writes it; it is reported on its own. The other ten read the index back, as every
//! scan after the first does, and their median is the figure in `docs/benchmarks.md`.
//!
//! `deps_bench names PYPI_TSV`: builds the existence snapshot from every name in the list
//! (~886k) and times existence + typosquat checks over all of them plus as many invented
//! names.

use std::path::Path;
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use corral_deps::advisory::AdvisoryDb;
use corral_deps::advisory::import::import_into;
use corral_deps::name::normalize;
use corral_deps::package_index::{PackageIndex, parse_name_list, write_snapshot};
use corral_deps::popular::PopularList;
use corral_deps::typosquat::TyposquatDetector;
use corral_deps::{Checker, DepsConfig, DepsScanner};
use corral_model::{Ecosystem, ScanOutput, Scanner, SourceFile};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn ranked_names(tsv: &str) -> Vec<String> {
    let text = std::fs::read_to_string(tsv).expect("read the PyPI list");
    let mut ranked: Vec<(u64, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f.get(3)?.parse().ok()?, normalize(Ecosystem::PyPI, f[0])))
        })
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, n)| n).collect()
}

fn all_names(tsv: &str) -> Vec<String> {
    let text = std::fs::read_to_string(tsv).expect("read the PyPI list");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect()
}

const VECTORS: [&str; 5] = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
];

fn lockfile(tsv: &str, work: &Path) {
    let names = ranked_names(tsv);
    let osv = work.join("osv");
    let _ = std::fs::remove_dir_all(&osv);
    std::fs::create_dir_all(&osv).unwrap();
    let mut rng = Rng(0x5eed);
    let packages = &names[..8_000.min(names.len())];
    let filler = "A crafted request lets a remote attacker read or change data the application did not mean to expose. ".repeat(4);
    let started = Instant::now();
    let mut written = 0;
    while written < 20_000 {
        let pkg = &packages[rng.below(packages.len() as u64) as usize];
        let major = rng.below(5);
        let fixed_minor = 1 + rng.below(20);
        let versions: Vec<String> = (0..=major)
            .flat_map(|m| {
                (0..if m == major { fixed_minor } else { 20 }).map(move |n| format!("{m}.{n}.0"))
            })
            .collect();
        let cve = format!("CVE-20{:02}-{:05}", 15 + rng.below(10), rng.below(99_999));
        let ids = [
            format!("PYSEC-{written:06}"),
            format!("GHSA-bench-{written:06}"),
        ];
        for (i, id) in ids.iter().enumerate() {
            if written >= 20_000 {
                break;
            }
            let other = &ids[1 - i];
            let record = serde_json::json!({
                "id": id,
                "modified": "2025-01-01T00:00:00Z",
                "aliases": [cve, other],
                "summary": format!("Issue {written} in {pkg}"),
                "details": filler,
                "severity": [{"type": "CVSS_V3", "score": VECTORS[rng.below(5) as usize]}],
                "affected": [{
                    "package": {"ecosystem": "PyPI", "name": pkg, "purl": format!("pkg:pypi/{pkg}")},
                    "ranges": [{"type": "ECOSYSTEM", "events": [
                        {"introduced": "0"}, {"fixed": format!("{major}.{fixed_minor}.0")},
                        {"introduced": format!("{}.0.0", major + 1)}, {"fixed": format!("{}.0.1", major + 1)}
                    ]}],
                    "versions": versions,
                }],
                "references": [{"type": "ADVISORY", "url": format!("https://example.invalid/{id}")}],
            });
            std::fs::write(
                osv.join(format!("{id}.json")),
                serde_json::to_vec(&record).unwrap(),
            )
            .unwrap();
            written += 1;
        }
    }
    println!(
        "generated 20,000 OSV records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let data = work.join("data");
    let _ = std::fs::remove_dir_all(&data);
    let started = Instant::now();
    let summary = import_into(&data, &osv, false, Utc::now()).unwrap();
    println!(
        "imported {} advisories for {} packages in {:.2} s; store size {} KiB",
        summary.written[0].advisories,
        summary.written[0].packages,
        started.elapsed().as_secs_f64(),
        dir_size(&data.join("advisories")) / 1024
    );

    // A 1,000-package uv.lock: most popular projects at a mix of old and new versions.
    let mut lock = String::from("version = 1\nrequires-python = \">=3.11\"\n\n");
    for (i, pkg) in names.iter().take(1_000).enumerate() {
        let version = format!("{}.{}.0", rng.below(5), rng.below(25));
        lock.push_str(&format!(
            "[[package]]\nname = \"{pkg}\"\nversion = \"{version}\"\nsource = {{ registry = \"https://example.invalid/simple\" }}\n\n"
        ));
        let _ = i;
    }
    let lock_path = work.join("uv.lock");
    std::fs::write(&lock_path, &lock).unwrap();

    let _ = std::fs::remove_file(corral_deps::typosquat_cache::cache_path(
        &data,
        Ecosystem::PyPI,
    ));
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..11 {
        let started = Instant::now();
        let scanner = DepsScanner::new(Checker::new(
            DepsConfig::default(),
            AdvisoryDb::open(&data).unwrap(),
            PackageIndex::open(&data).unwrap(),
            Some(data.clone()),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        ));
        let content = std::fs::read(&lock_path).unwrap();
        let mut out = ScanOutput::default();
        scanner.scan_file(&SourceFile::whole("uv.lock", &content), &mut out);
        scanner.finish(&mut out);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        findings = out
            .findings
            .iter()
            .filter(|f| f.rule_id == "deps-vulnerable")
            .count();
        assert_eq!(out.components.len(), 1_000);
    }
    let first = times.remove(0);
    println!("first run, which builds and writes the typosquat index: {first:.1} ms");
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "1,000-package uv.lock against 20,000 advisories (open + parse + check), index read back, 10 runs: median {:.1} ms, min {:.1} ms, max {:.1} ms; {findings} vulnerability findings",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        dir_size(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn names(tsv: &str) {
    let names = all_names(tsv);
    let started = Instant::now();
    let list = parse_name_list(Ecosystem::PyPI, &names.join("\n"));
    let dir = tempfile::tempdir().unwrap();
    write_snapshot(dir.path(), Ecosystem::PyPI, list, "bench", Utc::now()).unwrap();
    let index = PackageIndex::open(dir.path()).unwrap();
    println!(
        "snapshot of {} names built in {:.2} s ({} KiB)",
        index.status()[0].names,
        started.elapsed().as_secs_f64(),
        std::fs::metadata(dir.path().join("index/pypi.fst"))
            .unwrap()
            .len()
            / 1024
    );
    let started = Instant::now();
    let _built =
        TyposquatDetector::for_ecosystem(Ecosystem::PyPI, PopularList::shipped(Ecosystem::PyPI));
    println!(
        "typosquat detector built in {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    corral_deps::typosquat_cache::load_detector(Some(dir.path()), Ecosystem::PyPI);
    let written = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let detector = corral_deps::typosquat_cache::load_detector(Some(dir.path()), Ecosystem::PyPI);
    println!(
        "typosquat index built and written in {written:.1} ms, read back in {:.1} ms ({} KiB)",
        started.elapsed().as_secs_f64() * 1000.0,
        std::fs::metadata(corral_deps::typosquat_cache::cache_path(
            dir.path(),
            Ecosystem::PyPI
        ))
        .unwrap()
        .len()
            / 1024
    );

    // Every real name, plus as many invented ones (real name + a suffix), checked with the
    // detector read back from the index file, as scans use it.
    let mut queries: Vec<String> = names.clone();
    queries.extend(names.iter().map(|n| format!("{n}-helper")));
    let started = Instant::now();
    let (mut missing, mut squats) = (0usize, 0usize);
    for q in &queries {
        let n = normalize(Ecosystem::PyPI, q);
        if index.contains(Ecosystem::PyPI, &n) == Some(false) {
            missing += 1;
        }
        if detector.check(&n).is_some() {
            squats += 1;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} names checked (existence + typosquat) in {:.2} s: {:.0} names/s; {missing} not in the index, {squats} typosquat-like",
        queries.len(),
        secs,
        queries.len() as f64 / secs
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("lockfile") => lockfile(&args[2], Path::new(&args[3])),
        Some("names") => names(&args[2]),
        _ => eprintln!("usage: deps_bench lockfile PYPI_TSV WORKDIR | names PYPI_TSV"),
    }
}

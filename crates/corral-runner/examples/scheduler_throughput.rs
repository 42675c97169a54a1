//! Scheduler throughput on this machine: N jobs with a trivial command run through the real
//! engine (system clock, in-memory store, local executor), in one of two shapes:
//!
//! - `burst`: every job is due at the same minute;
//! - `spread`: job i runs at minute i mod 60 of every hour, as an estate of hourly jobs
//!   spread over the hour would (N / 60 due at the start of each minute); MINUTES
//!   consecutive minutes are measured (each minute of the hour carries the same load).
//!
//! Prints the start delay after the slot (median, p99, max), runs started per second while
//! draining, the CPU time of the runner process itself (scheduler, dispatch, start, log
//! capture; the jobs' own CPU separately), its peak resident memory, and how runs started
//! (`corral-job-exec` with posix_spawn, or fork). Also times the scheduler core alone over
//! the N jobs on an idle tick and on the tick where all are due (burst).
//!
//!   cargo run --release -p corral-runner --example scheduler_throughput -- JOBS CONCURRENCY [SANDBOX] [burst|spread] [MINUTES]
//!
//! SANDBOX is `off` (default) or `auto` (bubblewrap when available).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{Duration, Timelike, Utc};
use corral_runner::clock::SystemClock;
use corral_runner::engine::Engine;
use corral_runner::executor::{ExecutorSettings, LocalExecutor};
use corral_runner::records::{CommandLine, Job, RunState, Schedule};
use corral_runner::sandbox::SandboxMode;
use corral_runner::scheduler::Scheduler;
use corral_runner::secret_source::StaticSecrets;
use corral_runner::source::LocalSources;
use corral_runner::store::MemoryStore;

/// (utime + stime, cutime + cstime) of this process in seconds, from /proc/self/stat.
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14-17 of stat are at indexes 11-14 after the command name; ticks are 1/100 s
    // on Linux (CLK_TCK).
    let tick = 100.0;
    ((f[11] + f[12]) / tick, (f[13] + f[14]) / tick)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Peak resident memory of this process, in MiB, from /proc/self/status.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(32);
    let sandbox = match args.get(3).map(String::as_str) {
        Some("auto") => SandboxMode::Auto,
        _ => SandboxMode::Off,
    };
    let spread = args.get(4).map(String::as_str) == Some("spread");
    let minutes: i64 = if spread {
        args.get(5).and_then(|a| a.parse().ok()).unwrap_or(5)
    } else {
        1
    };
    // The first measured slot: the next minute at least 20 s away.
    let target = (Utc::now() + Duration::seconds(80))
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap();
    let cron_at = |minute: u32| {
        if spread {
            format!("{minute} * * * *")
        } else {
            format!("{} {} * * *", target.minute(), target.hour())
        }
    };
    let jobs: Vec<Job> = (0..n)
        .map(|i| {
            let mut job = Job::new(
                format!("job-{i}"),
                CommandLine::Argv(vec!["/bin/true".into()]),
            );
            job.schedule = Some(Schedule {
                cron: cron_at((target.minute() + i as u32) % 60),
                timezone: "UTC".into(),
            });
            job
        })
        .collect();
    let window_end = target + Duration::minutes(minutes);
    let expected = if spread {
        (0..n).filter(|i| (*i as i64 % 60) < minutes).count()
    } else {
        n
    };

    // The scheduler core alone.
    let now = target - Duration::seconds(30);
    let mut scheduler = Scheduler::default();
    scheduler.due(
        &jobs,
        now - Duration::seconds(2),
        now - Duration::seconds(1),
    );
    let t = Instant::now();
    let idle = scheduler.due(&jobs, now - Duration::seconds(1), now);
    let idle_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let due = scheduler.due(&jobs, now, target);
    let due_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(idle.run.is_empty() && !due.run.is_empty());

    // The engine end to end.
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::with_jobs(jobs));
    let executor = LocalExecutor::new(
        ExecutorSettings {
            runs_dir: dir.path().join("runs"),
            sandbox,
            ..ExecutorSettings::default()
        },
        Arc::new(LocalSources),
    );
    let sandboxed = executor.sandboxing().is_ok();
    let start = match executor.job_exec() {
        Ok(path) => format!("posix_spawn of {}", path.display()),
        Err(reason) => format!("fork ({reason})"),
    };
    let engine = Engine::new(
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(executor),
        Arc::new(StaticSecrets::default()),
        Arc::new(Mutex::new(Vec::new())),
        concurrency,
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let runner = tokio::spawn(engine.clone().run(async {
        let _ = stop_rx.await;
    }));
    eprintln!("waiting for {target} with {n} jobs ({expected} runs to measure)…");
    // CPU is counted from the first slot on: before it the engine only idles.
    tokio::time::sleep((target - Utc::now()).to_std().unwrap_or_default()).await;
    let cpu_before = cpu_seconds();
    let in_window =
        |r: &corral_runner::records::Run| r.slot.is_some_and(|s| s >= target && s < window_end);
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let runs = store.all_runs();
        let measured: Vec<_> = runs.iter().filter(|r| in_window(r)).collect();
        if Utc::now() >= window_end
            && measured.len() >= expected
            && measured.iter().all(|r| r.state.is_finished())
        {
            break;
        }
    }
    let cpu_after = cpu_seconds();
    let _ = stop_tx.send(());
    runner.await.unwrap();

    let runs = store.all_runs();
    let measured: Vec<_> = runs.iter().filter(|r| in_window(r)).collect();
    let mut delays: Vec<f64> = measured
        .iter()
        .filter_map(|r| Some((r.started_at? - r.slot?).num_microseconds()? as f64 / 1e6))
        .collect();
    delays.sort_by(f64::total_cmp);
    // Per slot minute: how long after the slot its last run finished.
    let mut drain: std::collections::BTreeMap<_, f64> = Default::default();
    for r in &measured {
        if let (Some(slot), Some(end)) = (r.slot, r.finished_at) {
            let d = (end - slot).num_milliseconds() as f64 / 1000.0;
            let e = drain.entry(slot).or_insert(0.0);
            *e = e.max(d);
        }
    }
    let longest_drain = drain.values().copied().fold(0.0, f64::max);
    let ok = measured
        .iter()
        .filter(|r| r.state == RunState::Succeeded)
        .count();
    let per_minute = measured.len() as f64 / drain.len().max(1) as f64;
    let cpu = cpu_after.0 - cpu_before.0;
    println!(
        "jobs={n} shape={} concurrency={concurrency} sandbox={} cores={} start={start}",
        if spread { "spread" } else { "burst" },
        if sandboxed { "bubblewrap" } else { "none" },
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    println!(
        "scheduler core: idle tick {idle_ms:.2} ms, tick with {} due {due_ms:.2} ms",
        due.run.len()
    );
    println!(
        "runs measured: {} over {} slot minute(s), {per_minute:.0} per minute ({ok} succeeded)",
        measured.len(),
        drain.len()
    );
    println!(
        "start delay after the slot: median {:.3} s, p99 {:.3} s, max {:.3} s",
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays.last().copied().unwrap_or(0.0),
    );
    println!(
        "each minute's runs all finished within {longest_drain:.2} s of their slot ({:.0} runs/s while draining)",
        per_minute / longest_drain.max(0.001)
    );
    println!(
        "runner process CPU {cpu:.2} s ({:.2} ms per run); jobs' CPU {:.2} s; peak RSS {:.0} MiB",
        cpu * 1000.0 / measured.len().max(1) as f64,
        cpu_after.1 - cpu_before.1,
        peak_rss_mib()
    );
}

//! Scheduler throughput on this machine: N jobs with a trivial command, all due on the same
//! minute, run through the real engine (system clock, in-memory store, local executor).
//!
//! Prints the start delay after the slot (median, p99, max), how long until every run had
//! finished, and the CPU time of the runner process itself (scheduler, dispatch, log
//! capture; the jobs' own CPU is reported separately). Also times the scheduler core alone
//! over the N jobs on an idle tick and on the tick where all are due.
//!
//!   cargo run --release -p corral-runner --example scheduler_throughput -- JOBS CONCURRENCY [SANDBOX]
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

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(32);
    let sandbox = match args.get(3).map(String::as_str) {
        Some("auto") => SandboxMode::Auto,
        _ => SandboxMode::Off,
    };
    // Every job is due at the same single slot: the next minute at least 20 s away.
    let target = (Utc::now() + Duration::seconds(80)).with_second(0).unwrap();
    let cron = format!("{} {} * * *", target.minute(), target.hour());
    let jobs: Vec<Job> = (0..n)
        .map(|i| {
            let mut job = Job::new(
                format!("job-{i}"),
                CommandLine::Argv(vec!["/bin/true".into()]),
            );
            job.schedule = Some(Schedule {
                cron: cron.clone(),
                timezone: "UTC".into(),
            });
            job
        })
        .collect();

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
    assert!(idle.run.is_empty() && due.run.len() == n);

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
    let engine = Engine::new(
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(executor),
        Arc::new(StaticSecrets::default()),
        Arc::new(Mutex::new(Vec::new())),
        concurrency,
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let cpu_before = cpu_seconds();
    let runner = tokio::spawn(engine.clone().run(async {
        let _ = stop_rx.await;
    }));
    eprintln!("waiting for the next minute slot with {n} jobs…");
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let runs = store.all_runs();
        if runs.len() >= n && runs.iter().all(|r| r.state.is_finished()) {
            break;
        }
    }
    let _ = stop_tx.send(());
    runner.await.unwrap();
    let cpu_after = cpu_seconds();

    let runs = store.all_runs();
    let slot = runs[0].slot.unwrap();
    let first_slot: Vec<_> = runs.iter().filter(|r| r.slot == Some(slot)).collect();
    let mut delays: Vec<f64> = first_slot
        .iter()
        .filter_map(|r| Some((r.started_at? - slot).num_microseconds()? as f64 / 1e6))
        .collect();
    delays.sort_by(f64::total_cmp);
    let last_finish = first_slot
        .iter()
        .filter_map(|r| r.finished_at)
        .max()
        .unwrap();
    let ok = first_slot
        .iter()
        .filter(|r| r.state == RunState::Succeeded)
        .count();
    println!(
        "jobs={n} concurrency={concurrency} sandbox={} cores={}",
        if sandboxed { "bubblewrap" } else { "none" },
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    println!("scheduler core: idle tick {idle_ms:.2} ms, tick with {n} due {due_ms:.2} ms");
    println!(
        "runs of the slot: {} ({} succeeded); start delay median {:.3} s, p99 {:.3} s, max {:.3} s; all finished {:.2} s after the slot",
        first_slot.len(),
        ok,
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays.last().copied().unwrap_or(0.0),
        (last_finish - slot).num_milliseconds() as f64 / 1000.0
    );
    println!(
        "runner process CPU {:.2} s; jobs' CPU {:.2} s",
        cpu_after.0 - cpu_before.0,
        cpu_after.1 - cpu_before.1
    );
}

//! Several runner processes sharing one PostgreSQL database, on a clock sixty times faster
//! than real time, with one of them killed by SIGKILL while it executes runs: every slot of
//! every job must run exactly once — no duplicate, none lost.
//!
//! The nodes are real processes: this test binary started again with
//! `runner_node_process` as the only test to run and the node's settings in the
//! environment. Each job's command leaves a "started" marker file named after its job, slot
//! and run, works (sleeps), and leaves a "done" marker at the end, so "ran" is counted on
//! the job's side effects as well as in the run records.
//!
//! The kill happens mid-run by construction, not by luck: the test first holds every job
//! before its "done" marker (a hold file the commands wait on), then waits until every run
//! node-0 holds in the database is inside its command — started, not done — and only then
//! sends SIGKILL and releases the hold. No run of node-0 can be between the end of its work
//! and the storing of its outcome at that moment, so a second "done" marker can only come
//! from a job that outlived its node. A job killed together with its node leaves no "done"
//! marker; its run is found by another node once the lease lapses, marked failed and
//! retried.
//!
//! Skipped, with a notice, when `CORRAL_TEST_DATABASE_URL` is not set.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, DurationRound, Utc};
use corral_model::Event;
use corral_runner::clock::{Clock, ScaledClock};
use corral_runner::engine::{Engine, EngineOptions};
use corral_runner::executor::{ExecutorSettings, LocalExecutor};
use corral_runner::records::{CommandLine, Job, OverlapPolicy, RetryPolicy, RunState, Schedule};
use corral_runner::sandbox::SandboxMode;
use corral_runner::secret_source::StaticSecrets;
use corral_runner::source::LocalSources;
use corral_runner::store::RunStore;
use corral_store::{AuditEntry, RunnerStore, ScratchDatabase, Store, StoreOptions};

/// Clock speed: one scheduled minute per real second.
const FACTOR: f64 = 60.0;
const JOBS: usize = 50;
/// Scheduled minutes counted (each job has a slot every minute).
const MINUTES: i64 = 60;
const NODES: usize = 3;
/// A node's claim lapses after this much (scheduled) time without renewal: 5 real seconds.
const LEASE_MINUTES: i64 = 5;

const ENV_DB: &str = "CORRAL_NODE_DATABASE_URL";
const ENV_NAME: &str = "CORRAL_NODE_NAME";
const ENV_ORIGIN: &str = "CORRAL_NODE_ORIGIN";
const ENV_STOP: &str = "CORRAL_NODE_STOP";
const ENV_DIR: &str = "CORRAL_NODE_DIR";

/// One runner node: runs the engine on the shared database until the (fast) clock reaches
/// the stop time. Does nothing unless started by the multi-node test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a runner node process; the multi-node test starts it"]
async fn runner_node_process() {
    let (Ok(url), Ok(name), Ok(origin), Ok(stop), Ok(dir)) = (
        std::env::var(ENV_DB),
        std::env::var(ENV_NAME),
        std::env::var(ENV_ORIGIN),
        std::env::var(ENV_STOP),
        std::env::var(ENV_DIR),
    ) else {
        eprintln!("notice: runner_node_process runs only when the multi-node test starts it");
        return;
    };
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let clock = Arc::new(ScaledClock::new(parse(&origin), FACTOR));
    let stop = parse(&stop);
    let dir = PathBuf::from(dir);
    let store = Store::open_with(
        StoreOptions::new(dir.join(&name))
            .database_url(Some(&url))
            .max_connections(6),
    )
    .await
    .expect("node opens the store");
    let runner_store = Arc::new(RunnerStore::new(
        store,
        name.clone(),
        Duration::minutes(LEASE_MINUTES),
    ));
    let executor = LocalExecutor::new(
        ExecutorSettings {
            runs_dir: dir.join(&name).join("runs"),
            sandbox: SandboxMode::Off,
            ..ExecutorSettings::default()
        },
        Arc::new(LocalSources),
    );
    let engine = Engine::with_options(
        runner_store,
        clock.clone(),
        Arc::new(executor),
        Arc::new(StaticSecrets::default()),
        Arc::new(Mutex::new(Vec::<Event>::new())),
        EngineOptions {
            max_concurrent_runs: 16,
            // Slots are never "missed" because a busy machine delayed a tick.
            on_time_tolerance: Duration::days(1),
            poll_interval: std::time::Duration::from_millis(100),
        },
    );
    let until = clock.real_duration(stop - clock.now());
    engine.run(tokio::time::sleep(until)).await;
    eprintln!("node {name} stopped cleanly");
}

fn start_node(
    url: &str,
    name: &str,
    origin: DateTime<Utc>,
    stop: DateTime<Utc>,
    dir: &Path,
) -> Child {
    let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap();
    Command::new(std::env::current_exe().unwrap())
        .args([
            "runner_node_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_DB, url)
        .env(ENV_NAME, name)
        .env(ENV_ORIGIN, origin.to_rfc3339())
        .env(ENV_STOP, stop.to_rfc3339())
        .env(ENV_DIR, dir)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("start a runner node")
}

fn job(n: usize, markers: &Path) -> Job {
    let mut job = Job::new(
        format!("job-{n:02}"),
        // "started" before the work, "done" only after it, and never while the hold file
        // exists.
        CommandLine::Shell(
            "marker=\"$CORRAL_JOB@$CORRAL_SLOT@$CORRAL_RUN_ID\" && : > \"$MARKERS/started/$marker\" \
             && sleep 0.3 && while [ -e \"$MARKERS/hold\" ]; do sleep 0.05; done \
             && : > \"$MARKERS/done/$marker\""
                .into(),
        ),
    );
    job.schedule = Some(Schedule {
        cron: "* * * * *".into(),
        timezone: "UTC".into(),
    });
    job.env
        .insert("MARKERS".into(), markers.display().to_string());
    job.overlap = OverlapPolicy::Allow;
    job.retry = RetryPolicy {
        max_retries: 2,
        initial_delay_seconds: 0,
        ..RetryPolicy::default()
    };
    job.timeout_seconds = 60;
    job
}

/// Waits (bounded) for a node to exit on its own; kills it and fails otherwise.
fn wait_for(child: &mut Child, name: &str, dir: &Path, limit: std::time::Duration) {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
            assert!(status.success(), "node {name} failed: {status}\n{log}");
            return;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
            panic!("node {name} did not stop in time\n{log}");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_nodes_run_every_slot_exactly_once_even_when_one_is_killed_mid_run() {
    let Some(db) = ScratchDatabase::from_env().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let markers = dir.path().join("markers");
    std::fs::create_dir_all(markers.join("started")).unwrap();
    std::fs::create_dir_all(markers.join("done")).unwrap();
    let store =
        Store::open_with(StoreOptions::new(dir.path().join("test")).database_url(Some(&db.url)))
            .await
            .unwrap();
    let jobs: Vec<Job> = (0..JOBS).map(|n| job(n, &markers)).collect();
    let mut tx = store.begin().await.unwrap();
    for job in &jobs {
        tx.insert_job(job, Utc::now()).await.unwrap();
    }
    tx.audit(AuditEntry::new("test", "job.created").data(serde_json::json!({"jobs": JOBS})));
    tx.commit().await.unwrap();

    // The fast clock starts in three real seconds, when every node is up; scheduling
    // starts there too.
    let origin = (Utc::now() + Duration::seconds(3))
        .duration_trunc(Duration::seconds(1))
        .unwrap();
    let end = origin + Duration::minutes(MINUTES);
    // Time for the killed node's lease to lapse and its runs to be retried.
    let stop = end + Duration::minutes(LEASE_MINUTES * 3);
    RunnerStore::new(store.clone(), "test", Duration::minutes(LEASE_MINUTES))
        .commit_window(None, origin, vec![])
        .await
        .unwrap();

    let names: Vec<String> = (0..NODES).map(|n| format!("node-{n}")).collect();
    let mut children: Vec<Child> = names
        .iter()
        .map(|name| start_node(&db.url, name, origin, stop, dir.path()))
        .collect();

    // A third of the way in, hold every job before its end, wait until every run node-0
    // holds is inside its command, kill node-0, release the others.
    let clock = ScaledClock::new(origin, FACTOR);
    tokio::time::sleep(clock.real_duration(origin + Duration::minutes(MINUTES / 3) - clock.now()))
        .await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&db.url)
        .await
        .unwrap();
    let hold = markers.join("hold");
    std::fs::write(&hold, "").unwrap();
    let mut killed_running = 0;
    let mut checks = 0;
    while killed_running == 0 {
        checks += 1;
        assert!(
            checks <= 1500,
            "node-0 never reached a moment where every run it held was inside its command"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let held = held_by(&pool, "node-0").await;
        let started = run_ids_in(&markers.join("started"));
        let done = run_ids_in(&markers.join("done"));
        let inside = |(id, state): &(String, String)| {
            state == "running" && started.contains(id) && !done.contains(id)
        };
        if !held.is_empty() && held.iter().all(inside) {
            children[0].kill().unwrap(); // SIGKILL
            children[0].wait().unwrap();
            killed_running = held.len();
        }
    }
    std::fs::remove_file(&hold).unwrap();
    pool.close().await;
    eprintln!("node-0 killed after {checks} check(s), inside {killed_running} run(s)");

    let remaining = clock.real_duration(stop - clock.now()) + std::time::Duration::from_secs(60);
    for (child, name) in children.iter_mut().zip(&names).skip(1) {
        wait_for(child, name, dir.path(), remaining);
    }

    // Every (job, minute) in (origin, end]: its successful runs and its markers.
    let first_slot = origin.duration_trunc(Duration::minutes(1)).unwrap() + Duration::minutes(1);
    let expected: Vec<DateTime<Utc>> = (0..)
        .map(|k| first_slot + Duration::minutes(k))
        .take_while(|slot| *slot <= end)
        .collect();
    let runs = store
        .runs_with_slots_between(first_slot, end + Duration::seconds(1))
        .await
        .unwrap();
    let mut succeeded: HashMap<(String, DateTime<Utc>), usize> = HashMap::new();
    let mut lost_and_retried = 0;
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    for run in &runs {
        *states.entry(format!("{:?}", run.state)).or_default() += 1;
        if run.state == RunState::Succeeded {
            *succeeded
                .entry((run.job_name.clone(), run.slot.unwrap()))
                .or_default() += 1;
        }
        if run.state == RunState::Failed
            && run
                .note
                .as_deref()
                .is_some_and(|n| n.contains("runner node `node-0`"))
        {
            lost_and_retried += 1;
        }
    }
    let window: HashSet<String> = expected.iter().map(|slot| slot.to_rfc3339()).collect();
    let starts = std::fs::read_dir(markers.join("started"))
        .unwrap()
        .filter(|entry| {
            let name = entry.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.split('@')
                .nth(1)
                .is_some_and(|slot| window.contains(slot))
        })
        .count();
    let mut executed: HashMap<(String, DateTime<Utc>), usize> = HashMap::new();
    for entry in std::fs::read_dir(markers.join("done")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let mut parts = name.split('@');
        let (job, slot) = (parts.next().unwrap(), parts.next().unwrap());
        let slot = DateTime::parse_from_rfc3339(slot)
            .unwrap()
            .with_timezone(&Utc);
        *executed.entry((job.to_string(), slot)).or_default() += 1;
    }

    let mut duplicates = 0;
    let mut lost = 0;
    let mut duplicate_executions = 0;
    let mut lost_executions = 0;
    for job in &jobs {
        for slot in &expected {
            let key = (job.name.clone(), *slot);
            match succeeded.get(&key).copied().unwrap_or(0) {
                0 => lost += 1,
                1 => {}
                n => duplicates += n - 1,
            }
            match executed.get(&key).copied().unwrap_or(0) {
                0 => lost_executions += 1,
                1 => {}
                n => duplicate_executions += n - 1,
            }
        }
    }
    let slots = jobs.len() * expected.len();
    eprintln!(
        "multi-node: {NODES} nodes, {slots} slots, node-0 killed with {killed_running} run(s) \
         executing; {lost_and_retried} run(s) of it failed over and retried; duplicates \
         {duplicates} (records) / {duplicate_executions} (executions), lost {lost} (records) \
         / {lost_executions} (executions); {starts} command starts in the window; run states \
         {states:?}"
    );
    assert!(slots >= 3000, "{slots} slots");
    assert_eq!(duplicates, 0, "slots that succeeded more than once");
    assert_eq!(lost, 0, "slots that never succeeded");
    assert_eq!(
        duplicate_executions, 0,
        "slots whose job ran to the end twice"
    );
    assert_eq!(lost_executions, 0, "slots whose job never ran to the end");
    assert!(
        lost_and_retried > 0,
        "the killed node's runs were never failed over"
    );
    store.close().await;
}

/// The runs `node` holds (claimed or executing, not finished): id and state.
async fn held_by(pool: &sqlx::AnyPool, node: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT id, state FROM runner_runs WHERE lease_owner = $1 \
         AND state IN ('queued', 'running')",
    )
    .bind(node)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The run ids of the markers in `dir` (named `job@slot@run id`).
fn run_ids_in(dir: &Path) -> HashSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            name.rsplit('@').next().map(str::to_string)
        })
        .collect()
}

//! Crash safety: `voces ingest`, `voces code`, `voces code add` and
//! `voces import` killed with SIGKILL at random moments never leave
//! a project that cannot be opened, a half-written interview, or lost
//! manual codings; running the command again completes the job.
//!
//! The moments are drawn from a seeded generator (the seed is printed, and
//! `VOCES_CRASH_SEED` replays a run) over the time a clean run of the same
//! command takes on this machine, measured first, so the kills land
//! before, during and after the writes however fast the build is.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{TestProject, repo, sample};

/// Kills per command: 20 + 15 + 15 + 15 = 65 in all.
const INGEST_KILLS: usize = 20;
const CODE_KILLS: usize = 15;
const MANUAL_KILLS: usize = 15;
const IMPORT_KILLS: usize = 15;

/// xorshift64*: small, seeded, good enough to spread kill moments.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("VOCES_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            })
            | 1;
        println!("crash test seed: VOCES_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A moment in `[0, 1.2 * total)`.
    fn moment(&mut self, total: Duration) -> Duration {
        let frac = (self.next() % 10_000) as f64 / 10_000.0;
        total.mul_f64(1.2 * frac)
    }
}

/// Starts `voces ARGS` in `dir`, kills it after `after` unless it ended
/// first; true when it was killed. A run that ended tells how long a
/// clean run takes now: `total` shrinks to it, so that kills keep landing
/// inside runs when the machine gets faster (other load ends).
fn kill_after(dir: &Path, args: &[&str], after: Duration, total: &mut Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            *total = (*total).min(start.elapsed());
            return false;
        }
        if start.elapsed() >= after {
            // `Child::kill` is SIGKILL on unix: no handler, no clean-up.
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// How long a clean run of `voces ARGS` takes in `project`.
fn time_run(project: &TestProject, args: &[&str]) -> Duration {
    let start = Instant::now();
    project.ok(args);
    start.elapsed()
}

fn ingest_args(force: bool) -> Vec<String> {
    let s = sample();
    let mut args = vec![
        "ingest".to_owned(),
        s.to_string_lossy().into_owned(),
        "--metadata".to_owned(),
        s.join("participants.xlsx").to_string_lossy().into_owned(),
    ];
    if force {
        args.push("--force".to_owned());
    }
    args
}

fn as_strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Segment counts per interview, as `voces corpus list --json` gives them.
fn listing(project: &TestProject) -> BTreeMap<String, u64> {
    project
        .list()
        .iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_owned(),
                row["segments"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// What must hold after any kill: the project opens, the listing works,
/// every listed interview reads whole (the store checks its invariants),
/// and every listed interview is one the complete run would store, with
/// the complete run's segments.
fn check_store(project: &TestProject, complete: &BTreeMap<String, u64>, context: &str) {
    let now = listing(project);
    for (id, segments) in &now {
        assert_eq!(
            complete.get(id),
            Some(segments),
            "{context}: interview {id} listed with {segments} segments"
        );
        let shown = project.ok(&["corpus", "show", id, "--json"]);
        let value: serde_json::Value = serde_json::from_str(&shown)
            .unwrap_or_else(|e| panic!("{context}: {id} does not read back: {e}"));
        assert_eq!(value["id"], id.as_str(), "{context}");
    }
}

#[test]
fn killed_ingest_leaves_a_readable_store_and_reruns_to_completion() {
    let mut rng = Rng::from_env();
    let reference = TestProject::new();
    let fresh = ingest_args(false);
    let forced = ingest_args(true);
    let mut total = time_run(&reference, &as_strs(&fresh));
    let complete = listing(&reference);
    assert_eq!(complete.len(), 12, "the sample corpus has 12 interviews");

    let mut killed = 0;
    for run in 0..INGEST_KILLS {
        let project = TestProject::new();
        // Odd runs kill a forced re-ingest over a complete store, where
        // every interview file is being replaced.
        let args = if run % 2 == 1 {
            project.ok(&as_strs(&fresh));
            &forced
        } else {
            &fresh
        };
        let at = rng.moment(total);
        let context = format!("ingest run {run} killed at {at:?}");
        killed += usize::from(kill_after(project.path(), &as_strs(args), at, &mut total));
        check_store(&project, &complete, &context);
        project.ok(&as_strs(&fresh));
        assert_eq!(listing(&project), complete, "{context}: re-run");
        // The index follows the corpus again.
        let count = project.ok(&["search", "cita OR appointment", "--count"]);
        let reference_count = reference.ok(&["search", "cita OR appointment", "--count"]);
        assert_eq!(count, reference_count, "{context}: search after re-run");
    }
    println!("ingest: {killed} of {INGEST_KILLS} runs killed before they ended");
    assert!(killed > INGEST_KILLS / 3, "most runs must be killed");
}

#[test]
fn killed_auto_coding_never_mixes_runs() {
    let mut rng = Rng::from_env();
    let codebook = repo().join("codebooks/smo-study.toml");
    let codebook = codebook.to_string_lossy();
    let project = TestProject::new();
    project.ok(&as_strs(&ingest_args(false)));
    let code = ["code", "--codebook", &codebook];
    let mut total = time_run(&project, &code);
    let themes = ["themes", "--json", "--codebook", &codebook];
    let complete = project.ok(&themes);
    assert!(!complete.is_empty());

    let mut killed = 0;
    for run in 0..CODE_KILLS {
        let at = rng.moment(total);
        let context = format!("code run {run} killed at {at:?}");
        killed += usize::from(kill_after(project.path(), &code, at, &mut total));
        // Either the codings of one whole run, or a clear error saying
        // the run was interrupted: never a mix.
        let out = project.run(&themes);
        if out.status.success() {
            assert_eq!(String::from_utf8_lossy(&out.stdout), complete, "{context}");
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("interrupted") && err.contains("voces code"),
                "{context}: {err}"
            );
        }
        project.ok(&code);
        assert_eq!(project.ok(&themes), complete, "{context}: re-run");
    }
    println!("code: {killed} of {CODE_KILLS} runs killed before they ended");
    assert!(killed > CODE_KILLS / 3, "most runs must be killed");
}

#[test]
fn killed_manual_coding_loses_no_acknowledged_coding() {
    let mut rng = Rng::from_env();
    let codebook = repo().join("codebooks/smo-study.toml");
    let codebook = codebook.to_string_lossy();
    let project = TestProject::new();
    project.ok(&as_strs(&ingest_args(false)));
    let segment = |n: usize| format!("smo01-migrant-colombia-es#{}", n + 1);
    let add = |n: usize| {
        vec![
            "code".to_owned(),
            "add".to_owned(),
            segment(n),
            "exclusion".to_owned(),
            "--coder".to_owned(),
            "ana".to_owned(),
            "--codebook".to_owned(),
            codebook.to_string(),
        ]
    };
    let mut total = time_run(&project, &as_strs(&add(0)));
    let mut acknowledged = vec![segment(0)];

    let mut killed = 0;
    for n in 1..=MANUAL_KILLS {
        let at = rng.moment(total);
        if kill_after(project.path(), &as_strs(&add(n)), at, &mut total) {
            killed += 1;
        } else {
            acknowledged.push(segment(n));
        }
        // The log reads whole, and holds every coding acknowledged so far.
        let log = project.path().join(".voces/codings/manual/ana.jsonl");
        let text = std::fs::read_to_string(&log).unwrap();
        let segments: Vec<String> = text
            .lines()
            .map(|line| {
                let entry: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| {
                    panic!("add {n} killed at {at:?}: torn line {line:?}: {e}")
                });
                entry["segment"].as_str().unwrap().to_owned()
            })
            .collect();
        for s in &acknowledged {
            assert!(segments.contains(s), "add {n} killed at {at:?}: lost {s}");
        }
    }
    // Re-adding what was killed completes the work.
    for n in 1..=MANUAL_KILLS {
        project.ok(&as_strs(&add(n)));
    }
    let json = project.ok(&[
        "themes",
        "--coder",
        "ana",
        "--json",
        "--codebook",
        &codebook,
    ]);
    assert!(json.contains("exclusion"), "{json}");
    println!("manual: {killed} of {MANUAL_KILLS} adds killed before they ended");
}

/// A manual coding log read whole: every line must parse (no torn line).
fn coding_keys(project: &TestProject, coder: &str, context: &str) -> Vec<String> {
    let log = project
        .path()
        .join(format!(".voces/codings/manual/{coder}.jsonl"));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let mut keys: Vec<String> = text
        .lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{context}: {coder}: torn line {line:?}: {e}"));
            format!(
                "{} {} {}..{}",
                entry["code"], entry["segment"], entry["start"], entry["end"]
            )
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn killed_import_leaves_a_readable_project_and_reruns_to_completion() {
    let mut rng = Rng::from_env();
    let codebook = repo().join("codebooks/smo-study.toml");
    let codebook = codebook.to_string_lossy();
    // A REFI-QDA project to import: the sample corpus, auto-coded, with
    // a manual coder, exported as voces exports it.
    let source = TestProject::new();
    source.ok(&as_strs(&ingest_args(false)));
    source.ok(&["code", "--codebook", &codebook]);
    for (n, code) in ["smuggling", "exclusion", "asylum"].iter().enumerate() {
        let segment = format!("smo03-migrant-ecuador-es#{}", n + 2);
        source.ok(&[
            "code",
            "add",
            &segment,
            code,
            "--coder",
            "ana",
            "--codebook",
            &codebook,
        ]);
    }
    let file = source.path().join("project.qdpx");
    let file = file.to_string_lossy().into_owned();
    source.ok(&[
        "export",
        "--format",
        "qdpx",
        "-o",
        &file,
        "--no-redact",
        "--codebook",
        &codebook,
    ]);
    let import = ["import", file.as_str()];

    let reference = TestProject::new();
    let mut total = time_run(&reference, &import);
    let complete = listing(&reference);
    assert_eq!(complete.len(), 12, "the export holds the 12 interviews");
    let coders = ["ana", "auto-imported"];
    let codings: Vec<Vec<String>> = coders
        .iter()
        .map(|c| coding_keys(&reference, c, "reference"))
        .collect();
    assert!(codings.iter().all(|c| !c.is_empty()), "{codings:?}");

    let mut killed = 0;
    for run in 0..IMPORT_KILLS {
        let project = TestProject::new();
        let at = rng.moment(total);
        let context = format!("import run {run} killed at {at:?}");
        killed += usize::from(kill_after(project.path(), &import, at, &mut total));
        check_store(&project, &complete, &context);
        for coder in coders {
            coding_keys(&project, coder, &context);
        }
        // Running the import again completes it, with nothing twice.
        project.ok(&import);
        assert_eq!(listing(&project), complete, "{context}: re-run");
        for (coder, expected) in coders.iter().zip(&codings) {
            assert_eq!(
                &coding_keys(&project, coder, &context),
                expected,
                "{context}: {coder}'s codings after the re-run"
            );
        }
    }
    println!("import: {killed} of {IMPORT_KILLS} runs killed before they ended");
    assert!(killed > IMPORT_KILLS / 3, "most runs must be killed");
}

//! Ingest throughput on the PRESEEA Spanish interviews
//! (`../shared/corpora/preseea-es`), against `cat` of the same files in the
//! same run (the machines are noisy: compare ratios, not seconds).
//!
//! Run: `cargo bench --bench ingest` (optionally `-- DIR` for another folder
//! of transcripts). Reports:
//! - `cat`: reading the files, the floor;
//! - the readers alone on one core (decode, turns), MB/s;
//! - reader + builder on one core (decode, turns, roles, NFC, sentences,
//!   words, language detection), MB/s;
//! - `voces ingest --no-index` end to end (parallel, writes the store), and
//!   `voces ingest` (the store, then the search index), MB/s in all and per
//!   core.
//!
//! `-- --once` runs reader + builder over the files once and nothing else,
//! for a profiler: `valgrind --tool=callgrind target/release/deps/ingest-HASH
//! --once` (instruction counts repeat from run to run on a noisy machine);
//! `--once --times=20` for a sampling one (`perf record`).

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use voces_corpus::{IngestConfig, ProjectConfig};

/// The allocator of the `voces` binary, so the in-process figures are the
/// binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use voces_ingest::{Input, ReadOptions, ingest_bytes, readers, transcript_format};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    out.sort();
    out
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    fastest(runs, || {
        let t = Instant::now();
        f();
        t.elapsed().as_secs_f64()
    })
}

/// The least of `runs` timings, each the seconds `f` measured itself (so
/// that its set-up and clean-up are left out).
fn fastest<F: FnMut() -> f64>(runs: usize, mut f: F) -> f64 {
    (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min)
}

/// Reader and builder over every file; the number of segments built.
fn read_and_build(contents: &[(PathBuf, Vec<u8>)], options: &ReadOptions) -> usize {
    contents
        .iter()
        .map(|(path, data)| ingest_bytes(path, data, options).unwrap().segments.len())
        .sum()
}

fn main() {
    let once = std::env::args().any(|a| a == "--once");
    let arg = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let dir = arg.map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/preseea-es/texts"),
        PathBuf::from,
    );
    if !dir.is_dir() {
        println!("skipping ingest bench: {} not found", dir.display());
        return;
    }
    let files = files(&dir);
    let bytes: u64 = files.iter().map(|f| f.metadata().unwrap().len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} ({} files, {mb:.1} MB)",
        dir.display(),
        files.len()
    );

    let options = ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap();
    let contents: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|f| (f.clone(), std::fs::read(f).unwrap()))
        .collect();
    if once {
        // `--times=N`: N times over, so that a sampling profiler sees the
        // steady state (buffers and allocator warm) rather than first use.
        let times = std::env::args()
            .find_map(|a| a.strip_prefix("--times=")?.parse().ok())
            .unwrap_or(1);
        let mut segments = 0;
        for _ in 0..times {
            segments = read_and_build(&contents, &options);
        }
        println!("segments built: {segments}");
        return;
    }

    let cat = best_of(5, || {
        let status = Command::new("cat")
            .args(&files)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });

    let read = best_of(7, || {
        for (path, data) in &contents {
            let input = Input {
                path,
                bytes: data,
                options: &options,
            };
            readers::read(transcript_format(path).unwrap(), &input).unwrap();
        }
    });
    let mut segments = 0;
    let build = best_of(7, || segments = read_and_build(&contents, &options));

    let voces = env!("CARGO_BIN_EXE_voces");
    // `voces ingest` in a fresh project, with `extra`, best of 3. Only the
    // ingest is timed: not `voces init`, nor removing the project after
    // (deleting 46 MB of store takes longer than writing it on a disk
    // mounted with `discard`).
    let ingest = |extra: &[&str]| {
        fastest(3, || {
            let project = tempfile::tempdir().unwrap();
            let ok = Command::new(voces)
                .args(["init", "-q"])
                .arg(project.path())
                .status()
                .unwrap();
            assert!(ok.success());
            let t = Instant::now();
            let ok = Command::new(voces)
                .args(["ingest", "-q", "--project"])
                .arg(project.path())
                .args(extra)
                .arg(&dir)
                .status()
                .unwrap();
            let secs = t.elapsed().as_secs_f64();
            assert!(ok.success());
            secs
        })
    };
    let stored = ingest(&["--no-index"]);
    let end_to_end = ingest(&[]);

    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "{:<48} {:>9} {:>10} {:>10} {:>9}",
        "step", "seconds", "MB/s", "per core", "vs cat"
    );
    for (name, secs, used) in [
        ("cat (baseline)", cat, 1),
        ("read only, 1 core", read, 1),
        ("read + build, 1 core", build, 1),
        (
            &*format!("voces ingest --no-index (store), {cores} cores"),
            stored,
            cores,
        ),
        (
            &*format!("voces ingest (store and index), {cores} cores"),
            end_to_end,
            cores,
        ),
    ] {
        println!(
            "{name:<48} {secs:>9.3} {:>10.1} {:>10.1} {:>8.1}x",
            mb / secs,
            mb / secs / used as f64,
            secs / cat
        );
    }
    println!("segments built: {segments}");
}

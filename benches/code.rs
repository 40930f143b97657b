//! Auto-coding with the whole study codebook (`codebooks/smo-study.toml`)
//! on real transcripts from `../shared/corpora`, scaled to a size, against
//! two baselines in the same run (the machines are noisy: compare ratios,
//! not seconds):
//!
//! - `rg -c -i -w -F -f TERMS` over a text dump of the same segments: every
//!   word and phrase of the codebook as a fixed string, one pass, the floor
//!   of what a keyword count costs (no stemming, no rules);
//! - the naive method: one case-insensitive, word-bounded regex pass over
//!   every segment per word or phrase of the codebook (what a script
//!   looping over the keyword list does); on large corpora it runs on a
//!   sample and is extrapolated, as marked.
//!
//! voces is timed three ways: `voces code --full` end to end (the index
//! already up to date: one query per rule language, loading the candidate
//! segments, checking rules, writing the codings); `voces code` after a
//! word is added to one rule (only that rule runs again); and the engine
//! alone on one core with the interviews already in memory.
//!
//! Run: `cargo bench --bench code`; `VOCES_BENCH_MB=50` sets the corpus
//! size in MB of segment text (default 200): the ingested corpora are
//! copied with new interview ids until it is reached. Building the corpus,
//! the dump and the index is not timed.
//!
//! `VOCES_BENCH_KEEP=DIR` builds the project (`DIR/project`), the text dump
//! and the term list in `DIR` and leaves them there, for profiling
//! `voces code --project DIR/project`; a later run with the same `DIR` and
//! size reuses them instead of building them again. Delete `DIR` when done:
//! at 200 MB it holds a few GB.

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use voces_code::{AutoCoder, Codebook, Pattern};
use voces_corpus::{Interview, Project, id};
use voces_index::Index;

/// Corpora ingested (folders of `../shared/corpora`).
const CORPORA: &[&str] = &[
    "preseea-es/texts",
    "mlsss-en/transcripts",
    "ushmm-en-docx/docx",
    "boder-vtt",
    "bangor-miami-chat",
];

/// The naive method runs on at most this much text; beyond, it is
/// extrapolated.
const NAIVE_SAMPLE_MB: f64 = 8.0;

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn voces(project: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(args)
        .arg("--project")
        .arg(project)
        .arg("-q")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "voces {args:?} failed"
    );
}

/// Every word and phrase of the codebook's rules (terms, phrases, `near`
/// entries), lower case, without repeats.
fn entries(codebook: &Codebook) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, rule) in codebook.rules() {
        let near = rule.near.iter().flat_map(|n| n.a.iter().chain(&n.b));
        for e in rule.terms.iter().chain(&rule.phrases).chain(near) {
            let e = e.to_lowercase();
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn text_mb(interviews: &[Interview]) -> f64 {
    interviews
        .iter()
        .flat_map(|i| &i.segments)
        .map(|s| s.text.len())
        .sum::<usize>() as f64
        / 1e6
}

/// Makes the bench's project in `project_dir`: ingests the corpora, copies
/// their interviews under new ids up to `target_mb` of segment text, and
/// indexes it. Returns the MB of the corpora and the seconds indexing took.
fn build(shared: &Path, project_dir: &Path, target_mb: f64) -> (f64, f64) {
    let ok = Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(["init", "-q"])
        .arg(project_dir)
        .status()
        .unwrap();
    assert!(ok.success());
    let mut args = vec!["ingest".to_owned()];
    args.extend(
        CORPORA
            .iter()
            .map(|c| shared.join(c))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string()),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    voces(project_dir, &args);
    let project = Project::open(project_dir).unwrap();
    let store = project.store();
    let originals: Vec<Interview> = store
        .interview_ids()
        .unwrap()
        .iter()
        .map(|i| store.interview(i).unwrap())
        .collect();
    let base_mb = text_mb(&originals);
    let mut total_mb = base_mb;
    let mut copy = 0;
    while total_mb < target_mb {
        copy += 1;
        for original in &originals {
            if total_mb >= target_mb {
                break;
            }
            let mut i = original.clone();
            i.id = format!("{}-copy{copy}", original.id);
            for (n, s) in i.segments.iter_mut().enumerate() {
                s.id = id::segment_id(&i.id, n);
            }
            store.put_interview(&i).unwrap();
            total_mb += text_mb(std::slice::from_ref(&i));
        }
    }
    let t = Instant::now();
    voces(project_dir, &["index"]);
    (base_mb, t.elapsed().as_secs_f64())
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpora");
    if !shared.is_dir() {
        println!("skipping code bench: {} not found", shared.display());
        return;
    }
    let target_mb: f64 = std::env::var("VOCES_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200.0);
    let languages = vec!["en".to_owned(), "es".to_owned()];
    let codebook = Codebook::load(&root.join("codebooks/smo-study.toml"), &languages).unwrap();

    // The corpus: ingest, then copy interviews under new ids up to the size.
    let kept = std::env::var_os("VOCES_BENCH_KEEP").map(PathBuf::from);
    let temp = match &kept {
        Some(_) => None,
        None => Some(tempfile::tempdir().unwrap()),
    };
    let dir: &Path = kept
        .as_deref()
        .unwrap_or_else(|| temp.as_ref().unwrap().path());
    let project_dir = dir.join("project");
    // A kept project built for this size is reused as it is.
    let built_marker = dir.join("built");
    let built = format!("{target_mb}\n");
    let reuse =
        kept.is_some() && std::fs::read_to_string(&built_marker).ok() == Some(built.clone());
    let mut built_note = None;
    if reuse {
        println!("reusing the corpus kept in {}", dir.display());
    } else {
        // A kept folder of another size starts afresh.
        let _ = std::fs::remove_file(&built_marker);
        if kept.is_some() && project_dir.exists() {
            std::fs::remove_dir_all(&project_dir).unwrap();
        }
        let (base_mb, index_secs) = build(&shared, &project_dir, target_mb);
        built_note = Some(format!(
            " ({base_mb:.1} MB of ../shared/corpora, copied); index built in {index_secs:.1} s (not timed below)"
        ));
        if kept.is_some() {
            std::fs::write(&built_marker, &built).unwrap();
            println!("keeping the corpus in {}", dir.display());
        }
    }
    let project = Project::open(&project_dir).unwrap();
    let store = project.store();
    let interviews: Vec<Interview> = store
        .interview_ids()
        .unwrap()
        .iter()
        .map(|i| store.interview(i).unwrap())
        .collect();
    let segments: usize = interviews.iter().map(|i| i.segments.len()).sum();
    let mb = text_mb(&interviews);
    println!(
        "corpus: {} interviews, {segments} segments, {mb:.1} MB of segment text{}",
        interviews.len(),
        built_note.unwrap_or_default()
    );

    // The dump and the term list for rg.
    let dump = dir.join("segments.txt");
    let mut text = String::with_capacity((mb * 1e6) as usize + segments);
    for s in interviews.iter().flat_map(|i| &i.segments) {
        text.extend(s.text.chars().map(|c| if c == '\n' { ' ' } else { c }));
        text.push('\n');
    }
    std::fs::write(&dump, &text).unwrap();
    let entries = entries(&codebook);
    let terms = dir.join("terms.txt");
    std::fs::write(&terms, entries.join("\n") + "\n").unwrap();
    println!(
        "codebook: {} rules, {} words and phrases",
        codebook.rules().count(),
        entries.len()
    );

    // voces code, end to end.
    voces(
        &project_dir,
        &[
            "code",
            "--codebook",
            root.join("codebooks/smo-study.toml").to_str().unwrap(),
        ],
    );
    let codings = std::fs::read_to_string(project_dir.join(".voces/codings/auto.jsonl"))
        .unwrap()
        .lines()
        .count();
    let study = root.join("codebooks/smo-study.toml");
    let cli = best_of(2, || {
        voces(
            &project_dir,
            &["code", "--full", "--codebook", study.to_str().unwrap()],
        );
    });

    // Re-coding after an edit of one rule (a word added to its terms): only
    // that rule runs again, the others' codings are kept.
    let edited = dir.join("edited.toml");
    let text = std::fs::read_to_string(&study).unwrap();
    std::fs::write(
        &edited,
        text.replacen("terms = [", "terms = [\"benchedit\", ", 1),
    )
    .unwrap();
    let mut recode = f64::INFINITY;
    for _ in 0..2 {
        voces(
            &project_dir,
            &["code", "--full", "--codebook", study.to_str().unwrap()],
        );
        // Only the run after the edit is timed.
        let t = Instant::now();
        voces(
            &project_dir,
            &["code", "--codebook", edited.to_str().unwrap()],
        );
        recode = recode.min(t.elapsed().as_secs_f64());
    }

    // The engine alone, one core, interviews in memory.
    let index = Index::open_or_create(&project.data_dir().join("index"), &languages).unwrap();
    let coder = AutoCoder::new(&codebook, &languages);
    let mut engine_codings = 0;
    let mut candidate_segments = 0;
    let mut query_secs = f64::INFINITY;
    let engine = best_of(2, || {
        let t = Instant::now();
        let candidates = coder.candidates(&index, &|_, _| {}).unwrap();
        query_secs = query_secs.min(t.elapsed().as_secs_f64());
        candidate_segments = candidates.segments();
        engine_codings = 0;
        let mut session = coder.session();
        for i in &interviews {
            if let Some(c) = candidates.interviews.get(&i.id) {
                engine_codings += session.code_interview(i, Some(c)).len();
            }
        }
    });
    assert_eq!(engine_codings, codings);

    // rg over the dump.
    let rg = Command::new("rg")
        .arg("--version")
        .output()
        .is_ok()
        .then(|| {
            best_of(3, || {
                let out = Command::new("rg")
                    .args(["-c", "-i", "-w", "-F", "-f"])
                    .arg(&terms)
                    .arg(&dump)
                    .output()
                    .unwrap();
                assert!(out.status.code().is_some_and(|c| c <= 1));
            })
        });

    // The naive method: one regex pass per entry over every segment.
    let patterns: Vec<Pattern> = entries
        .iter()
        .filter_map(|e| Pattern::new(&regex_escape(e)).ok())
        .collect();
    let mut sample: Vec<&str> = Vec::new();
    let mut sample_mb = 0.0;
    for s in interviews.iter().flat_map(|i| &i.segments) {
        if sample_mb >= NAIVE_SAMPLE_MB.min(mb) {
            break;
        }
        sample.push(&s.text);
        sample_mb += s.text.len() as f64 / 1e6;
    }
    let mut naive_hits = 0usize;
    let naive_sample = best_of(1, || {
        naive_hits = 0;
        for p in &patterns {
            for s in &sample {
                naive_hits += p.regex().find_iter(s).count();
            }
        }
    });
    let naive = naive_sample * mb / sample_mb;

    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "{:<58} {:>9} {:>8} {:>14}",
        "method", "seconds", "MB/s", "vs voces code"
    );
    let mut rows: Vec<(String, f64)> = vec![
        (format!("voces code, end to end ({cores} cores)"), cli),
        (
            "voces code after editing one rule (re-codes that rule)".to_owned(),
            recode,
        ),
        (
            "voces-code engine, 1 core, interviews in memory".to_owned(),
            engine,
        ),
    ];
    if let Some(rg) = rg {
        rows.push((
            format!("rg -c -i -w -F -f ({} fixed strings)", entries.len()),
            rg,
        ));
    }
    rows.push((
        if sample_mb < mb {
            format!(
                "naive: {} regex passes (extrapolated from {sample_mb:.0} MB)",
                patterns.len()
            )
        } else {
            format!("naive: {} regex passes", patterns.len())
        },
        naive,
    ));
    for (name, secs) in &rows {
        println!(
            "{name:<58} {secs:>9.2} {:>8.1} {:>13.2}x",
            mb / secs,
            secs / cli
        );
    }
    println!(
        "voces: {codings} codings from {candidate_segments} candidate segments of {segments}; the engine spends {query_secs:.2} s in index queries, the rest checking candidates; naive: {naive_hits} keyword hits in the sample"
    );
    if rg.is_none() {
        println!("rg not found: its row is left out");
    }
}

//! Search benchmark: index build throughput, indexing peak memory and query
//! latency on a corpus scaled up from the real transcripts in
//! `../shared/corpora`, side by side in one run with a minimal tantivy
//! program (same schema, pairs fields included; same writer budget, same
//! segments) and with `rg -c` over the same text. The machines are noisy:
//! compare the ratios.
//!
//! Run: `cargo bench --bench search` (1 GiB of segment text), or a quick
//! check: `VOCES_BENCH_MB=100 cargo bench --bench search`. Optionally
//! `-- DIR` for another folder laid out like `shared/corpora`. Settings:
//!
//! - `VOCES_BENCH_MB`: the largest size, in MiB of segment text (1024);
//! - `VOCES_BENCH_SIZES`: the sizes to run, in MiB, comma separated (a
//!   quarter of `VOCES_BENCH_MB`, then `VOCES_BENCH_MB`), to see whether
//!   memory stays flat as the corpus grows;
//! - `VOCES_BENCH_BUILDS`: builds of each index at each size (1), one
//!   voces build right after each baseline build; the report gives the
//!   medians and each pair's ratio (the machines are noisy: 3 or more to
//!   tell a cost from noise);
//! - `VOCES_BENCH_REPS`: timed runs of each query (5);
//! - `VOCES_BENCH_ONLY`: in a `--child queries` run started by hand (say,
//!   under `perf record`), only the queries containing this text are run,
//!   and each one's search and count medians are printed on stderr;
//! - `VOCES_BENCH_KEEP`: when set, the working folder (store, plain text
//!   and voces index of the largest size) is kept, to profile one step
//!   alone: `--child voces|tantivy PROJECT DIR` builds an index in DIR,
//!   `--child queries PROJECT DIR` times the queries on it, and
//!   `--queries KEPT` times the queries and the `rg` scan again on a kept
//!   folder without building anything, and `--rebuild KEPT` measures
//!   everything again (builds, queries, scan) on the kept corpus without
//!   making it anew;
//! - `VOCES_BENCH_COMPARE`: the path of another build of this benchmark
//!   (say, a copy of `target/release/deps/search-*` from before a change):
//!   its queries are timed too, on the same index in the same run, and
//!   reported as "before".
//!
//! The scaled corpus is made outside the timed parts: the transcripts are
//! ingested once, then copied under new ids (`ID-copyN`) into a temporary
//! project store until the segment text reaches the size, and also written
//! as plain text for `rg` (one file per interview, one line per segment).
//! Each index build runs in a child process (this program with `--child`),
//! so that the peak resident memory it reports (`VmHWM`) is its own.
//!
//! Targets (from the issue): voces builds within 1.3x of plain tantivy's
//! time; query p50 at least 100x faster than the `rg` scan at 1 GiB, and
//! p99 under 20 ms; indexing peak memory under 1 GiB, flat as the corpus
//! grows.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its report on stdout and its progress on stderr"
)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, JsonObjectOptions, NumericOptions, OwnedValue, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy::{IndexWriter, TantivyDocument};
use voces_corpus::{IngestConfig, Interview, Project, ProjectConfig, Store};
use voces_index::{Index, Query, SearchOptions};
use voces_ingest::{ReadOptions, ingest_file};

type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

const MIB: f64 = 1024.0 * 1024.0;

/// The folders of `shared/corpora` read, and the extension taken in each.
const SOURCES: [(&str, &str); 5] = [
    ("preseea-es/texts", "txt"),
    ("boder-vtt", "vtt"),
    ("ushmm-en-docx/docx", "docx"),
    ("mlsss-en/transcripts", "txt"),
    ("bangor-miami-chat/beta", "cha"),
];

/// The writer budget and threads of voces-index (`WRITER_MEMORY`,
/// `MAX_WRITER_THREADS` in `crates/index/src/index.rs`), for the baseline.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;
const MAX_WRITER_THREADS: usize = 2;

/// The fixed queries, in the voces query language: single words, booleans,
/// phrases, proximity, prefixes, filters and 20-word ORs, English and
/// Spanish.
const QUERIES: &[&str] = &[
    // words
    "border",
    "family",
    "war",
    "camp",
    "work",
    "school",
    "mother",
    "church",
    "money",
    "smugglers",
    "immigration",
    "papers",
    "hunger",
    "liberation",
    "know",
    "frontera",
    "trabajo",
    "familia",
    "escuela",
    "dinero",
    "barrio",
    "pueblo",
    "idioma",
    "trabajaría",
    "dijo",
    // booleans
    "frontera AND (coyote OR pollero)",
    "war NOT camp",
    "family AND work",
    "(mother OR father) AND school",
    "trabajo AND familia",
    "escuela -trabajo",
    "(soldiers OR army) AND train",
    "money OR dinero",
    "camp AND (hunger OR food) NOT liberation",
    "border role:participant",
    "familia lang:es",
    // phrases and proximity
    "\"work permit\"",
    "\"the border\"",
    "\"my mother\"",
    "\"concentration camp\"",
    "\"high school\"",
    "\"I don't know\"",
    "\"la frontera\"",
    "\"mi familia\"",
    "\"en el pueblo\"",
    "\"no sé\"",
    "\"visa parole\"~5",
    "\"mother father\"~3",
    "\"trabajo casa\"~5",
    "\"camp soldiers\"~10",
    // prefixes
    "contraband*",
    "immigra*",
    "trabaj*",
    "fronter*",
    "liberat*",
    "\"work perm*\"",
    // 20-word ORs
    "border OR immigration OR visa OR papers OR passport OR citizen OR deported OR smuggler OR \
     crossing OR customs OR permit OR refugee OR asylum OR embassy OR consulate OR quota OR \
     affidavit OR ship OR harbor OR emigrate",
    "frontera OR trabajo OR familia OR dinero OR casa OR escuela OR pueblo OR ciudad OR barrio OR \
     fiesta OR comida OR hijos OR madre OR padre OR hermano OR iglesia OR campo OR calle OR \
     coche OR playa",
    "camp OR ghetto OR barracks OR guards OR soldiers OR train OR transport OR liberation OR \
     hunger OR typhus OR selection OR work OR prisoners OR Germans OR Russians OR Americans OR \
     bread OR soup OR shoes OR roll",
    "mother OR father OR sister OR brother OR children OR wife OR husband OR grandmother OR \
     uncle OR aunt OR madre OR padre OR hermana OR hermano OR abuela OR tío OR tía OR esposo OR \
     esposa OR niños",
    "(job OR work OR factory OR farm OR money OR wages OR boss OR union OR strike OR fired OR \
     trabajo OR fábrica OR dinero OR sueldo OR jefe OR patrón OR huelga OR empleo OR oficina OR \
     negocio) role:participant",
];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child") => return child(&args[1..]),
        Some("--queries") => {
            let work = args.get(1).ok_or("usage: --queries KEPT_DIR")?;
            return queries_only(Path::new(work));
        }
        Some("--rebuild") => {
            let work = args.get(1).ok_or("usage: --rebuild KEPT_DIR")?;
            return rebuild_kept(Path::new(work));
        }
        _ => {}
    }
    let corpora = args.iter().find(|a| !a.starts_with('-')).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"),
        PathBuf::from,
    );
    if !corpora.is_dir() {
        println!("skipping search bench: {} not found", corpora.display());
        return Ok(());
    }
    let sizes = sizes()?;
    let rg = rg_available();
    if !rg {
        println!("note: `rg` (ripgrep) not found on PATH: the scan columns are skipped");
    }

    let started = Instant::now();
    let base = ingest_corpora(&corpora)?;
    if base.is_empty() {
        println!(
            "skipping search bench: no transcripts under {}",
            corpora.display()
        );
        return Ok(());
    }
    let base_bytes: usize = base.iter().map(text_bytes).sum();
    eprintln!(
        "read {} interviews, {:.1} MiB of segment text, in {:.1} s",
        base.len(),
        base_bytes as f64 / MIB,
        started.elapsed().as_secs_f64()
    );

    let work = tempfile::tempdir()?;
    let keep = std::env::var_os("VOCES_BENCH_KEEP").is_some();
    let project = Project::init(&work.path().join("project"))?;
    let dump = work.path().join("text");
    std::fs::create_dir_all(&dump)?;
    let mut scaled = Scaled::default();
    let mut builds = Vec::new();
    let mut queries = Vec::new();
    for &mb in &sizes {
        let started = Instant::now();
        scaled.grow(&base, &project.store(), &dump, mb * 1024 * 1024)?;
        eprintln!(
            "\n== {:.0} MiB: {} interviews, {} segments (made in {:.1} s, not timed)",
            scaled.bytes as f64 / MIB,
            scaled.interviews,
            scaled.segments,
            started.elapsed().as_secs_f64()
        );
        let (build, timed) = run_size(&project, work.path(), &dump, &scaled, rg)?;
        builds.push(build);
        queries.push(timed);
    }
    report_builds(&builds);
    report_queries(&queries);
    if keep {
        let dir = work.keep();
        let exe = std::env::current_exe()?;
        eprintln!(
            "kept {}: profile a build with `perf record {} --child voces {} DIR`; time the \
             queries again with `{} --queries {}`",
            dir.display(),
            exe.display(),
            dir.join("project").display(),
            exe.display(),
            dir.display()
        );
    }
    Ok(())
}

/// The sizes to run, in MiB, ascending.
fn sizes() -> Result<Vec<usize>> {
    let largest = env_number("VOCES_BENCH_MB")?.unwrap_or(1024).max(1);
    let mut sizes: Vec<usize> = match std::env::var("VOCES_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|s| s.trim().parse::<usize>())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("VOCES_BENCH_SIZES: {e}"))?,
        Err(_) => vec![(largest / 4).max(1), largest],
    };
    sizes.retain(|&s| s > 0);
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.is_empty() {
        return Err("VOCES_BENCH_SIZES names no size".into());
    }
    Ok(sizes)
}

fn env_number(name: &str) -> Result<Option<usize>> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(
            v.trim().parse().map_err(|e| format!("{name}={v}: {e}"))?,
        )),
        Err(_) => Ok(None),
    }
}

fn rg_available() -> bool {
    Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

// ---------------------------------------------------------------------------
// The scaled corpus (not timed)

/// Reads every transcript of [`SOURCES`] once, with the default project
/// settings (languages `en`, `es`).
fn ingest_corpora(corpora: &Path) -> Result<Vec<Interview>> {
    let options = ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default())?;
    let mut files = Vec::new();
    for (folder, ext) in SOURCES {
        let Ok(entries) = std::fs::read_dir(corpora.join(folder)) else {
            eprintln!("note: {folder} not found, left out");
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
            .collect();
        found.sort();
        files.extend(found);
    }
    let read: Vec<_> = files
        .par_iter()
        .map(|path| (path, ingest_file(path, &options)))
        .collect();
    let mut ids = HashSet::new();
    let mut out = Vec::new();
    for (path, interview) in read {
        match interview {
            Ok(i) if i.segments.is_empty() => {}
            Ok(i) if ids.insert(i.id.clone()) => out.push(i),
            Ok(i) => eprintln!("note: duplicate id {} ({}), left out", i.id, path.display()),
            Err(e) => eprintln!("note: {e}, left out"),
        }
    }
    Ok(out)
}

fn text_bytes(interview: &Interview) -> usize {
    interview.segments.iter().map(|s| s.text.len()).sum()
}

/// The scaled corpus so far: copies of the base interviews in the store and
/// as plain text.
#[derive(Default)]
struct Scaled {
    /// Copies made: the next is copy `made / base.len()` of base interview
    /// `made % base.len()`.
    made: usize,
    bytes: usize,
    segments: usize,
    interviews: usize,
}

impl Scaled {
    /// Adds copies until the segment text reaches `target` bytes.
    fn grow(
        &mut self,
        base: &[Interview],
        store: &Store,
        dump: &Path,
        target: usize,
    ) -> Result<()> {
        let mut batch = Vec::new();
        while self.bytes < target {
            let n = self.made;
            let original = &base[n % base.len()];
            batch.push(n);
            self.made += 1;
            self.bytes += text_bytes(original);
            self.segments += original.segments.len();
            self.interviews += 1;
        }
        batch
            .par_iter()
            .try_for_each(|&n| {
                let interview = copy_of(&base[n % base.len()], n / base.len());
                store.put_interview(&interview)?;
                let mut text =
                    String::with_capacity(text_bytes(&interview) + interview.segments.len());
                for s in &interview.segments {
                    text.extend(s.text.chars().map(|c| if c == '\n' { ' ' } else { c }));
                    text.push('\n');
                }
                std::fs::write(dump.join(format!("{}.txt", interview.id)), text)?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
            .map_err(|e| e.to_string().into())
    }
}

/// Copy `n` of an interview: the same interview under id `ID-copyN` (copy 0
/// is the original).
fn copy_of(original: &Interview, n: usize) -> Interview {
    let mut copy = original.clone();
    if n > 0 {
        copy.id = format!("{}-copy{n}", original.id);
        for s in &mut copy.segments {
            s.id = voces_corpus::id::segment_id(&copy.id, s.index);
        }
    }
    copy
}

// ---------------------------------------------------------------------------
// One size

/// What a child process reported: `key=value` numbers.
type Report = HashMap<String, f64>;

/// Query latency of one build of the benchmark: milliseconds.
struct Latency {
    /// Over every timed run of every query.
    p50: f64,
    p99: f64,
    count_p50: f64,
    count_p99: f64,
    /// Per query of [`QUERIES`]: the median search and the hits.
    queries: Vec<(f64, usize)>,
}

impl Latency {
    fn of(report: &Report) -> Latency {
        Latency {
            p50: report["p50"],
            p99: report["p99"],
            count_p50: report["count_p50"],
            count_p99: report["count_p99"],
            queries: (0..QUERIES.len())
                .map(|n| {
                    (
                        report[&format!("q{n}_ms")],
                        report[&format!("q{n}_hits")] as usize,
                    )
                })
                .collect(),
        }
    }
}

/// The `rg` scan: the median milliseconds, and per query the
/// milliseconds and matching lines.
struct Scan {
    p50: f64,
    queries: Vec<(f64, usize)>,
}

/// The queries at one size: this build, the build of
/// `VOCES_BENCH_COMPARE` if set, and `rg`.
struct Queries {
    mb: f64,
    latency: Latency,
    before: Option<Latency>,
    scan: Option<Scan>,
}

/// The builds at one size: every run of each, in order (a voces build
/// right after each baseline build, `VOCES_BENCH_BUILDS` pairs).
struct Build {
    mb: f64,
    segments: usize,
    voces: Vec<Report>,
    tantivy: Vec<Report>,
    read: Report,
}

impl Build {
    /// The median of each measure over the runs of `runs`.
    fn median(runs: &[Report]) -> Report {
        let keys = runs.first().map(|r| r.keys().cloned().collect::<Vec<_>>());
        keys.unwrap_or_default()
            .into_iter()
            .map(|k| {
                let mut v: Vec<f64> = runs.iter().map(|r| r[&k]).collect();
                v.sort_by(f64::total_cmp);
                (k, percentile(&v, 50.0))
            })
            .collect()
    }
}

fn run_size(
    project: &Project,
    work: &Path,
    dump: &Path,
    scaled: &Scaled,
    rg: bool,
) -> Result<(Build, Queries)> {
    let mb = scaled.bytes as f64 / MIB;
    let root = project.root();
    let read = run_child("read", root, None)?;
    eprintln!(
        "store read: heads {:.1} s, interviews {:.1} s",
        read["heads_secs"], read["secs"]
    );
    let voces_dir = work.join("index-voces");
    let tantivy_dir = work.join("index-tantivy");
    let builds = env_number("VOCES_BENCH_BUILDS")?.unwrap_or(1).max(1);
    let mut voces = Vec::with_capacity(builds);
    let mut tantivy = Vec::with_capacity(builds);
    for n in 1..=builds {
        // The baseline first, removed before voces builds: one index on
        // disk at a time.
        if voces_dir.exists() {
            // From the build before, or kept from the size before
            // (`VOCES_BENCH_KEEP`): build afresh.
            std::fs::remove_dir_all(&voces_dir)?;
        }
        let t = run_child("tantivy", root, Some(&tantivy_dir))?;
        std::fs::remove_dir_all(&tantivy_dir)?;
        eprintln!(
            "tantivy index ({n}/{builds}): {:.1} s, {:.1} MiB/s, peak RSS {:.0} MiB",
            t["secs"],
            mb / t["secs"],
            t["hwm_kb"] / 1024.0
        );
        let v = run_child("voces", root, Some(&voces_dir))?;
        eprintln!(
            "pair tokens: voces {:.0}, baseline {:.0}",
            v["pair_tokens"], t["pair_tokens"]
        );
        eprintln!(
            "voces index ({n}/{builds}): {:.1} s, {:.1} MiB/s, peak RSS {:.0} MiB; {:.2}x wall, \
             {:.2}x CPU",
            v["secs"],
            mb / v["secs"],
            v["hwm_kb"] / 1024.0,
            v["secs"] / t["secs"],
            v["cpu_secs"] / t["cpu_secs"]
        );
        voces.push(v);
        tantivy.push(t);
    }
    let queries = measure_queries(mb, root, &voces_dir, dump, rg)?;
    if std::env::var_os("VOCES_BENCH_KEEP").is_none() {
        std::fs::remove_dir_all(&voces_dir)?;
    }
    let build = Build {
        mb,
        segments: scaled.segments,
        voces,
        tantivy,
        read,
    };
    Ok((build, queries))
}

/// Times the queries on the index in `voces_dir` (in a child process),
/// also with the build of `VOCES_BENCH_COMPARE` when set, then `rg` over
/// the same text.
fn measure_queries(
    mb: f64,
    root: &Path,
    voces_dir: &Path,
    dump: &Path,
    rg: bool,
) -> Result<Queries> {
    let before = match std::env::var_os("VOCES_BENCH_COMPARE") {
        Some(exe) => {
            let report = run_child_of(Path::new(&exe), "queries", root, Some(voces_dir))?;
            eprintln!(
                "queries with {}: p50 {:.2} ms, p99 {:.2} ms",
                Path::new(&exe).display(),
                report["p50"],
                report["p99"]
            );
            Some(Latency::of(&report))
        }
        None => None,
    };
    let latency = Latency::of(&run_child("queries", root, Some(voces_dir))?);
    eprintln!(
        "voces queries: p50 {:.2} ms, p99 {:.2} ms",
        latency.p50, latency.p99
    );
    let scan = if rg {
        // Once untimed, to have the text in the page cache like the index.
        rg_count(dump, QUERIES[0])?;
        let queries = QUERIES
            .iter()
            .map(|q| rg_count(dump, q))
            .collect::<Result<Vec<_>>>()?;
        let mut ms: Vec<f64> = queries.iter().map(|q| q.0).collect();
        ms.sort_by(f64::total_cmp);
        let p50 = percentile(&ms, 50.0);
        eprintln!("rg -c: p50 {p50:.0} ms");
        Some(Scan { p50, queries })
    } else {
        None
    };
    Ok(Queries {
        mb,
        latency,
        before,
        scan,
    })
}

/// `--rebuild DIR`: every measurement again (store read, both builds,
/// queries, scan) on the corpus of a folder kept by `VOCES_BENCH_KEEP`.
fn rebuild_kept(work: &Path) -> Result<()> {
    let project = Project::open(&work.join("project"))?;
    let dump = work.join("text");
    let (bytes, lines) = text_size(&dump)?;
    let scaled = Scaled {
        made: 0,
        bytes,
        segments: lines,
        interviews: project.store().interview_ids()?.len(),
    };
    eprintln!(
        "== kept {:.0} MiB: {} interviews, {} segments",
        bytes as f64 / MIB,
        scaled.interviews,
        scaled.segments
    );
    let (build, queries) = run_size(&project, work, &dump, &scaled, rg_available())?;
    report_builds(&[build]);
    report_queries(&[queries]);
    Ok(())
}

/// The segment text of the plain-text dump (one line per segment, a
/// newline after each) in bytes, and its segments.
fn text_size(dump: &Path) -> Result<(usize, usize)> {
    let mut bytes = 0;
    let mut lines = 0;
    for entry in std::fs::read_dir(dump)? {
        // Every line, the last too, ends with a newline.
        let text = std::fs::read_to_string(entry?.path())?;
        bytes += text.len();
        lines += text.lines().count();
    }
    Ok((bytes - lines, lines))
}

/// `--queries DIR`: the queries and the scan again on a folder kept by
/// `VOCES_BENCH_KEEP`, without building anything.
fn queries_only(work: &Path) -> Result<()> {
    let root = work.join("project");
    let voces_dir = work.join("index-voces");
    let dump = work.join("text");
    if !voces_dir.join("meta.json").is_file() || !dump.is_dir() {
        return Err(format!(
            "{} is not a folder kept by VOCES_BENCH_KEEP (project, index-voces, text)",
            work.display()
        )
        .into());
    }
    // One line per segment: the segment text and a newline.
    let mb = text_size(&dump)?.0 as f64 / MIB;
    let rg = rg_available();
    let queries = measure_queries(mb, &root, &voces_dir, &dump, rg)?;
    report_queries(&[queries]);
    Ok(())
}

/// Parses and runs a query: milliseconds and total hits.
fn search(index: &Index, query: &str, options: &SearchOptions) -> Result<(f64, usize)> {
    let started = Instant::now();
    let results = index.search(&Query::parse(query)?, options)?;
    Ok((started.elapsed().as_secs_f64() * 1e3, results.total_hits))
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs this program as `--child MODE ROOT [DIR]` and reads its report.
fn run_child(mode: &str, root: &Path, dir: Option<&Path>) -> Result<Report> {
    run_child_of(&std::env::current_exe()?, mode, root, dir)
}

/// Runs a build of this program (`exe`) as `--child MODE ROOT [DIR]` and
/// reads its report.
fn run_child_of(exe: &Path, mode: &str, root: &Path, dir: Option<&Path>) -> Result<Report> {
    let mut command = Command::new(exe);
    command.args(["--child", mode]).arg(root);
    if let Some(dir) = dir {
        command.arg(dir);
    }
    let out = command.stderr(Stdio::inherit()).output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("child {mode} failed ({}): {stdout}", out.status).into());
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("result "))
        .ok_or_else(|| format!("child {mode} reported nothing: {stdout}"))?;
    line.split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').ok_or("bad child report")?;
            Ok((k.to_owned(), v.parse::<f64>()?))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// rg

/// `rg -c -i -w` over the plain text, for the words of `query`: the time in
/// milliseconds and the matching lines (segments).
fn rg_count(dump: &Path, query: &str) -> Result<(f64, usize)> {
    let mut command = Command::new("rg");
    command.args(["--no-config", "-c", "-i", "-w"]);
    for p in rg_patterns(query) {
        command.arg("-e").arg(p);
    }
    command.arg(dump).stderr(Stdio::inherit());
    let started = Instant::now();
    let out = command.output()?;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    // 0: found, 1: nothing found.
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!("rg failed on {query}: {}", out.status).into());
    }
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.rsplit_once(':')?.1.parse::<usize>().ok())
        .sum();
    Ok((ms, lines))
}

/// The `rg` patterns that scan for the same words as a voces query: each
/// word (negated ones too: the scan reads them either way), a phrase as its
/// words separated by white space, a proximity phrase as its words, `word*`
/// as a word prefix. Field filters (`role:`) have no text to scan.
fn rg_patterns(query: &str) -> Vec<String> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '(' || c == ')' {
            i += 1;
        } else if c == '"' {
            let close = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |n| i + 1 + n);
            let phrase: String = chars[i + 1..close].iter().collect();
            i = close + 1;
            let proximity = chars.get(i) == Some(&'~');
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ')' {
                i += 1;
            }
            let words: Vec<String> = phrase.split_whitespace().map(word_pattern).collect();
            if proximity {
                out.extend(words);
            } else {
                out.push(words.join(r"\s+"));
            }
        } else {
            let start = i;
            while i < chars.len() && !(chars[i].is_whitespace() || "()\"".contains(chars[i])) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_start_matches(['-', '+']);
            if !(word.is_empty() || matches!(word, "AND" | "OR" | "NOT") || word.contains(':')) {
                out.push(word_pattern(word));
            }
        }
    }
    out
}

/// A query word as a regex: escaped, `word*` as the word and more letters.
fn word_pattern(word: &str) -> String {
    let stem = word.trim_end_matches('*');
    let mut out = String::with_capacity(stem.len() + 3);
    for c in stem.chars() {
        if r"\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    if stem.len() != word.len() {
        out.push_str(r"\w*");
    }
    out
}

// ---------------------------------------------------------------------------
// The report

fn report_builds(rows: &[Build]) {
    let kib = |r: &Report, key: &str| r[key] / 1024.0;
    println!();
    println!(
        "index build (wall s, CPU s of all threads; RSS = peak VmHWM, anon = peak RssAnon, MiB; \
         the median of {} runs each)",
        rows.first().map_or(0, |r| r.voces.len())
    );
    println!(
        "{:>7} {:>9} {:>8} {:>8} {:>9} {:>8} {:>6} {:>7} {:>7} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "MiB",
        "segments",
        "voces s",
        "MiB/s",
        "tantivy s",
        "MiB/s",
        "ratio",
        "CPU v",
        "CPU t",
        "ratio",
        "RSS v",
        "RSS t",
        "anon v",
        "anon t",
        "read s"
    );
    let medians: Vec<(Report, Report)> = rows
        .iter()
        .map(|r| (Build::median(&r.voces), Build::median(&r.tantivy)))
        .collect();
    for (r, (voces, tantivy)) in rows.iter().zip(&medians) {
        println!(
            "{:>7.0} {:>9} {:>8.1} {:>8.2} {:>9.1} {:>8.2} {:>6.2} {:>7.0} {:>7.0} {:>6.2} {:>7.0} {:>7.0} {:>7.0} {:>7.0} {:>7.1}",
            r.mb,
            r.segments,
            voces["secs"],
            r.mb / voces["secs"],
            tantivy["secs"],
            r.mb / tantivy["secs"],
            voces["secs"] / tantivy["secs"],
            voces["cpu_secs"],
            tantivy["cpu_secs"],
            voces["cpu_secs"] / tantivy["cpu_secs"],
            kib(voces, "hwm_kb"),
            kib(tantivy, "hwm_kb"),
            kib(voces, "anon_kb"),
            kib(tantivy, "anon_kb"),
            r.read["secs"]
        );
    }
    println!(
        "read s: reading every stored interview alone, without indexing (reading only their \
         heads, as an update does for interviews already indexed: {})",
        rows.iter()
            .map(|r| format!("{:.1} s", r.read["heads_secs"]))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for r in rows.iter().filter(|r| r.voces.len() > 1) {
        println!(
            "{:.0} MiB, each voces build against the baseline build just before it: {}",
            r.mb,
            r.voces
                .iter()
                .zip(&r.tantivy)
                .map(|(v, t)| format!(
                    "{:.2}x wall {:.2}x CPU",
                    v["secs"] / t["secs"],
                    v["cpu_secs"] / t["cpu_secs"]
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (Some((first, _)), Some((last, last_tantivy)), Some(last_mb)) =
        (medians.first(), medians.last(), rows.last().map(|r| r.mb))
    else {
        return;
    };
    println!();
    println!("build targets at {last_mb:.0} MiB:");
    let ratio = last["secs"] / last_tantivy["secs"];
    println!(
        "  build time within 1.3x of tantivy: {ratio:.2}x wall, {:.2}x CPU, {}",
        last["cpu_secs"] / last_tantivy["cpu_secs"],
        verdict(ratio <= 1.3)
    );
    let peak = kib(last, "hwm_kb");
    println!(
        "  indexing peak RSS under 1 GiB: {peak:.0} MiB (anon {:.0} MiB), {}",
        kib(last, "anon_kb"),
        verdict(peak < 1024.0)
    );
    if rows.len() > 1 {
        println!(
            "  flat as the corpus grows: {:.0} -> {:.0} MiB RSS ({:.2}x), anon {:.0} -> {:.0} \
             MiB ({:.2}x) for {:.1}x the text",
            kib(first, "hwm_kb"),
            peak,
            peak / kib(first, "hwm_kb"),
            kib(first, "anon_kb"),
            kib(last, "anon_kb"),
            last["anon_kb"] / first["anon_kb"],
            last_mb / rows[0].mb
        );
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn report_queries(rows: &[Queries]) {
    println!();
    println!(
        "queries ({} queries; search = first 100 hits with text and matches, count = count \
         only; ms; \"before\" = the build of VOCES_BENCH_COMPARE on the same index)",
        QUERIES.len()
    );
    println!(
        "{:>7} {:>7} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "MiB",
        "build",
        "search p50",
        "search p99",
        "count p50",
        "count p99",
        "rg p50",
        "rg/search",
        "rg/count"
    );
    for r in rows {
        let runs = r
            .before
            .iter()
            .map(|b| ("before", b))
            .chain([("this", &r.latency)]);
        for (name, l) in runs {
            let (rg_p50, search, count) = match &r.scan {
                Some(scan) => (
                    format!("{:.0}", scan.p50),
                    format!("{:.0}x", scan.p50 / l.p50),
                    format!("{:.0}x", scan.p50 / l.count_p50),
                ),
                None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
            };
            println!(
                "{:>7.0} {name:>7} {:>10.2} {:>10.2} {:>9.2} {:>9.2} {rg_p50:>9} {search:>9} {count:>9}",
                r.mb, l.p50, l.p99, l.count_p50, l.count_p99
            );
        }
    }
    let Some(last) = rows.last() else { return };
    println!();
    println!("query targets at {:.0} MiB:", last.mb);
    let l = &last.latency;
    if let Some(scan) = &last.scan {
        println!(
            "  p50 at least 100x faster than rg: search {:.0}x, count {:.0}x, {}",
            scan.p50 / l.p50,
            scan.p50 / l.count_p50,
            verdict(scan.p50 / l.p50 >= 100.0)
        );
    }
    println!(
        "  p99 under 20 ms: search {:.1} ms, count {:.1} ms, {}",
        l.p99,
        l.count_p99,
        verdict(l.p99 < 20.0)
    );

    println!();
    println!(
        "per query at {:.0} MiB (search p50; hits: matching segments; rg lines: lines, one per \
         segment, with one of the words as written, unstemmed)",
        last.mb
    );
    let before = |n: usize| {
        last.before
            .as_ref()
            .map_or_else(String::new, |b| format!("{:>9.2} ", b.queries[n].0))
    };
    println!(
        "{}{:>9} {:>9} {:>9} {:>9}  query",
        if last.before.is_some() {
            "   before "
        } else {
            ""
        },
        "p50 ms",
        "hits",
        "rg ms",
        "rg lines"
    );
    for (n, query) in QUERIES.iter().enumerate() {
        let (ms, hits) = l.queries[n];
        let (rg_ms, lines) = match &last.scan {
            Some(scan) => (
                format!("{:.0}", scan.queries[n].0),
                scan.queries[n].1.to_string(),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        let mut query = (*query).to_owned();
        if query.chars().count() > 70 {
            query = query.chars().take(67).collect::<String>() + "...";
        }
        println!(
            "{}{ms:>9.2} {hits:>9} {rg_ms:>9} {lines:>9}  {query}",
            before(n)
        );
    }
}

// ---------------------------------------------------------------------------
// Child processes: what is timed and measured

/// `--child MODE ROOT [DIR]`: `voces` and `tantivy` build an index of the
/// project's store in DIR; `read` only reads the store. Prints one line,
/// `result key=value...`: seconds, segments, peak RSS (`VmHWM`) and peak
/// anonymous memory in KiB.
fn child(args: &[String]) -> Result<()> {
    let [mode, root, rest @ ..] = args else {
        return Err("usage: --child MODE ROOT [DIR]".into());
    };
    let sampler = Sampler::start();
    let project = Project::open(Path::new(root))?;
    let store = project.store();
    let languages = &project.config().project.languages;
    let dir = rest.first().map(PathBuf::from);
    let mut extra = String::new();
    let started = Instant::now();
    let segments = match (mode.as_str(), &dir) {
        ("voces", Some(dir)) => {
            let mut index = Index::open_or_create(dir, languages)?;
            let stats = index.update(&store, &store.attributes()?, &|_, _| {})?;
            if !stats.failed.is_empty() {
                return Err(format!("voces index: {:?}", stats.failed).into());
            }
            stats.segments
        }
        ("tantivy", Some(dir)) => baseline_build(&store, dir, languages)?,
        ("read", None) => {
            let ids = store.interview_ids()?;
            for id in &ids {
                store.head(id)?;
            }
            extra = format!(" heads_secs={}", started.elapsed().as_secs_f64());
            let reading = Instant::now();
            let mut segments = 0;
            for id in &ids {
                segments += store.interview(id)?.segments.len();
            }
            let secs = reading.elapsed().as_secs_f64();
            write!(extra, " secs={secs}")?;
            segments
        }
        ("queries", Some(dir)) => {
            extra = time_queries(&Index::open_or_create(dir, languages)?)?;
            0
        }
        _ => return Err(format!("unknown child mode {mode}").into()),
    };
    let secs = started.elapsed().as_secs_f64();
    let anon = sampler.stop();
    let hwm = status_kb("VmHWM");
    let cpu = cpu_secs();
    if let ("voces" | "tantivy", Some(dir)) = (mode.as_str(), &dir) {
        // After the measures: not part of the build.
        extra = format!(" pair_tokens={}", pair_tokens(dir, languages)?);
    }
    let secs = if matches!(mode.as_str(), "read" | "queries") {
        String::new()
    } else {
        format!(" secs={secs}")
    };
    println!("result segments={segments} hwm_kb={hwm} anon_kb={anon} cpu_secs={cpu}{secs}{extra}");
    Ok(())
}

/// Runs every query of [`QUERIES`] once to warm up, then
/// `VOCES_BENCH_REPS` times as a search (the first 100 hits in document
/// order, with their text and matches, as `voces search` shows them) and as
/// a count. Returns the report: `p50`, `p99`, `count_p50`, `count_p99` over
/// every timed run, and each query's median `qN_ms` and hits `qN_hits`.
fn time_queries(index: &Index) -> Result<String> {
    let reps: usize = env_number("VOCES_BENCH_REPS")?.unwrap_or(5).max(1);
    let count_only = SearchOptions {
        count_only: true,
        ..SearchOptions::default()
    };
    let only = std::env::var("VOCES_BENCH_ONLY").ok();
    let mut all = Vec::new();
    let mut counts = Vec::new();
    let mut out = String::new();
    for (n, query) in QUERIES.iter().enumerate() {
        if only.as_ref().is_some_and(|o| !query.contains(o.as_str())) {
            continue;
        }
        let hits = search(index, query, &SearchOptions::default())?.1;
        let mut own = Vec::with_capacity(reps);
        let mut own_counts = Vec::with_capacity(reps);
        for _ in 0..reps {
            own.push(search(index, query, &SearchOptions::default())?.0);
            own_counts.push(search(index, query, &count_only)?.0);
        }
        all.extend_from_slice(&own);
        counts.extend_from_slice(&own_counts);
        own.sort_by(f64::total_cmp);
        if only.is_some() {
            own_counts.sort_by(f64::total_cmp);
            eprintln!(
                "{:8.2} ms search {:8.2} ms count {hits:9} hits  {query}",
                percentile(&own, 50.0),
                percentile(&own_counts, 50.0)
            );
        }
        write!(out, " q{n}_ms={} q{n}_hits={hits}", percentile(&own, 50.0))?;
    }
    all.sort_by(f64::total_cmp);
    counts.sort_by(f64::total_cmp);
    write!(
        out,
        " p50={} p99={} count_p50={} count_p99={}",
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        percentile(&counts, 50.0),
        percentile(&counts, 99.0)
    )?;
    Ok(out)
}

/// User and system CPU seconds of this process, all threads (`utime` and
/// `stime` of `/proc/self/stat`, in ticks of 1/100 s, Linux's `USER_HZ`):
/// less sensitive than wall time to other programs on a shared machine.
fn cpu_secs() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<u64> = s
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .map(|f| f.parse().ok())
                .collect::<Option<_>>()?;
            Some(fields.iter().sum::<u64>())
        })
        .unwrap_or(0);
    ticks as f64 / 100.0
}

/// A field of `/proc/self/status` in KiB (0 where there is none).
fn status_kb(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(name)?
                    .strip_prefix(':')?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0)
}

/// Samples the process's anonymous resident memory (`RssAnon`) every 20 ms
/// and keeps the peak: `VmHWM` also counts the index files tantivy maps
/// while merging, which the kernel can drop at will.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl Sampler {
    fn start() -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            while !flag.load(Ordering::Relaxed) {
                peak = peak.max(status_kb("RssAnon"));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak.max(status_kb("RssAnon"))
        });
        Sampler { stop, thread }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

/// The baseline: a minimal tantivy program with voces-index's schema
/// (`crates/index/src/schema.rs`: the same fields with the same options),
/// stock tantivy analyzers in place of voces's (words, lower case, long
/// words dropped, ASCII folding, the language's stemmer), the same writer
/// budget and threads, one commit. Its `pairs_<code>` fields hold what
/// voces's do, made the plain way ([`BaselinePairs`]). It reads the same
/// store the same way, so both pay the same JSON parsing.
fn baseline_build(store: &Store, dir: &Path, languages: &[String]) -> Result<usize> {
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let analyzed = |tokenizer: &str, record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let mut b = Schema::builder();
    let interview = b.add_text_field("interview", STRING | STORED | FAST);
    let segment = b.add_text_field("segment", STRING | STORED);
    let speaker = b.add_text_field(
        "speaker",
        analyzed("keyword", IndexRecordOption::Basic).set_stored(),
    );
    let role = b.add_text_field("role", STRING | STORED | FAST);
    let lang = b.add_text_field("lang", STRING | STORED | FAST);
    let start_time = b.add_f64_field("start_time", STORED);
    let end_time = b.add_f64_field("end_time", STORED);
    let position = b.add_u64_field(
        "position",
        NumericOptions::default().set_fast().set_stored(),
    );
    let start = b.add_u64_field("start", STORED);
    let end = b.add_u64_field("end", STORED);
    let file = b.add_text_field("file", STORED);
    let attrs_field = b.add_json_field(
        "attrs",
        JsonObjectOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("keyword")
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    let text = b.add_text_field("text", STORED);
    let text_exact = b.add_text_field("text_exact", analyzed("exact", positions));
    let text_plain = b.add_text_field("text_plain", analyzed("plain", positions));
    let text_lang: Vec<Field> = languages
        .iter()
        .map(|l| {
            b.add_text_field(
                &format!("text_{l}"),
                analyzed(&format!("lang_{l}"), positions),
            )
        })
        .collect();
    let pairs_lang: Vec<Field> = languages
        .iter()
        .map(|l| {
            b.add_text_field(
                &format!("pairs_{l}"),
                analyzed(&format!("pairs_{l}"), positions),
            )
        })
        .collect();
    std::fs::create_dir_all(dir)?;
    let index = tantivy::Index::create_in_dir(dir, b.build())?;

    let drop_long = || RemoveLongFilter::limit(voces_index::analysis::MAX_WORD_BYTES + 1);
    let tokenizers = index.tokenizers();
    for l in languages {
        let words = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(drop_long())
            .filter(AsciiFoldingFilter);
        let stemmed = match l.as_str() {
            "en" => words.filter(Stemmer::new(Language::English)).build(),
            "es" => words.filter(Stemmer::new(Language::Spanish)).build(),
            _ => words.build(),
        };
        let common: HashSet<String> = voces_index::common_words(l)
            .iter()
            .flat_map(|w| analyzer_terms(&mut stemmed.clone(), w))
            .collect();
        tokenizers.register(
            &format!("pairs_{l}"),
            TextAnalyzer::from(BaselinePairs {
                analyzer: stemmed.clone(),
                common: Arc::new(common),
                pairs: Vec::new(),
            }),
        );
        tokenizers.register(&format!("lang_{l}"), stemmed);
    }
    tokenizers.register(
        "exact",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(drop_long())
            .build(),
    );
    tokenizers.register(
        "plain",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(drop_long())
            .filter(AsciiFoldingFilter)
            .build(),
    );
    tokenizers.register(
        "keyword",
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );

    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(MAX_WRITER_THREADS);
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, WRITER_MEMORY)?;
    let attributes = store.attributes()?;
    let mut segments = 0;
    let mut reading = Duration::ZERO;
    let mut adding = Duration::ZERO;
    for id in store.interview_ids()? {
        let t = Instant::now();
        let i = store.interview(&id)?;
        reading += t.elapsed();
        let t = Instant::now();
        let attrs: BTreeMap<String, String> = attributes
            .merged(&i.id, &i.source.file_name, &i.attributes)
            .into_iter()
            .map(|(k, v)| (k, v.to_text()))
            .collect();
        for seg in &i.segments {
            let mut doc = TantivyDocument::new();
            doc.add_text(interview, &i.id);
            doc.add_text(segment, &seg.id);
            if let Some(label) = &seg.speaker {
                doc.add_text(speaker, label);
                if let Some(name) = i
                    .speakers
                    .iter()
                    .find(|s| &s.label == label)
                    .and_then(|s| s.name.as_ref())
                    .filter(|n| *n != label)
                {
                    doc.add_text(speaker, name);
                }
            }
            doc.add_text(role, seg.role.as_str());
            doc.add_text(lang, &seg.language);
            if let Some(t) = seg.start_time {
                doc.add_f64(start_time, t);
            }
            if let Some(t) = seg.end_time {
                doc.add_f64(end_time, t);
            }
            doc.add_u64(position, seg.index as u64);
            doc.add_u64(start, seg.start as u64);
            doc.add_u64(end, seg.end as u64);
            doc.add_text(file, &i.source.file_name);
            doc.add_text(text, &seg.text);
            let field = languages
                .iter()
                .position(|l| *l == seg.language)
                .unwrap_or(0);
            doc.add_text(text_lang[field], &seg.text);
            doc.add_text(pairs_lang[field], &seg.text);
            doc.add_text(text_exact, &seg.text);
            doc.add_text(text_plain, &seg.text);
            if !attrs.is_empty() {
                doc.add_object(
                    attrs_field,
                    attrs
                        .iter()
                        .map(|(k, v)| (k.to_lowercase(), OwnedValue::Str(v.clone())))
                        .collect(),
                );
            }
            writer.add_document(doc)?;
        }
        segments += i.segments.len();
        adding += t.elapsed();
    }
    let t = Instant::now();
    writer.commit()?;
    let commit = t.elapsed();
    let t = Instant::now();
    writer.wait_merging_threads()?;
    eprintln!(
        "tantivy phases: store read {:.1} s, add_document {:.1} s, commit {:.1} s, merges {:.1} s",
        reading.as_secs_f64(),
        adding.as_secs_f64(),
        commit.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    Ok(segments)
}

/// The tokens of the `pairs_<code>` fields of the tantivy index in `dir`,
/// to check that the baseline indexes as many pairs as voces.
fn pair_tokens(dir: &Path, languages: &[String]) -> Result<u64> {
    let index = tantivy::Index::open_in_dir(dir)?;
    let schema = index.schema();
    let searcher = index.reader()?.searcher();
    let mut total = 0;
    for l in languages {
        let field = schema.get_field(&format!("pairs_{l}"))?;
        for segment in searcher.segment_readers() {
            total += segment.inverted_index(field)?.total_num_tokens();
        }
    }
    Ok(total)
}

/// The terms of `text` under `analyzer`.
fn analyzer_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// The baseline's tokenizer of a `pairs_<code>` field: the pair terms of
/// voces-index (`crates/index/src/pairs.rs`: `first second` at the
/// position of the first, for two consecutive words whose terms are both
/// terms of the language's common words), from the tokens of the stock
/// language analyzer.
#[derive(Clone)]
struct BaselinePairs {
    analyzer: TextAnalyzer,
    common: Arc<HashSet<String>>,
    pairs: Vec<Token>,
}

impl Tokenizer for BaselinePairs {
    type TokenStream<'a> = TokenList<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenList<'a> {
        self.pairs.clear();
        let mut stream = self.analyzer.token_stream(text);
        let mut before: Option<Token> = None;
        while let Some(token) = stream.next() {
            let common = self.common.contains(&token.text);
            if let Some(first) = before
                .as_ref()
                .filter(|b| common && b.position + 1 == token.position)
            {
                self.pairs.push(Token {
                    offset_from: first.offset_from,
                    offset_to: token.offset_to,
                    position: first.position,
                    text: format!("{} {}", first.text, token.text),
                    position_length: 1,
                });
            }
            before = common.then(|| token.clone());
        }
        TokenList {
            tokens: &mut self.pairs,
            next: 0,
        }
    }
}

/// Tokens made beforehand, one after the other.
struct TokenList<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for TokenList<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

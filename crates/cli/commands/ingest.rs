//! `voces ingest PATH... [--metadata FILE]`
//!
//! Files are parsed in parallel and each interview is written atomically as
//! soon as it is built, so an interrupted run leaves every interview either
//! as it was or fully replaced. A file whose bytes and reading settings are
//! unchanged since the last ingest is skipped.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use rayon::prelude::*;
use voces_corpus::{Project, Stats, Store};
use voces_ingest::{ReadOptions, extension, transcript_format};

use crate::args::{Global, IngestArgs};
use crate::printer::Printer;

/// Extensions of attribute sheets.
const SHEETS: &[&str] = &["csv", "tsv", "xlsx", "xlsm", "xls", "ods"];

/// File names that are documentation, not transcripts, when met in a folder.
const DOC_PREFIXES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "changelog",
    "source",
    "citation",
    "notice",
];

/// What happened to one transcript file.
struct Outcome {
    change: Change,
    /// Counts of the interview as stored now.
    stats: Stats,
    /// The reader's and builder's warnings (none when unchanged).
    warnings: Vec<String>,
}

enum Change {
    New,
    Changed,
    Unchanged,
}

struct Job {
    path: PathBuf,
    id: String,
}

pub fn run(global: &Global, args: &IngestArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    if args.paths.is_empty() && args.metadata.is_empty() {
        anyhow::bail!(
            "nothing to ingest\nhint: voces ingest TRANSCRIPTS... [--metadata participants.xlsx]"
        );
    }
    let _lock = super::lock_project(&project, printer)?;
    let config = project.config();
    let options = ReadOptions::new(&config.project, &config.ingest)?;
    let store = project.store();
    let mut failures = 0usize;
    let mut warnings = 0usize;

    // Collect the files, in a stable order.
    let mut files = Vec::new();
    let mut skipped_docs = 0usize;
    let mut skipped_sheets = Vec::new();
    for path in &args.paths {
        match collect(
            path,
            &project,
            &mut files,
            &mut skipped_docs,
            &mut skipped_sheets,
        ) {
            Ok(()) => {}
            Err(e) => {
                printer.error(&format!("{e:#}"));
                failures += 1;
            }
        }
    }
    if skipped_docs > 0 {
        printer.note(&format!(
            "note: skipped {skipped_docs} documentation file(s) (README, LICENSE, SOURCE...); name them to ingest them"
        ));
    }
    for sheet in &skipped_sheets {
        if !args.metadata.iter().any(|m| same_file(m, sheet)) {
            printer.note(&format!(
                "note: {} looks like an attribute sheet, not a transcript\nhint: pass it with --metadata {}",
                sheet.display(),
                sheet.display()
            ));
        }
    }

    // Ids come from file names: settle duplicates before any parsing.
    let mut jobs: Vec<Job> = Vec::new();
    let mut claimed: HashMap<String, PathBuf> = HashMap::new();
    for path in files {
        let id = voces_ingest::interview_id(&path);
        if let Some(first) = claimed.get(&id) {
            printer.error(&format!(
                "{}: duplicate interview id `{id}` (also the id of {}); file skipped\nhint: rename one of the two files",
                path.display(),
                first.display()
            ));
            failures += 1;
            continue;
        }
        claimed.insert(id.clone(), path.clone());
        jobs.push(Job { path, id });
    }

    let bar = printer.progress(jobs.len() as u64, "ingest");
    let errors = Mutex::new(Vec::new());
    let results: Vec<(usize, Outcome)> = jobs
        .par_iter()
        .enumerate()
        .filter_map(|(i, job)| {
            bar.set_message(
                job.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            let r = ingest_one(job, &store, &options, args.force);
            bar.inc(1);
            match r {
                Ok(o) => Some((i, o)),
                Err(e) => {
                    errors
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((i, format!("{e:#}")));
                    None
                }
            }
        })
        .collect();
    bar.finish_and_clear();
    let mut errors = errors
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    errors.sort();
    for (_, e) in &errors {
        printer.error(e);
    }
    failures += errors.len();

    let (mut new, mut changed, mut unchanged, mut segments) = (0, 0, 0, 0);
    let mut words: BTreeMap<String, usize> = BTreeMap::new();
    let mut results = results;
    results.sort_by_key(|r| r.0);
    for (i, outcome) in &results {
        match outcome.change {
            Change::New => new += 1,
            Change::Changed => changed += 1,
            Change::Unchanged => {
                unchanged += 1;
                continue;
            }
        }
        segments += outcome.stats.segments;
        for (l, n) in &outcome.stats.words_by_language {
            *words.entry(l.clone()).or_default() += n;
        }
        for w in grouped_warnings(&outcome.warnings) {
            printer.warn(&format!("{}: {w}", jobs[*i].path.display()));
        }
        warnings += outcome.warnings.len();
    }

    // Attribute sheets.
    for sheet in &args.metadata {
        let key = args
            .key
            .as_deref()
            .or(Some(config.metadata.key.as_str()).filter(|k| !k.is_empty()));
        match voces_ingest::metadata::read_metadata(sheet, key, &options) {
            Ok(read) => {
                for w in &read.warnings {
                    printer.warn(w);
                }
                warnings += read.warnings.len();
                store.put_metadata(&read.table)?;
                printer.note(&format!(
                    "attributes: {} ({} rows, {} columns, joined by `{}`)",
                    read.table.name,
                    read.table.rows.len(),
                    read.table.columns.len(),
                    read.table.key
                ));
            }
            Err(e) => {
                printer.error(&format!("{e:#}"));
                failures += 1;
            }
        }
    }
    if !args.metadata.is_empty() {
        warnings += report_unmatched(&store, printer)?;
    }

    // The corpus totals: this run's interviews are known, the others are
    // read (a first ingest reads nothing back).
    let this_run: HashMap<&str, &Stats> = results
        .iter()
        .map(|(i, o)| (jobs[*i].id.as_str(), &o.stats))
        .collect();
    let (mut corpus_interviews, mut corpus_segments) = (0, 0);
    let mut corpus_words: BTreeMap<String, usize> = BTreeMap::new();
    for id in store.interview_ids()? {
        let read;
        let stats = if let Some(&stats) = this_run.get(id.as_str()) {
            stats
        } else {
            read = store.head(&id)?.stats;
            &read
        };
        corpus_interviews += 1;
        corpus_segments += stats.segments;
        for (l, n) in &stats.words_by_language {
            *corpus_words.entry(l.clone()).or_default() += n;
        }
    }
    if !args.paths.is_empty() {
        printer.note(&format!(
            "ingested {} file(s): {new} new, {changed} changed, {unchanged} unchanged, {failures} failed; {segments} segments, {} words ({})",
            new + changed + unchanged + errors.len(),
            words.values().sum::<usize>(),
            per_language(&words),
        ));
    }
    printer.note(&format!(
        "corpus: {} interviews, {} segments, {} words ({}); {warnings} warning(s)",
        corpus_interviews,
        corpus_segments,
        corpus_words.values().sum::<usize>(),
        per_language(&corpus_words),
    ));
    // The index follows the corpus, in one commit for the whole run. The
    // corpus is already stored: an index failure is reported and fixed by
    // `voces index`, never undoes the ingest.
    if args.no_index {
        printer
            .note("index: not updated (--no-index); `voces index` or the next search updates it");
    } else {
        match super::index::open_and_update(&project, printer) {
            Ok((index, stats)) => {
                if let Some(line) = super::index::describe(&stats, &index) {
                    printer.note(&line);
                }
                failures += stats.failed.len();
            }
            Err(e) => {
                printer.error(&format!(
                    "{e:#}\nhint: the corpus is stored; run `voces index` to try the index again"
                ));
                failures += 1;
            }
        }
    }
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A file's warnings with repeats folded: the same message on many lines
/// (`line 412: cue ends before it starts...`) is shown once with the
/// lines it occurs on.
fn grouped_warnings(warnings: &[String]) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for w in warnings {
        let (line, message) = match w.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
            Some((n, m)) if n.bytes().all(|b| b.is_ascii_digit()) => (n, m),
            _ => ("", w.as_str()),
        };
        match groups.iter_mut().find(|(m, _)| *m == message) {
            Some((_, lines)) => lines.push(line),
            None => groups.push((message, vec![line])),
        }
    }
    groups
        .into_iter()
        .map(|(message, lines)| match lines.as_slice() {
            [""] => message.to_owned(),
            [one] => format!("line {one}: {message}"),
            many => {
                let shown: Vec<&str> = many.iter().take(5).copied().collect();
                let more = if many.len() > 5 { ", ..." } else { "" };
                format!(
                    "{message} ({} times, lines {}{more})",
                    many.len(),
                    shown.join(", ")
                )
            }
        })
        .collect()
}

fn per_language(words: &BTreeMap<String, usize>) -> String {
    if words.is_empty() {
        return "none".into();
    }
    words
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ingest_one(
    job: &Job,
    store: &Store,
    options: &ReadOptions,
    force: bool,
) -> anyhow::Result<Outcome> {
    let bytes = voces_ingest::read_file(&job.path, options.max_file_bytes)?;
    let abs = std::fs::canonicalize(&job.path).unwrap_or_else(|_| job.path.clone());
    // Unknown ids and damaged records alike get a fresh read.
    let previous = store.head(&job.id).ok();
    if let Some(h) = &previous {
        let old = Path::new(&h.source.path);
        if old != abs && old.exists() {
            anyhow::bail!(
                "{}: interview id `{}` is already used by {}; file skipped\nhint: rename one of the files, or `voces corpus remove {}` first",
                job.path.display(),
                job.id,
                old.display(),
                job.id
            );
        }
        // Hashed here only when there is something to compare with: a
        // new interview's hash is taken once, by the builder.
        if !force
            && h.source.fingerprint == options.fingerprint()
            && old == abs
            && h.source.sha256 == voces_corpus::id::sha256_hex(&bytes)
        {
            return Ok(Outcome {
                change: Change::Unchanged,
                stats: h.stats.clone(),
                warnings: Vec::new(),
            });
        }
    }
    let interview = voces_ingest::ingest_bytes(&job.path, &bytes, options)?;
    store
        .put_interview(&interview)
        .with_context(|| format!("cannot store {}", job.path.display()))?;
    Ok(Outcome {
        change: if previous.is_some() {
            Change::Changed
        } else {
            Change::New
        },
        stats: interview.stats,
        warnings: interview.warnings,
    })
}

/// Adds the transcript files under `path` to `files`.
fn collect(
    path: &Path,
    project: &Project,
    files: &mut Vec<PathBuf>,
    skipped_docs: &mut usize,
    skipped_sheets: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if meta.is_file() {
        if transcript_format(path).is_none() {
            if SHEETS.contains(&extension(path).as_str()) {
                anyhow::bail!(
                    "{}: an attribute sheet, not a transcript\nhint: pass it with --metadata {}",
                    path.display(),
                    path.display()
                );
            }
            return Err(voces_ingest::Error::Unsupported {
                path: path.to_owned(),
                ext: extension(path),
            }
            .into());
        }
        files.push(path.to_owned());
        return Ok(());
    }
    let data_dir = project.data_dir();
    let walker = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.') || e.path() == data_dir)
        });
    for entry in walker {
        let entry = entry.with_context(|| format!("{}: cannot walk", path.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let p = entry.path();
        let ext = extension(p);
        if transcript_format(p).is_some() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if DOC_PREFIXES.iter().any(|d| name.starts_with(d))
                && matches!(ext.as_str(), "txt" | "md" | "markdown" | "text")
            {
                *skipped_docs += 1;
                continue;
            }
            files.push(p.to_owned());
        } else if SHEETS.contains(&ext.as_str()) {
            skipped_sheets.push(p.to_owned());
        }
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Warns about sheet rows that join no stored interview; returns how many.
fn report_unmatched(store: &Store, printer: &Printer) -> anyhow::Result<usize> {
    let heads = store.heads()?;
    let pairs: Vec<(String, String)> = heads
        .iter()
        .map(|h| (h.id.clone(), h.source.file_name.clone()))
        .collect();
    let attributes = store.attributes()?;
    let unmatched = attributes.unmatched(&pairs);
    for (table, row) in &unmatched {
        printer.warn(&format!(
            "{}:{}: row `{}` matches no interview (by id or file name)",
            table.name, row.line, row.id
        ));
    }
    let without = heads
        .iter()
        .filter(|h| {
            attributes
                .participants(&h.id, &h.source.file_name)
                .is_empty()
        })
        .count();
    if without > 0 && !attributes.tables().is_empty() {
        printer.note(&format!(
            "note: {without} interview(s) have no row in any attribute sheet"
        ));
    }
    Ok(unmatched.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_warnings_fold() {
        let w: Vec<String> = [
            "line 3: cue ends before it starts",
            "missing `@Begin` header",
            "line 9: cue ends before it starts",
            "line 12: malformed timing line",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            grouped_warnings(&w),
            [
                "cue ends before it starts (2 times, lines 3, 9)",
                "missing `@Begin` header",
                "line 12: malformed timing line",
            ]
        );
    }
}

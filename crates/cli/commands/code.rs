//! `voces code`: auto-coding with a codebook, `--explain`, and manual
//! codings (`add`, `remove`, `import`).
//!
//! Auto-codings go to `.voces/codings/auto.jsonl` (replaced whole by each
//! run, atomically, only after every interview is coded); manual codings to
//! `.voces/codings/manual/CODER.jsonl` (appended). See `voces_code::coding`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use voces_code::coding::{Action, AutoRun, CODINGS_FORMAT, CodebookInfo, ManualEntry, check_coder};
use voces_code::engine::Outcome;
use voces_code::import::{Columns, ImportOptions};
use voces_code::{AutoCoder, Codebook, Coding, CodingStore};
use voces_corpus::{Interview, Project, Segment, id};

use crate::args::Global;
use crate::printer::Printer;
use crate::table::Table;

/// The codebook used when neither `--codebook` nor `[code] codebook` names
/// one, relative to the project folder.
pub const DEFAULT_CODEBOOK: &str = "codebooks/smo-study.toml";

/// `voces code`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CodeArgs {
    /// Manual codings (without one: auto-code the corpus).
    #[command(subcommand)]
    pub command: Option<CodeCommand>,
    /// Codebook file (default: `[code] codebook` in voces.toml, else
    /// codebooks/smo-study.toml in the project folder).
    #[arg(long, value_name = "FILE", global = true)]
    pub codebook: Option<PathBuf>,
    /// Show how every rule treats one segment (the rules that code it,
    /// and those that matched but were vetoed, negated or filtered),
    /// without coding anything.
    #[arg(long, value_name = "SEGMENT_ID")]
    pub explain: Option<String>,
    /// With --explain: one JSON object.
    #[arg(long, requires = "explain")]
    pub json: bool,
    /// Re-code every rule. Without it, when the corpus is unchanged since
    /// the last run, only the rules a codebook edit changed (or added) are
    /// run again; the other rules' codings are kept.
    #[arg(long, conflicts_with = "explain")]
    pub full: bool,
}

/// `voces code ...`
#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    /// Code a segment (or part of it) by hand.
    Add(ManualArgs),
    /// Remove a manual coding.
    Remove(ManualArgs),
    /// Import codings from a CSV or spreadsheet (one row per coded
    /// excerpt: interview, quote or segment, code, coder).
    Import(ImportArgs),
}

/// `voces code add|remove SEGMENT_ID CODE --coder NAME [--span A..B]`
#[derive(Debug, Args)]
pub struct ManualArgs {
    /// Segment id (`INTERVIEW#N`, as `voces corpus show` and `voces search`
    /// print them).
    pub segment: String,
    /// Code id (see the codebook).
    pub code: String,
    /// Who codes.
    #[arg(long, value_name = "NAME")]
    pub coder: String,
    /// Characters A..B of the segment's text, from 0, end excluded
    /// (default: the whole segment; for `remove`, every coding of CODE on
    /// the segment).
    #[arg(long, value_name = "A..B")]
    pub span: Option<SpanArg>,
}

/// `voces code import FILE`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV, TSV, XLSX, XLS or ODS file with a header row.
    pub file: PathBuf,
    /// Coder of every row (default: the coder column).
    #[arg(long, value_name = "NAME")]
    pub coder: Option<String>,
    /// Column of interview ids or transcript file names.
    #[arg(long, value_name = "COLUMN")]
    pub interview_col: Option<String>,
    /// Column of segment ids.
    #[arg(long, value_name = "COLUMN")]
    pub segment_col: Option<String>,
    /// Column of quoted text.
    #[arg(long, value_name = "COLUMN")]
    pub quote_col: Option<String>,
    /// Column of codes (repeat for several; codes get the column's name as
    /// prefix).
    #[arg(long, value_name = "COLUMN")]
    pub code_col: Vec<String>,
    /// Column of coder names.
    #[arg(long, value_name = "COLUMN")]
    pub coder_col: Option<String>,
    /// Interview of every row, for tables without an interview column
    /// (default: the interview named like the file).
    #[arg(long, value_name = "ID")]
    pub interview: Option<String>,
    /// Sheet of a workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Check the table and report, without storing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// `A..B`: a span of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanArg(pub usize, pub usize);

impl FromStr for SpanArg {
    type Err = String;

    fn from_str(s: &str) -> Result<SpanArg, String> {
        let bad = || format!("`{s}` is not a span: write START..END, such as 10..42");
        let (a, b) = s.split_once("..").ok_or_else(bad)?;
        let a: usize = a.trim().parse().map_err(|_| bad())?;
        let b: usize = b.trim().parse().map_err(|_| bad())?;
        if a >= b {
            return Err(format!(
                "span {a}..{b} is empty: the end must be after the start"
            ));
        }
        Ok(SpanArg(a, b))
    }
}

pub fn run(global: &Global, args: &CodeArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let _lock = if args.command.is_some() || args.explain.is_none() {
        Some(super::lock_project(&project, printer)?)
    } else {
        None
    };
    match &args.command {
        Some(CodeCommand::Add(a)) => manual(&project, args, a, Action::Add, printer),
        Some(CodeCommand::Remove(a)) => manual(&project, args, a, Action::Remove, printer),
        Some(CodeCommand::Import(a)) => import(&project, args, a, printer),
        None => match &args.explain {
            Some(segment) => explain(&project, args, segment, printer),
            None => auto_code(&project, args, printer),
        },
    }
}

/// The codebook file: `--codebook`, `[code] codebook`, or the default in
/// the project folder.
pub fn codebook_path(project: &Project, given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_owned());
    }
    let configured = &project.config().code.codebook;
    if !configured.trim().is_empty() {
        return Ok(project.root().join(configured.trim()));
    }
    let default = project.root().join(DEFAULT_CODEBOOK);
    if default.is_file() {
        return Ok(default);
    }
    bail!("no codebook\nhint: pass --codebook FILE, or set `codebook` under [code] in voces.toml")
}

/// Loads and checks the codebook; problems come as `file:line: message`.
pub fn load_codebook(
    project: &Project,
    given: Option<&Path>,
) -> anyhow::Result<(Codebook, PathBuf)> {
    let path = codebook_path(project, given)?;
    let codebook = Codebook::load(&path, &project.config().project.languages)?;
    Ok((codebook, path))
}

fn auto_code(project: &Project, args: &CodeArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    // The codebook first: a bad one changes nothing.
    let (codebook, path) = load_codebook(project, args.codebook.as_deref())?;
    let store = project.store();
    let ids = store.interview_ids()?;
    let index = super::index::open_index(project, printer)?;
    let codings_store = CodingStore::of(project);
    let stamp = store.stamp()?;
    let hashes = voces_code::engine::rule_hashes(&codebook, index.languages());

    // On the corpus the last run coded, a rule with the same hash makes the
    // same codings: keep them and run the other rules only.
    let previous = if args.full {
        None
    } else {
        previous_run(&codings_store, &stamp, &ids)
    };
    let kept: BTreeSet<&str> = previous.as_ref().map_or_else(BTreeSet::new, |(_, run)| {
        hashes
            .iter()
            .filter(|(id, hash)| run.rule_hashes.get(*id) == Some(*hash))
            .map(|(id, _)| id.as_str())
            .collect()
    });
    let coder = AutoCoder::with_rules(&codebook, index.languages(), &|id| !kept.contains(id));

    let bar = printer.progress(0, "querying");
    let candidates = coder.candidates(&index, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    for rule in &candidates.read_all {
        printer.note(&format!(
            "note: rule `{rule}` has a regex without a literal start: it reads every segment of its language"
        ));
    }

    let bar = printer.progress(ids.len() as u64, "coding");
    let known = previous.as_ref().map(|(_, run)| &run.interviews);
    let results: Vec<(String, InterviewResult)> = ids
        .par_iter()
        .map_init(
            || coder.session(),
            |session, id| {
                let result = (|| {
                    let Some(segments) = candidates.interviews.get(id) else {
                        // Nothing to check: the file's hash is all we need
                        // (on an unchanged corpus, the last run's).
                        if let Some(sha) = known.and_then(|k| k.get(id)) {
                            return Ok((sha.clone(), Vec::new()));
                        }
                        return Ok((store.head(id)?.source.sha256, Vec::new()));
                    };
                    // Only the candidate segments are read.
                    let part = store.interview_part(id, &|n| segments.contains(&n))?;
                    let codings = session.code_segments(&part.id, &part.segments);
                    Ok((part.source.sha256, codings))
                })();
                bar.inc(1);
                (id.clone(), result)
            },
        )
        .collect();
    bar.finish_and_clear();

    let mut failures = 0;
    let mut codings: Vec<Coding> = Vec::new();
    let mut interviews = BTreeMap::new();
    for (id, result) in results {
        match result {
            Ok((sha, c)) => {
                interviews.insert(id, sha);
                codings.extend(c);
            }
            Err(e) => {
                printer.error(&format!("{e:#}\nhint: interview `{id}` is left uncoded"));
                failures += 1;
            }
        }
    }
    if let Some((old, _)) = previous {
        codings = merge_kept(&codebook, coder.codebook_hash(), &ids, codings, old, &kept);
        printer.note(&if kept.len() == hashes.len() {
            "the codebook's rules and the corpus are unchanged since the last run: its codings \
             are kept (--full re-codes every rule)"
                .to_owned()
        } else {
            format!(
                "re-coded {} of {} rules: the others and the corpus are unchanged since the last \
                 run, so their codings are kept (--full re-codes every rule)",
                hashes.len() - kept.len(),
                hashes.len()
            )
        });
    }
    let mut rules: BTreeMap<String, usize> = hashes.keys().map(|r| (r.clone(), 0)).collect();
    for c in &codings {
        if let Some(r) = &c.rule {
            *rules.entry(r.clone()).or_default() += 1;
        }
    }
    let run = AutoRun {
        format: CODINGS_FORMAT,
        codebook: CodebookInfo {
            name: codebook.name.clone(),
            version: codebook.version.clone(),
            hash: coder.codebook_hash().to_owned(),
            path: display_path(project, &path),
        },
        interviews,
        codings: codings.len(),
        rules,
        // A run with failures leaves interviews uncoded: the next one
        // starts afresh.
        corpus: (failures == 0).then_some(stamp),
        rule_hashes: hashes,
    };
    codings_store.write_auto(&codings, &run)?;

    printer.note(&summary(&codebook, &codings));
    let silent: Vec<&String> = run
        .rules
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(r, _)| r)
        .collect();
    printer.note(&format!(
        "{} codings of {} interviews by {} rules ({} candidate segments from the index); {} rules coded nothing\nwrote {}",
        codings.len(),
        run.interviews.len(),
        run.rules.len() - silent.len(),
        candidates.segments(),
        silent.len(),
        display_path(project, &codings_store.auto_path()),
    ));
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The last auto-coding run and its codings, when it coded the corpus as
/// it is now (same stamp, same interviews) with this voces's codings
/// format and recorded its rules' hashes; `None` otherwise (a full run).
fn previous_run(
    codings: &CodingStore,
    stamp: &str,
    ids: &[String],
) -> Option<(Vec<Coding>, AutoRun)> {
    // An unreadable previous run is no reason to fail: it is replaced.
    let (old, run) = codings.read_auto().ok()??;
    let same = run.format == CODINGS_FORMAT
        && run.corpus.as_deref() == Some(stamp)
        && !run.rule_hashes.is_empty()
        && run.interviews.len() == ids.len()
        && ids.iter().all(|id| run.interviews.contains_key(id));
    same.then_some((old, run))
}

/// The codings of a run of the changed rules (`new`) with the last run's
/// codings of the `kept` rules, now recording this codebook's `hash`, in
/// the order a full run writes them: by interview, segment, span, then rule
/// in codebook order.
fn merge_kept(
    codebook: &Codebook,
    hash: &str,
    ids: &[String],
    new: Vec<Coding>,
    old: Vec<Coding>,
    kept: &BTreeSet<&str>,
) -> Vec<Coding> {
    let rule_order: BTreeMap<&str, usize> = codebook
        .rules()
        .enumerate()
        .map(|(i, (_, r))| (r.id.as_str(), i))
        .collect();
    let interview_order: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut all: Vec<Coding> = new;
    all.extend(
        old.into_iter()
            .filter(|c| c.rule.as_deref().is_some_and(|r| kept.contains(r)))
            .map(|mut c| {
                c.codebook = Some(hash.to_owned());
                c
            }),
    );
    let key = |c: &Coding| {
        (
            interview_order.get(c.interview.as_str()).copied(),
            id::parse_segment_id(&c.segment).map(|(_, n)| n),
            c.start,
            c.end,
            c.rule.as_deref().and_then(|r| rule_order.get(r)).copied(),
        )
    };
    all.sort_by_cached_key(key);
    all
}

/// What coding an interview gives: the source file's hash and the codings.
type InterviewResult = anyhow::Result<(String, Vec<Coding>)>;

/// Codings, segments and interviews per theme (a sub-code counts for its
/// theme).
fn summary(codebook: &Codebook, codings: &[Coding]) -> String {
    let mut per: BTreeMap<&str, (usize, BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for c in codings {
        let theme = codebook
            .theme_of(&c.code)
            .map_or(c.code.as_str(), |t| t.id.as_str());
        let e = per.entry(theme).or_default();
        e.0 += 1;
        e.1.insert(&c.segment);
        e.2.insert(&c.interview);
    }
    let mut table = Table::new(["THEME", "CODINGS", "SEGMENTS", "INTERVIEWS"]);
    for theme in codebook.themes() {
        let (n, s, i) = per.remove(theme.id.as_str()).unwrap_or_default();
        table.row(vec![
            theme.id.clone(),
            n.to_string(),
            s.len().to_string(),
            i.len().to_string(),
        ]);
    }
    table.render().trim_end().to_owned()
}

fn display_path(project: &Project, path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    abs.strip_prefix(project.root())
        .map_or_else(|_| abs.display().to_string(), |p| p.display().to_string())
}

/// The interview and segment of a segment id.
fn find_segment(project: &Project, segment_id: &str) -> anyhow::Result<(Interview, usize)> {
    let Some((interview_id, index)) = id::parse_segment_id(segment_id) else {
        bail!(
            "`{segment_id}` is not a segment id\nhint: segment ids look like INTERVIEW#N; `voces corpus show INTERVIEW` lists them"
        );
    };
    let interview = project.store().interview(interview_id)?;
    if index >= interview.segments.len() {
        bail!(
            "interview `{interview_id}` has no segment {} (it has {})\nhint: `voces corpus show {interview_id}` lists them",
            index + 1,
            interview.segments.len()
        );
    }
    Ok((interview, index))
}

fn explain(
    project: &Project,
    args: &CodeArgs,
    segment_id: &str,
    _printer: &Printer,
) -> anyhow::Result<ExitCode> {
    let (codebook, _) = load_codebook(project, args.codebook.as_deref())?;
    let (interview, index) = find_segment(project, segment_id)?;
    let segment = &interview.segments[index];
    let coder = AutoCoder::new(&codebook, &project.config().project.languages);
    let verdicts = coder.explain(segment);
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "segment": segment.id,
            "interview": interview.id,
            "speaker": segment.speaker,
            "role": segment.role,
            "language": segment.language,
            "start": segment.start,
            "end": segment.end,
            "text": segment.text,
            "rules": verdicts,
        });
        super::print_json_line(&mut out, &value)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{}  {} ({}), {}, characters {}..{} of the interview",
        segment.id,
        segment.speaker.as_deref().unwrap_or("(no speaker)"),
        segment.role.as_str(),
        segment.language,
        segment.start,
        segment.end
    )?;
    writeln!(out)?;
    for line in wrap(&segment.text, 76) {
        writeln!(out, "    {line}")?;
    }
    writeln!(out)?;
    let chars: Vec<char> = segment.text.chars().collect();
    let slice = |r: Range<usize>| {
        chars[r.start.min(chars.len())..r.end.min(chars.len())]
            .iter()
            .collect::<String>()
    };
    let fired: Vec<_> = verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::Coded)
        .collect();
    if fired.is_empty() {
        writeln!(out, "no rule codes this segment")?;
    } else {
        writeln!(out, "coded:")?;
        for v in &fired {
            let (a, b) = v.unit.unwrap_or_default();
            writeln!(
                out,
                "  {}  by {}  [{a}..{b}]  matched {}",
                v.code,
                v.rule,
                quoted(&v.matched)
            )?;
            writeln!(out, "      \"{}\"", one_line(&slice(a..b)))?;
        }
    }
    let other: Vec<_> = verdicts
        .iter()
        .filter(|v| v.outcome != Outcome::Coded)
        .collect();
    if !other.is_empty() {
        writeln!(out)?;
        writeln!(out, "matched but not coded:")?;
        for v in other {
            let unit = v
                .unit
                .map(|(a, b)| format!(" [{a}..{b}]"))
                .unwrap_or_default();
            let why = match &v.outcome {
                Outcome::Coded => String::new(),
                Outcome::Vetoed(entry) => format!("vetoed: `not` entry \"{entry}\" in the unit"),
                Outcome::Negated(before) => format!("negated: \"{before}\" comes before the match"),
                Outcome::Role(role) => format!("the rule does not read {} turns", role.as_str()),
                Outcome::Language(lang) => format!(
                    "the rule is for `{lang}`, the segment is in `{}`",
                    segment.language
                ),
                Outcome::NearIncomplete { a, b } => format!(
                    "near: found {} and {}, but not close enough in one unit",
                    quoted(a),
                    quoted(b)
                ),
            };
            writeln!(out, "  {}  by {}{unit}  {why}", v.code, v.rule)?;
            if !matches!(v.outcome, Outcome::NearIncomplete { .. }) {
                writeln!(out, "      matched {}", quoted(&v.matched))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of `text` in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn manual(
    project: &Project,
    args: &CodeArgs,
    m: &ManualArgs,
    action: Action,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    check_coder(&m.coder)?;
    let (interview, index) = find_segment(project, &m.segment)?;
    let segment = &interview.segments[index];
    let store = CodingStore::of(project);
    let current = store.manual(&m.coder)?;
    let span = match m.span {
        Some(SpanArg(a, b)) => {
            let n = segment.text.chars().count();
            if b > n {
                bail!(
                    "span {a}..{b} goes past the end of segment {} ({n} characters)",
                    segment.id
                );
            }
            Some((segment.start + a, segment.start + b))
        }
        None => None,
    };
    match action {
        Action::Add => {
            check_code(project, args, &m.code, &current)?;
            let (start, end) = span.unwrap_or((segment.start, segment.end));
            let coding = coding_of(&interview, segment, start, end, &m.code, &m.coder);
            if current.iter().any(|c| {
                c.interview == coding.interview
                    && c.start == start
                    && c.end == end
                    && c.code == coding.code
            }) {
                printer.note(&format!(
                    "{} is already coded {} by {} there; nothing to do",
                    segment.id, m.code, m.coder
                ));
                return Ok(ExitCode::SUCCESS);
            }
            store.append_manual(
                &m.coder,
                &[ManualEntry::new(
                    Action::Add,
                    &coding,
                    Some("voces code add".to_owned()),
                )],
            )?;
            printer.note(&format!(
                "coded {} [{}..{}] {} by {}: \"{}\"",
                segment.id,
                start - segment.start,
                end - segment.start,
                m.code,
                m.coder,
                shorten(&coding.quote, 60)
            ));
        }
        Action::Remove => {
            let gone: Vec<&Coding> = current
                .iter()
                .filter(|c| {
                    c.segment == segment.id
                        && c.code == m.code
                        && span.is_none_or(|(a, b)| c.start == a && c.end == b)
                })
                .collect();
            if gone.is_empty() {
                printer.error(&format!(
                    "{} has no coding {} by {}{}",
                    segment.id,
                    m.code,
                    m.coder,
                    m.span
                        .map(|s| format!(" at {}..{}", s.0, s.1))
                        .unwrap_or_default()
                ));
                return Ok(ExitCode::from(1));
            }
            let entries: Vec<ManualEntry> = gone
                .iter()
                .map(|c| ManualEntry::new(Action::Remove, c, Some("voces code remove".to_owned())))
                .collect();
            store.append_manual(&m.coder, &entries)?;
            printer.note(&format!(
                "removed {} coding(s) {} by {} from {}",
                entries.len(),
                m.code,
                m.coder,
                segment.id
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn coding_of(
    interview: &Interview,
    segment: &Segment,
    start: usize,
    end: usize,
    code: &str,
    coder: &str,
) -> Coding {
    let quote: String = interview
        .text
        .chars()
        .skip(start)
        .take(end - start)
        .collect();
    Coding {
        interview: interview.id.clone(),
        segment: segment.id.clone(),
        start,
        end,
        code: code.to_owned(),
        coder: coder.to_owned(),
        rule: None,
        codebook: None,
        matched: Vec::new(),
        quote,
    }
}

/// A code given to `add` must be in the codebook, or already used by the
/// coder (codes imported from elsewhere).
fn check_code(
    project: &Project,
    args: &CodeArgs,
    code: &str,
    current: &[Coding],
) -> anyhow::Result<()> {
    if current.iter().any(|c| c.code == code) {
        return Ok(());
    }
    let codebook = match load_codebook(project, args.codebook.as_deref()) {
        Ok((c, _)) => c,
        Err(e) => {
            return Err(e.context(format!("cannot check code `{code}` against the codebook")));
        }
    };
    if codebook.code(code).is_some() {
        return Ok(());
    }
    let hint = closest(code, codebook.codes.iter().map(|c| c.id.as_str())).map_or_else(
        || "hint: `voces themes` lists the codes".to_owned(),
        |c| format!("hint: did you mean `{c}`?"),
    );
    bail!("the codebook has no code `{code}`\n{hint}")
}

/// The candidate closest to `word`, when at most a third of it differs.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .map(|c| (voces_code::codebook::edit_distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn shorten(s: &str, n: usize) -> String {
    let flat = one_line(s);
    if flat.chars().count() <= n {
        flat
    } else {
        format!("{}…", flat.chars().take(n).collect::<String>())
    }
}

/// Problems shown one per line before the rest are counted.
const SHOWN_PROBLEMS: usize = 20;

fn import(
    project: &Project,
    args: &CodeArgs,
    a: &ImportArgs,
    printer: &Printer,
) -> anyhow::Result<ExitCode> {
    if let Some(c) = &a.coder {
        check_coder(c)?;
    }
    // The codebook, when there is one, maps labels to code ids.
    let codebook = match load_codebook(project, args.codebook.as_deref()) {
        Ok((c, _)) => Some(c),
        Err(e) if args.codebook.is_some() => return Err(e),
        Err(_) => None,
    };
    let options = ImportOptions {
        columns: Columns {
            interview: a.interview_col.clone(),
            segment: a.segment_col.clone(),
            quote: a.quote_col.clone(),
            code: a.code_col.clone(),
            coder: a.coder_col.clone(),
        },
        coder: a.coder.clone(),
        interview: a.interview.clone(),
        sheet: a.sheet.clone(),
    };
    let store = CodingStore::of(project);
    let report = voces_code::import::import(
        &a.file,
        &options,
        &project.store(),
        codebook.as_ref(),
        &mut |coder| {
            if store.manual_path(coder).is_file() {
                store.manual(coder)
            } else {
                Ok(Vec::new())
            }
        },
    )
    .with_context(|| format!("cannot import {}", a.file.display()))?;

    let columns: Vec<String> = report
        .columns
        .iter()
        .map(|(role, header)| format!("{role} = `{header}`"))
        .collect();
    printer.note(&format!("columns: {}", columns.join(", ")));
    if let Some(i) = &report.interview_default {
        printer.note(&format!("every row is in interview `{i}`"));
    }
    for p in report.problems.iter().take(SHOWN_PROBLEMS) {
        printer.error(&p.to_string());
    }
    if report.problems.len() > SHOWN_PROBLEMS {
        printer.error(&format!(
            "... and {} more problems",
            report.problems.len() - SHOWN_PROBLEMS
        ));
    }
    if !report.foreign_codes.is_empty() {
        let shown: Vec<&str> = report
            .foreign_codes
            .iter()
            .take(12)
            .map(String::as_str)
            .collect();
        printer.note(&format!(
            "note: {} code(s) not in the codebook, kept as given: {}{}",
            report.foreign_codes.len(),
            shown.join(", "),
            if report.foreign_codes.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        ));
    }
    let added: usize = report.entries.values().map(Vec::len).sum();
    if !a.dry_run {
        for (coder, entries) in &report.entries {
            store.append_manual(coder, entries)?;
        }
    }
    let coders: Vec<&str> = report.entries.keys().map(String::as_str).collect();
    printer.note(&format!(
        "{} {added} coding(s){} from {} rows ({} without a code, {} already stored, {} not imported)",
        if a.dry_run { "would import" } else { "imported" },
        if coders.is_empty() { String::new() } else { format!(" by {}", coders.join(", ")) },
        report.rows,
        report.without_code,
        report.already,
        report.problems.len(),
    ));
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse() {
        assert_eq!("3..10".parse::<SpanArg>(), Ok(SpanArg(3, 10)));
        assert!("10..3".parse::<SpanArg>().is_err());
        assert!("3-10".parse::<SpanArg>().is_err());
    }

    #[test]
    fn closest_codes() {
        let codes = ["smuggling", "smuggling.payment", "asylum"];
        assert_eq!(closest("smugling", codes.into_iter()), Some("smuggling"));
        assert_eq!(closest("xyz", codes.into_iter()), None);
    }
}

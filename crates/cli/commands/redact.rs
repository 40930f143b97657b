//! `voces redact`: build or update the pseudonym mapping from the corpus,
//! show what is replaced per interview, list the entities, or print one
//! interview redacted. See `voces_redact` for what is replaced and how.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use voces_corpus::Project;
use voces_redact::{Options, Redactor, Report};

use crate::args::Global;
use crate::printer::Printer;
use crate::table::Table;

/// `voces redact`
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Keep the pseudonym mapping in FILE (outside the project folder):
    /// written to voces.toml as `mapping` under [privacy].
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Print one interview redacted, to check what is replaced.
    #[arg(long, value_name = "ID")]
    pub show: Option<String>,
    /// List the people, terms and values found, with their pseudonyms and
    /// real names (for your eyes only), instead of counts per interview.
    #[arg(long, conflicts_with = "show")]
    pub entities: bool,
    /// Find and count without writing the mapping or voces.toml.
    #[arg(long)]
    pub dry_run: bool,
    /// JSON Lines: one interview (or entity) per line; with --show, the
    /// redacted interview as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// One line of `voces redact --json`.
#[derive(Serialize)]
struct InterviewLine<'a> {
    interview: &'a str,
    counts: &'a std::collections::BTreeMap<String, usize>,
    total: usize,
}

pub fn run(global: &Global, args: &RedactArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let mut project = super::open_project(global)?;
    let mut mapping_override = None;
    if let Some(file) = &args.mapping {
        if args.dry_run {
            mapping_override = Some(file.clone());
        } else {
            let _lock = super::lock_project(&project, printer)?;
            let (path, changed) = voces_redact::set_mapping(&project, file)?;
            if changed {
                printer.note(&format!(
                    "voces.toml: the pseudonym mapping is {}",
                    path.display()
                ));
            }
            project = Project::open(project.root())?;
        }
    }
    let bar = printer.progress(0, "scanning");
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let options = Options {
        rescan: args.show.is_none(),
        dry_run: args.dry_run,
        mapping: mapping_override,
        progress: Some(&progress),
    };
    let (redactor, report) = Redactor::open(&project, &options)?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if let Some(id) = &args.show {
        show(&project, &redactor, id, args.json, &mut out)?;
    } else if args.entities {
        entities(&report, args.json, &mut out)?;
    } else {
        summary(&report, args.json, &mut out)?;
    }
    out.flush()?;
    notes(&project, &redactor, &report, args, printer);
    Ok(ExitCode::SUCCESS)
}

/// The redactor of an export command (`voces excerpts`, `export`,
/// `report`): the project's, brought up to date with the corpus (a
/// progress bar while it scans), with a warning when there is no mapping;
/// `None` with `--no-redact`, after a warning that the output holds real
/// names.
pub fn for_export(
    project: &Project,
    no_redact: bool,
    printer: &Printer,
) -> anyhow::Result<Option<Redactor>> {
    if no_redact {
        printer.warn(
            "--no-redact: names and personal data are written as they are; do not share this output",
        );
        return Ok(None);
    }
    let bar = printer.progress(0, "redacting");
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let options = Options {
        progress: Some(&progress),
        ..Options::default()
    };
    let (redactor, _) = Redactor::open(project, &options)?;
    bar.finish_and_clear();
    if !redactor.persistent() {
        warn_unstable(project, printer);
    }
    Ok(Some(redactor))
}

fn warn_unstable(project: &Project, printer: &Printer) {
    let name = project
        .root()
        .file_name()
        .map_or_else(|| "study".into(), |n| n.to_string_lossy().into_owned());
    printer.warn(&format!(
        "no pseudonym mapping: pseudonyms are numbered afresh on each run, so two exports may give one person different pseudonyms\nhint: keep them stable with `voces redact --mapping ../{name}-private/mapping.json` (a folder outside the project)"
    ));
}

/// The kinds to show as columns: people first, then terms, then the
/// detectors.
fn kinds(report: &Report) -> Vec<String> {
    let mut found: BTreeSet<String> = report
        .interviews
        .iter()
        .flat_map(|i| i.counts.keys().cloned())
        .chain(report.entities.iter().map(|e| e.kind.clone()))
        .collect();
    for base in ["person", "email", "phone", "id"] {
        found.insert(base.to_owned());
    }
    let rank = |k: &str| match k {
        "person" => 0,
        "email" => 2,
        "phone" => 3,
        "id" => 4,
        _ => 1,
    };
    let mut kinds: Vec<String> = found.into_iter().collect();
    kinds.sort_by_key(|k| (rank(k), k.clone()));
    kinds
}

fn summary(report: &Report, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    if json {
        for i in &report.interviews {
            super::print_json_line(
                out,
                &InterviewLine {
                    interview: &i.id,
                    counts: &i.counts,
                    total: i.counts.values().sum(),
                },
            )?;
        }
        return Ok(());
    }
    let kinds = kinds(report);
    let mut table = Table::new(
        std::iter::once("interview".to_owned())
            .chain(kinds.iter().cloned())
            .chain(std::iter::once("total".to_owned())),
    );
    let mut totals = vec![0; kinds.len()];
    for i in &report.interviews {
        let mut row = vec![i.id.clone()];
        for (k, total) in kinds.iter().zip(&mut totals) {
            let n = i.counts.get(k).copied().unwrap_or(0);
            *total += n;
            row.push(n.to_string());
        }
        row.push(i.counts.values().sum::<usize>().to_string());
        table.row(row);
    }
    if !report.interviews.is_empty() {
        let mut row = vec!["total".to_owned()];
        row.extend(totals.iter().map(ToString::to_string));
        row.push(totals.iter().sum::<usize>().to_string());
        table.row(row);
    }
    out.write_all(table.render().as_bytes())?;
    Ok(())
}

fn entities(report: &Report, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    if json {
        for e in &report.entities {
            super::print_json_line(out, e)?;
        }
        return Ok(());
    }
    let mut table = Table::new(["pseudonym", "kind", "found", "new", "forms", "source"]);
    for e in &report.entities {
        table.row(vec![
            e.pseudonym.clone(),
            e.kind.clone(),
            e.occurrences.to_string(),
            if e.new { "new".into() } else { String::new() },
            e.values.join(" | "),
            e.source.clone(),
        ]);
    }
    out.write_all(table.render().as_bytes())?;
    Ok(())
}

fn show(
    project: &Project,
    redactor: &Redactor,
    id: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let interview = project.store().interview(id)?;
    let redacted = redactor.interview(&interview);
    if json {
        serde_json::to_writer(&mut *out, &redacted.interview)?;
        out.write_all(b"\n")?;
        return Ok(());
    }
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = &redacted.map.text;
    if !color {
        writeln!(out, "{text}")?;
        return Ok(());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    for r in &redacted.map.replacements {
        let plain: String = chars[at..r.new_start].iter().collect();
        let label: String = chars[r.new_start..r.new_end].iter().collect();
        write!(out, "{plain}\x1b[1;36m{label}\x1b[0m")?;
        at = r.new_end;
    }
    let rest: String = chars[at..].iter().collect();
    writeln!(out, "{rest}")?;
    Ok(())
}

fn notes(
    project: &Project,
    redactor: &Redactor,
    report: &Report,
    args: &RedactArgs,
    printer: &Printer,
) {
    if !redactor.persistent() {
        warn_unstable(project, printer);
    }
    if args.show.is_some() {
        return;
    }
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for e in &report.entities {
        let n = by_kind.entry(e.kind.as_str()).or_default();
        n.0 += 1;
        n.1 += usize::from(e.new);
    }
    let found: Vec<String> = by_kind
        .iter()
        .map(|(k, (n, new))| match *new {
            0 => format!("{k} {n}"),
            new if new == *n => format!("{k} {n} (new)"),
            new => format!("{k} {n} ({new} new)"),
        })
        .collect();
    if found.is_empty() {
        printer.note("nothing to pseudonymize found");
    } else {
        printer.note(&format!("found: {}", found.join(", ")));
    }
    for w in report.lowercase.iter().take(10) {
        printer.note(&format!(
            "note: `{}` ({}) was replaced {} times where written in lower case; if it is a common word in these interviews, add it to `common_words` under [privacy] in voces.toml to replace it only when capitalized",
            w.word, w.pseudonym, w.count
        ));
    }
    if args.entities && !args.json {
        printer.note("these are real names and personal data: do not share this listing");
    }
    if let Some(path) = &report.mapping {
        let what = if args.dry_run {
            "dry run, not written"
        } else if report.created && report.written {
            "created"
        } else if report.written {
            "updated"
        } else {
            "up to date"
        };
        printer.note(&format!("mapping: {} ({what})", path.display()));
    }
}

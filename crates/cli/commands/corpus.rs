//! `voces corpus list|show|participants|remove`

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use voces_corpus::{AttrValue, Attributes, Interview, InterviewHead, Store};

use crate::args::{CorpusArgs, CorpusCommand, Global};
use crate::printer::Printer;
use crate::table::Table;

pub fn run(global: &Global, args: &CorpusArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let store = project.store();
    let mut out = std::io::stdout().lock();
    match &args.command {
        CorpusCommand::List { json } => list(&store, *json, &mut out, printer)?,
        CorpusCommand::Show { id, json } => show(&store, id, *json, &mut out)?,
        CorpusCommand::Participants { json } => participants(&store, *json, &mut out)?,
        CorpusCommand::Remove { ids } => {
            let _lock = super::lock_project(&project, printer)?;
            let mut missing = 0;
            for id in ids {
                if store.remove_interview(id)? {
                    printer.note(&format!("removed {id}"));
                } else {
                    printer.error(&format!("no interview with id `{id}`"));
                    missing += 1;
                }
            }
            if missing > 0 {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A listing row: the head with joined attributes.
#[derive(Serialize)]
struct ListRow<'a> {
    id: &'a str,
    title: &'a str,
    format: &'a str,
    file: &'a str,
    language: &'a str,
    languages: &'a [String],
    mixed_language: bool,
    date: Option<&'a str>,
    speakers: usize,
    segments: usize,
    words: usize,
    attributes: BTreeMap<String, AttrValue>,
}

fn list(store: &Store, json: bool, out: &mut impl Write, printer: &Printer) -> anyhow::Result<()> {
    let heads = store.heads()?;
    let attributes = store.attributes()?;
    let rows: Vec<ListRow<'_>> = heads.iter().map(|h| list_row(h, &attributes)).collect();
    if json {
        for r in &rows {
            super::print_json_line(out, r)?;
        }
        return Ok(());
    }
    if rows.is_empty() {
        printer.note("the corpus is empty\nhint: voces ingest TRANSCRIPTS...");
        return Ok(());
    }
    // Show the attributes most interviews have, up to four.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        for k in r.attributes.keys() {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut shown: Vec<(&str, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n * 2 >= rows.len())
        .collect();
    shown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    shown.truncate(4);
    let mut header = vec!["ID", "FORMAT", "LANG", "SPEAKERS", "SEGMENTS", "WORDS"];
    let upper: Vec<String> = shown.iter().map(|(k, _)| k.to_uppercase()).collect();
    header.extend(upper.iter().map(String::as_str));
    let mut table = Table::new(header);
    for r in &rows {
        let mut cells = vec![
            r.id.to_owned(),
            r.format.to_owned(),
            r.languages.join("+"),
            r.speakers.to_string(),
            r.segments.to_string(),
            r.words.to_string(),
        ];
        for (k, _) in &shown {
            cells.push(
                r.attributes
                    .get(*k)
                    .map(AttrValue::to_text)
                    .unwrap_or_default(),
            );
        }
        table.row(cells);
    }
    out.write_all(table.render().as_bytes())?;
    Ok(())
}

fn list_row<'a>(h: &'a InterviewHead, attributes: &Attributes) -> ListRow<'a> {
    ListRow {
        id: &h.id,
        title: &h.title,
        format: h.source.format.as_str(),
        file: &h.source.file_name,
        language: &h.language,
        languages: &h.languages,
        mixed_language: h.mixed_language,
        date: h.date.as_deref(),
        speakers: h.speakers.len(),
        segments: h.stats.segments,
        words: h.stats.words,
        attributes: attributes.merged(&h.id, &h.source.file_name, &h.attributes),
    }
}

fn show(store: &Store, id: &str, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let mut interview: Interview = store.interview(id)?;
    let attributes = store.attributes()?;
    interview.attributes = attributes.merged(
        &interview.id,
        &interview.source.file_name,
        &interview.attributes,
    );
    if json {
        return super::print_json_line(out, &interview);
    }
    let i = &interview;
    writeln!(out, "{}  {}", i.id, i.title)?;
    writeln!(
        out,
        "source     {} ({}, {}, {} bytes)",
        i.source.path,
        i.source.format.as_str(),
        i.source.encoding,
        i.source.bytes
    )?;
    writeln!(out, "sha256     {}", i.source.sha256)?;
    writeln!(
        out,
        "language   {}{}",
        i.languages.join(", "),
        if i.mixed_language { " (mixed)" } else { "" }
    )?;
    if let Some(d) = &i.date {
        writeln!(out, "date       {d}")?;
    }
    writeln!(
        out,
        "counts     {} segments, {} words",
        i.stats.segments, i.stats.words
    )?;
    if !i.attributes.is_empty() {
        writeln!(out, "attributes")?;
        for (k, v) in &i.attributes {
            writeln!(out, "  {k} = {v}")?;
        }
    }
    writeln!(out, "speakers")?;
    for s in &i.speakers {
        let n = i
            .segments
            .iter()
            .filter(|g| g.speaker.as_ref() == Some(&s.label))
            .count();
        writeln!(
            out,
            "  {}{}  {}  ({n} turns)",
            s.label,
            s.name
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            s.role.as_str()
        )?;
    }
    for w in &i.warnings {
        writeln!(out, "warning    {w}")?;
    }
    writeln!(out)?;
    for s in &i.segments {
        let time = s
            .start_time
            .map(|t| format!(" {}", clock(t)))
            .unwrap_or_default();
        let lang = if s.language_detected {
            s.language.clone()
        } else {
            format!("({})", s.language)
        };
        writeln!(
            out,
            "{} [{} {} {lang}{time}] {}",
            s.id,
            s.speaker.as_deref().unwrap_or("-"),
            s.role.as_str(),
            s.text
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ParticipantRow<'a> {
    table: &'a str,
    id: &'a str,
    line: usize,
    interviews: Vec<&'a str>,
    attributes: &'a BTreeMap<String, AttrValue>,
}

fn participants(store: &Store, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let heads = store.heads()?;
    let attributes = store.attributes()?;
    let mut rows = Vec::new();
    for t in attributes.tables() {
        for p in &t.rows {
            let interviews = heads
                .iter()
                .filter(|h| {
                    attributes
                        .participants(&h.id, &h.source.file_name)
                        .iter()
                        .any(|q| std::ptr::eq(*q, p))
                })
                .map(|h| h.id.as_str())
                .collect();
            rows.push(ParticipantRow {
                table: &t.name,
                id: &p.id,
                line: p.line,
                interviews,
                attributes: &p.attributes,
            });
        }
    }
    if json {
        for r in &rows {
            super::print_json_line(out, r)?;
        }
        return Ok(());
    }
    let mut table = Table::new(["SHEET", "ID", "INTERVIEWS", "ATTRIBUTES"]);
    for r in &rows {
        table.row(vec![
            r.table.to_owned(),
            r.id.to_owned(),
            if r.interviews.is_empty() {
                "(none)".into()
            } else {
                r.interviews.join(" ")
            },
            r.attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
    out.write_all(table.render().as_bytes())?;
    Ok(())
}

/// Seconds as `H:MM:SS`.
fn clock(t: f64) -> String {
    let s = t.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

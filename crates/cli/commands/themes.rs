//! `voces themes`: how many segments, interviews or participants each code
//! covers, crossed with attribute values; and code co-occurrence.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use voces_code::coding::CoderCodings;
use voces_code::tally::{Columns, Counted, code_order, cooccurrence, units_per_code};
use voces_code::{AUTO_CODER, Codebook, Coding, CodingStore};
use voces_corpus::{InterviewHead, Project};

use crate::args::Global;
use crate::printer::Printer;
use crate::table::Table;

/// `voces themes`
#[derive(Debug, Args)]
pub struct ThemesArgs {
    /// Columns per value of these attributes (comma-separated to cross
    /// several: `--by country,group`).
    #[arg(long, value_name = "ATTR[,ATTR]", value_delimiter = ',')]
    pub by: Vec<String>,
    /// What is counted.
    #[arg(long, value_enum, default_value_t = UnitArg::Segment)]
    pub unit: UnitArg,
    /// Whose codings: `auto` (the rules) or a manual coder.
    #[arg(long, default_value = AUTO_CODER, value_name = "NAME|auto")]
    pub coder: String,
    /// Theme co-occurrence instead: segments coded with the row's theme
    /// that have the column's theme in the same segment (or within
    /// --window segments).
    #[arg(long)]
    pub cooccur: bool,
    /// With --cooccur: how many segments apart two themes may be.
    #[arg(long, default_value_t = 0, value_name = "N", requires = "cooccur")]
    pub window: usize,
    /// Codebook for labels and the code tree (default: as `voces code`).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// JSON Lines (corpus-schema/themes.schema.json).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV with a header row.
    #[arg(long)]
    pub csv: bool,
}

/// What `voces themes` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitArg {
    /// Segments (speaker turns) with the code.
    Segment,
    /// Interviews with the code.
    Interview,
    /// Participants (attribute-sheet rows; else interviews) with the code.
    Participant,
}

impl UnitArg {
    fn counted(self) -> Counted {
        match self {
            UnitArg::Segment => Counted::Segment,
            UnitArg::Interview => Counted::Interview,
            UnitArg::Participant => Counted::Participant,
        }
    }
}

pub fn run(global: &Global, args: &ThemesArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let store = CodingStore::of(&project);
    let coder = store.coder(&args.coder)?;
    let codebook = codebook_for_report(&project, args.codebook.as_ref(), printer)?;
    warn_stale(&project, &store, &coder, codebook.as_ref(), printer)?;

    let heads: Vec<InterviewHead> = project
        .store()
        .heads()?
        .into_iter()
        .filter(|h| coder.interviews.contains(&h.id))
        .collect();
    let attributes = project.store().attributes()?;
    let columns = Columns::new(&heads, &attributes, &args.by)?;
    let codings: Vec<Coding> = coder
        .codings
        .iter()
        .filter(|c| columns.column(&c.interview).is_some())
        .cloned()
        .collect();
    let mut out = std::io::stdout().lock();
    if args.cooccur {
        return cooccur(&codings, codebook.as_ref(), args, &mut out);
    }

    let counted = args.unit.counted();
    let units = units_per_code(&codings, codebook.as_ref(), |c| {
        Some(columns.unit_of(c, counted))
    });
    let universe = columns.universe(&heads, counted);
    let mut rows: Vec<Row> = Vec::new();
    rows.push(Row {
        kind: "units",
        code: None,
        label: None,
        depth: 0,
        total: universe.iter().sum(),
        by: column_map(&columns, &universe),
    });
    for (code, depth) in code_order(codebook.as_ref(), units.keys().map(String::as_str)) {
        let set = units.get(&code);
        let counts = columns.count(set.into_iter().flatten(), counted);
        let label = codebook
            .as_ref()
            .and_then(|b| b.code(&code))
            .map(|c| c.label(b_lang(codebook.as_ref())).to_owned());
        rows.push(Row {
            kind: "code",
            total: set.map_or(0, BTreeSet::len),
            by: column_map(&columns, &counts),
            code: Some(code),
            label,
            depth,
        });
    }

    let header_note = format!(
        "{} per code, coder {}{}",
        match args.unit {
            UnitArg::Segment => "segments",
            UnitArg::Interview => "interviews",
            UnitArg::Participant => "participants",
        },
        coder.coder,
        if args.by.is_empty() {
            String::new()
        } else {
            format!(", by {}", args.by.join(" × "))
        }
    );
    if args.json {
        for r in &rows {
            let line = JsonRow {
                unit: args.unit,
                coder: &coder.coder,
                row: r,
            };
            super::print_json_line(&mut out, &line)?;
        }
    } else if args.csv {
        let mut w = CsvText::default();
        let mut header = vec![
            "code".to_owned(),
            "label".to_owned(),
            "depth".to_owned(),
            "total".to_owned(),
        ];
        if !args.by.is_empty() {
            header.extend(columns.labels.iter().cloned());
        }
        w.push(&header);
        for r in &rows {
            let mut cells = vec![
                r.code.clone().unwrap_or_else(|| "(units)".to_owned()),
                r.label.clone().unwrap_or_default(),
                r.depth.to_string(),
                r.total.to_string(),
            ];
            if !args.by.is_empty() {
                cells.extend(columns.labels.iter().map(|l| r.by[l].to_string()));
            }
            w.push(&cells);
        }
        out.write_all(w.finish().as_bytes())?;
    } else {
        printer.note(&header_note);
        let mut header = vec!["CODE".to_owned(), "ALL".to_owned()];
        if !args.by.is_empty() {
            header.extend(columns.labels.iter().cloned());
        }
        let mut table = Table::new(header);
        for r in &rows {
            let name = match &r.code {
                Some(c) => format!("{}{c}", "  ".repeat(r.depth)),
                None => "(all units)".to_owned(),
            };
            let mut cells = vec![name, r.total.to_string()];
            if !args.by.is_empty() {
                cells.extend(columns.labels.iter().map(|l| r.by[l].to_string()));
            }
            table.row(cells);
        }
        out.write_all(table.render().as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn b_lang(codebook: Option<&Codebook>) -> &str {
    codebook
        .and_then(|b| b.languages.first())
        .map_or("en", String::as_str)
}

/// The codebook, for the code tree and labels: `--codebook`, else the
/// project's; without one, codes are listed flat.
pub fn codebook_for_report(
    project: &Project,
    given: Option<&PathBuf>,
    printer: &Printer,
) -> anyhow::Result<Option<Codebook>> {
    match super::code::load_codebook(project, given.map(PathBuf::as_path)) {
        Ok((c, _)) => Ok(Some(c)),
        Err(e) if given.is_some() => Err(e),
        Err(e) => {
            printer.note(&format!(
                "note: codes listed without their tree: {}",
                format!("{e:#}").lines().next().unwrap_or_default()
            ));
            Ok(None)
        }
    }
}

/// Warns when codings no longer match the corpus or the codebook.
pub fn warn_stale(
    project: &Project,
    store: &CodingStore,
    coder: &CoderCodings,
    codebook: Option<&Codebook>,
    printer: &Printer,
) -> anyhow::Result<()> {
    let corpus = project.store();
    if coder.coder == AUTO_CODER {
        if let Some((_, run)) = store.read_auto()? {
            let heads: HashMap<String, String> = corpus
                .heads()?
                .into_iter()
                .map(|h| (h.id, h.source.sha256))
                .collect();
            let changed = run
                .interviews
                .iter()
                .filter(|(id, sha)| heads.get(*id) != Some(sha))
                .count();
            let added = heads
                .keys()
                .filter(|id| !run.interviews.contains_key(*id))
                .count();
            if changed + added > 0 {
                printer.warn(&format!(
                    "the corpus changed since the last `voces code` ({changed} interview(s) changed or removed, {added} new)\nhint: run `voces code` again"
                ));
            }
            if let Some(book) = codebook
                && book.hash() != run.codebook.hash
            {
                printer.warn(&format!(
                    "the auto-codings were made with another version of the codebook ({} {})\nhint: run `voces code` again",
                    run.codebook.path, run.codebook.version
                ));
            }
        }
        return Ok(());
    }
    // Manual codings: the quote must still be the interview's text there.
    let mut stale = 0;
    let mut by_interview: BTreeMap<&str, Vec<&Coding>> = BTreeMap::new();
    for c in &coder.codings {
        by_interview.entry(&c.interview).or_default().push(c);
    }
    for (id, codings) in by_interview {
        let Ok(interview) = corpus.interview(id) else {
            stale += codings.len();
            continue;
        };
        let chars: Vec<char> = interview.text.chars().collect();
        for c in codings {
            let here: String = chars
                .get(c.start..c.end.min(chars.len()))
                .map(|s| s.iter().collect())
                .unwrap_or_default();
            if here != c.quote {
                stale += 1;
            }
        }
    }
    if stale > 0 {
        printer.warn(&format!(
            "{stale} coding(s) by {} no longer match their interview's text (re-ingested or removed)",
            coder.coder
        ));
    }
    Ok(())
}

/// Counts per column label.
fn column_map(columns: &Columns, counts: &[usize]) -> BTreeMap<String, usize> {
    columns
        .labels
        .iter()
        .cloned()
        .zip(counts.iter().copied())
        .collect()
}

#[derive(Serialize)]
struct Row {
    /// `units` or `code`.
    #[serde(rename = "row")]
    kind: &'static str,
    code: Option<String>,
    label: Option<String>,
    depth: usize,
    total: usize,
    by: BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    unit: UnitArg,
    coder: &'a str,
    #[serde(flatten)]
    row: &'a Row,
}

fn cooccur(
    codings: &[Coding],
    codebook: Option<&Codebook>,
    args: &ThemesArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let counts = cooccurrence(codings, codebook, args.window);
    let themes: Vec<String> = match codebook {
        Some(b) => b.themes().map(|t| t.id.clone()).collect(),
        None => counts
            .keys()
            .map(|(a, _)| a.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    };
    let get = |a: &str, b: &str| {
        counts
            .get(&(a.to_owned(), b.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    if args.json {
        for a in &themes {
            for b in &themes {
                let line = serde_json::json!({
                    "a": a, "b": b, "count": get(a, b), "window": args.window,
                });
                super::print_json_line(out, &line)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.csv {
        let mut w = CsvText::default();
        let mut header = vec!["theme".to_owned()];
        header.extend(themes.iter().cloned());
        w.push(&header);
        for a in &themes {
            let mut cells = vec![a.clone()];
            cells.extend(themes.iter().map(|b| get(a, b).to_string()));
            w.push(&cells);
        }
        out.write_all(w.finish().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut header = vec!["THEME".to_owned()];
    header.extend((1..=themes.len()).map(|n| n.to_string()));
    let mut table = Table::new(header);
    for (i, a) in themes.iter().enumerate() {
        let mut cells = vec![format!("{:>2} {a}", i + 1)];
        cells.extend(themes.iter().map(|b| get(a, b).to_string()));
        table.row(cells);
    }
    writeln!(
        out,
        "segments with the row's theme that have the column's theme {}",
        if args.window == 0 {
            "in the same segment".to_owned()
        } else {
            format!("within {} segment(s)", args.window)
        }
    )?;
    out.write_all(table.render().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// A small CSV writer: fields quoted when they hold a comma, quote or line
/// break.
#[derive(Default)]
struct CsvText {
    text: String,
}

impl CsvText {
    fn push(&mut self, cells: &[String]) {
        let line: Vec<String> = cells
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        self.text.push_str(&line.join(","));
        self.text.push('\n');
    }

    fn finish(self) -> String {
        self.text
    }
}

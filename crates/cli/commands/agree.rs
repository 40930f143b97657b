//! `voces agree CODER CODER...`: intercoder agreement per code, at segment
//! level, over the interviews every coder coded (see
//! `voces_code::reliability`).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use voces_code::CodingStore;
use voces_code::agreement::Summary;
use voces_code::reliability::agreement;
use voces_corpus::Interview;

use crate::args::Global;
use crate::printer::Printer;
use crate::table::Table;

/// `voces agree`
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// Coders to compare, two or more; `auto` is the rules.
    #[arg(required = true, num_args = 2.., value_name = "CODER")]
    pub coders: Vec<String>,
    /// List the segments the coders disagree on, per code.
    #[arg(long)]
    pub disagreements: bool,
    /// Codebook for the code tree (default: as `voces code`).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// JSON Lines (corpus-schema/agree.schema.json).
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &AgreeArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let store = CodingStore::of(&project);
    let mut coders = Vec::new();
    for name in &args.coders {
        if coders
            .iter()
            .any(|c: &voces_code::coding::CoderCodings| c.coder == *name)
        {
            anyhow::bail!("coder `{name}` is given twice");
        }
        coders.push(store.coder(name)?);
    }
    let codebook = super::themes::codebook_for_report(&project, args.codebook.as_ref(), printer)?;
    for c in &coders {
        super::themes::warn_stale(&project, &store, c, codebook.as_ref(), printer)?;
    }
    let segments: BTreeMap<String, usize> = project
        .store()
        .heads()?
        .into_iter()
        .map(|h| (h.id, h.stats.segments))
        .collect();
    let report = agreement(&coders, &segments, codebook.as_ref())?;
    if report.interviews.is_empty() {
        anyhow::bail!(
            "no interview was coded by all of {}\nhint: agreement is computed on the interviews every coder coded",
            args.coders.join(", ")
        );
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        for c in &report.codes {
            super::print_json_line(
                &mut out,
                &JsonRow {
                    row: "code",
                    code: Some(&c.code),
                    depth: c.depth,
                    coder_names: &report.coders,
                    applied: Some(per_coder(&report.coders, &c.applied)),
                    any: Some(c.any),
                    segments: report.segments,
                    interviews: report.interviews.len(),
                    summary: &c.summary,
                },
            )?;
        }
        super::print_json_line(
            &mut out,
            &JsonRow {
                row: "overall",
                code: None,
                depth: 0,
                coder_names: &report.coders,
                applied: None,
                any: None,
                segments: report.segments,
                interviews: report.interviews.len(),
                summary: &report.overall,
            },
        )?;
        if args.disagreements {
            for d in &report.disagreements {
                let line = serde_json::json!({
                    "row": "disagreement",
                    "segment": d.segment,
                    "code": d.code,
                    "yes": d.yes,
                    "no": d.no,
                });
                super::print_json_line(&mut out, &line)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    printer.note(&format!(
        "agreement of {} on {} interview(s), {} segments",
        report.coders.join(", "),
        report.interviews.len(),
        report.segments
    ));
    let mut header = vec!["CODE".to_owned(), "ANY".to_owned()];
    header.extend(report.coders.iter().map(|c| c.to_uppercase()));
    header.extend(["AGREE", "COHEN", "FLEISS", "ALPHA"].map(String::from));
    let mut table = Table::new(header);
    let cells = |name: String, any: String, applied: &[usize], s: &Summary| {
        let mut row = vec![name, any];
        row.extend(applied.iter().map(ToString::to_string));
        row.extend([
            number(s.percent_agreement),
            s.cohen_kappa.map_or_else(|| "NaN".to_owned(), number),
            s.fleiss_kappa.map_or_else(|| "NaN".to_owned(), number),
            number(s.krippendorff_alpha),
        ]);
        row
    };
    for c in &report.codes {
        table.row(cells(
            format!("{}{}", "  ".repeat(c.depth), c.code),
            c.any.to_string(),
            &c.applied,
            &c.summary,
        ));
    }
    // Pooled: segment × code units, and what each coder applied in all.
    let mut applied = vec![0usize; report.coders.len()];
    for c in &report.codes {
        for (t, n) in applied.iter_mut().zip(&c.applied) {
            *t += n;
        }
    }
    let any: usize = report.codes.iter().map(|c| c.any).sum();
    table.row(cells(
        "(all codes)".to_owned(),
        any.to_string(),
        &applied,
        &report.overall,
    ));
    out.write_all(table.render().as_bytes())?;
    writeln!(
        out,
        "ANY: segments coded by at least one coder; NaN: no variation (every coder applied the code everywhere, or nowhere)"
    )?;
    if args.disagreements {
        writeln!(out)?;
        writeln!(out, "disagreements ({}):", report.disagreements.len())?;
        let corpus = project.store();
        let mut cache: HashMap<String, Option<Interview>> = HashMap::new();
        for d in &report.disagreements {
            let text = voces_corpus::id::parse_segment_id(&d.segment).and_then(|(i, n)| {
                cache
                    .entry(i.to_owned())
                    .or_insert_with(|| corpus.interview(i).ok())
                    .as_ref()
                    .and_then(|iv| iv.segments.get(n))
                    .map(|s| snippet(&s.text, 70))
            });
            writeln!(
                out,
                "  {}  {}  yes: {}  no: {}",
                d.segment,
                d.code,
                d.yes.join(", "),
                d.no.join(", ")
            )?;
            if let Some(t) = text {
                writeln!(out, "      \"{t}\"")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn number(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_owned()
    } else {
        format!("{x:.3}")
    }
}

fn snippet(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        flat
    } else {
        format!("{}…", flat.chars().take(n).collect::<String>())
    }
}

fn per_coder(coders: &[String], counts: &[usize]) -> BTreeMap<String, usize> {
    coders.iter().cloned().zip(counts.iter().copied()).collect()
}

#[derive(Serialize)]
struct JsonRow<'a> {
    row: &'static str,
    code: Option<&'a str>,
    depth: usize,
    coder_names: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<BTreeMap<String, usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    any: Option<usize>,
    segments: usize,
    interviews: usize,
    #[serde(flatten)]
    summary: &'a Summary,
}

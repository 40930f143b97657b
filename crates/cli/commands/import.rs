//! `voces import FILE.qdpx|FILE.qdc`: a REFI-QDA project (sources, codes,
//! codings per user, cases with variables) or codebook from NVivo,
//! ATLAS.ti, MAXQDA, QualCoder or voces itself. What goes where is in
//! `voces_export::refi`; nothing the project has is changed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use voces_export::refi::{self, ImportOptions, SourceOutcome};

use crate::args::Global;
use crate::printer::Printer;

/// `voces import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A REFI-QDA project (`.qdpx`) or codebook (`.qdc`).
    pub file: PathBuf,
    /// The project's codebook, whose codes imported codes are matched
    /// against (default: as `voces code` finds it).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Read and check the file and say what would be imported, without
    /// changing the project.
    #[arg(long)]
    pub dry_run: bool,
}

/// Problems shown one per line before the rest are counted.
const SHOWN: usize = 20;

pub fn run(global: &Global, args: &ImportArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    if !args.file.is_file() {
        anyhow::bail!(
            "{}: no such file\nhint: give a REFI-QDA project (.qdpx) or codebook (.qdc)",
            args.file.display()
        );
    }
    let _lock = super::lock_project(&project, printer)?;
    let codebook = match &args.codebook {
        Some(p) => Some(p.clone()),
        None => super::code::codebook_path(&project, None).ok(),
    };
    let options = ImportOptions {
        limits: refi::DEFAULT_LIMITS,
        codebook,
        dry_run: args.dry_run,
    };
    let bar = printer.progress(0, "importing");
    let report = refi::import(&project, &args.file, &options, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();

    let file = args.file.display();
    if let Some(o) = &report.origin {
        printer.note(&format!("{file}: written by {o}"));
    }
    for w in &report.warnings {
        printer.warn(w);
    }
    for p in report.problems.iter().take(SHOWN) {
        printer.error(&format!("{file}: {p}"));
    }
    if report.problems.len() > SHOWN {
        printer.error(&format!(
            "{file}: ... and {} more problems",
            report.problems.len() - SHOWN
        ));
    }
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    let count =
        |f: fn(&SourceOutcome) -> bool| report.sources.iter().filter(|s| f(&s.outcome)).count();
    for s in &report.sources {
        if let (SourceOutcome::Renamed { wanted }, Some(id)) = (&s.outcome, &s.interview) {
            printer.note(&format!(
                "source `{}`: the id `{wanted}` is taken by another interview; stored as `{id}`",
                s.name
            ));
        }
    }
    if !report.sources.is_empty() {
        printer.note(&format!(
            "sources: {} new, {} already stored, {} renamed, {} skipped",
            count(|o| *o == SourceOutcome::New),
            count(|o| *o == SourceOutcome::Reused),
            count(|o| matches!(o, SourceOutcome::Renamed { .. })),
            count(|o| matches!(o, SourceOutcome::Skipped(_))),
        ));
    }
    if report.codes > 0 {
        printer.note(&format!(
            "codes: {} ({} already in the project){}",
            report.codes,
            report.codes_known,
            report
                .codebook
                .as_ref()
                .map(|c| format!(" -> {c}"))
                .unwrap_or_default()
        ));
    }
    for (user, coder) in &report.coders {
        if user != coder {
            printer.note(&format!("user `{user}` codes as `{coder}`"));
        }
    }
    if report.cases > 0 || report.variables > 0 {
        printer.note(&format!(
            "cases: {} with {} variable(s){}",
            report.cases,
            report.variables,
            report
                .table
                .as_ref()
                .map(|t| format!(" -> attribute table `{t}`"))
                .unwrap_or_default()
        ));
    }
    let by: Vec<String> = report
        .added
        .iter()
        .map(|(coder, n)| format!("{coder} {n}"))
        .collect();
    printer.note(&format!(
        "{verb} {} coding(s){}{}",
        report.added_total(),
        if by.is_empty() {
            String::new()
        } else {
            format!(" ({})", by.join(", "))
        },
        if report.already > 0 {
            format!("; {} already stored", report.already)
        } else {
            String::new()
        }
    ));

    if !args.dry_run {
        super::index::open_and_update(&project, printer)?;
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

//! `voces export --format qdpx|qdc -o FILE`: the project as a REFI-QDA
//! project or codebook for NVivo, ATLAS.ti, MAXQDA and QualCoder (mapping
//! in `voces_export::refi`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use voces_export::refi::{self, ExportOptions};

use crate::args::Global;
use crate::printer::Printer;

/// `voces export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// `qdpx`: the whole project (sources, codebook, codings of every
    /// coder, cases with variables); `qdc`: the codebook only.
    #[arg(long, short, value_enum)]
    pub format: ExportFormat,
    /// File to write (replaced atomically).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Codebook file (default: `[code] codebook` in voces.toml, else
    /// codebooks/smo-study.toml in the project folder). Codebooks written
    /// by `voces import` are always included.
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Write real names and personal data instead of pseudonyms (see
    /// `voces redact`); the project is then not safe to share. A `qdc`
    /// (codebook only) holds no corpus text and is never redacted.
    #[arg(long)]
    pub no_redact: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// REFI-QDA project (zip with project.qde and Sources/).
    Qdpx,
    /// REFI-QDA codebook (XML).
    Qdc,
}

pub fn run(global: &Global, args: &ExportArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let expected = match args.format {
        ExportFormat::Qdpx => "qdpx",
        ExportFormat::Qdc => "qdc",
    };
    let ext = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext != expected {
        bail!(
            "{}: a {} file should end in .{expected}\nhint: name it like study.{expected}",
            args.output.display(),
            expected.to_uppercase()
        );
    }
    let codebook = match &args.codebook {
        Some(p) => Some(p.clone()),
        None => super::code::codebook_path(&project, None).ok(),
    };
    // A codebook holds no text of the corpus: nothing to redact.
    let redactor = match args.format {
        ExportFormat::Qdpx => super::redact::for_export(&project, args.no_redact, printer)?,
        ExportFormat::Qdc => None,
    };
    let export = refi::build(&project, &ExportOptions { codebook }, redactor.as_ref())
        .context("cannot export the project")?;
    for w in &export.warnings {
        printer.warn(w);
    }
    let bytes = match args.format {
        ExportFormat::Qdpx => export.qdpx(&args.output)?,
        ExportFormat::Qdc => export.qdc()?.into_bytes(),
    };
    voces_corpus::write_atomic(&args.output, &bytes)?;
    let p = &export.project;
    let summary = match args.format {
        ExportFormat::Qdpx => format!(
            "wrote {}: {} source(s), {} code(s), {} user(s), {} selection(s) with {} coding(s), {} case(s), {} variable(s)",
            args.output.display(),
            p.sources.len(),
            p.all_codes().count(),
            p.users.len(),
            p.selection_count(),
            p.coding_count(),
            p.cases.len(),
            p.variables.len()
        ),
        ExportFormat::Qdc => format!(
            "wrote {}: {} code(s)",
            args.output.display(),
            p.all_codes().count()
        ),
    };
    printer.note(&summary);
    Ok(ExitCode::SUCCESS)
}

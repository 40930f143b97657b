//! `voces init [DIR]`

use std::process::ExitCode;

use voces_corpus::{CONFIG_FILE, Project};

use crate::args::InitArgs;
use crate::printer::Printer;

pub fn run(args: &InitArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = Project::init(&args.dir)?;
    printer.note(&format!(
        "created voces project in {}\n  settings: {}\n  next: voces ingest TRANSCRIPTS... [--metadata participants.xlsx]",
        project.root().display(),
        project.root().join(CONFIG_FILE).display()
    ));
    Ok(ExitCode::SUCCESS)
}

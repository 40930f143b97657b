//! One module per command.

pub mod agree;
pub mod code;
pub mod corpus;
pub mod demo;
pub mod excerpts;
pub mod export;
pub mod import;
pub mod index;
pub mod ingest;
pub mod init;
pub mod redact;
pub mod report;
pub mod search;
pub mod themes;

use anyhow::Context;
use voces_corpus::Project;

use crate::args::Global;

/// The project of `--project DIR`, or the one containing the current folder.
pub fn open_project(global: &Global) -> anyhow::Result<Project> {
    if let Some(dir) = &global.project {
        return Ok(Project::discover(dir)?);
    }
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    Ok(Project::discover(&cwd)?)
}

/// Takes the project's write lock (see `voces_corpus::WriteLock`), waiting
/// with a note when another voces command holds it. Commands that change
/// the store or codings hold it until they return.
pub fn lock_project(
    project: &Project,
    printer: &crate::printer::Printer,
) -> anyhow::Result<voces_corpus::WriteLock> {
    if let Some(lock) = project.try_write_lock()? {
        return Ok(lock);
    }
    printer.note("waiting for another voces command to finish changing this project...");
    Ok(project.write_lock()?)
}

/// Writes one JSON value per line to stdout.
pub fn print_json_line<T: serde::Serialize>(
    out: &mut impl std::io::Write,
    value: &T,
) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

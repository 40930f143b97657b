//! One module per command.

pub mod agree;
pub mod code;
pub mod corpus;
pub mod demo;
pub mod index;
pub mod ingest;
pub mod init;
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

/// Writes one JSON value per line to stdout.
pub fn print_json_line<T: serde::Serialize>(
    out: &mut impl std::io::Write,
    value: &T,
) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

//! `voces index [--rebuild]`, and the index update every command that
//! searches runs first.
//!
//! The index is derived from the corpus store (`.voces/index/`): it can be
//! deleted at any time and is rebuilt to the same results. `voces ingest`
//! updates it at the end of its run, in one commit.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use voces_corpus::Project;
use voces_index::{Index, UpdateStats};

use crate::args::{Global, IndexArgs};
use crate::printer::Printer;

/// The index folder of a project.
pub fn index_dir(project: &Project) -> PathBuf {
    project.data_dir().join("index")
}

/// Opens the project's index and brings it up to date with the corpus,
/// with a progress bar when there is work to do.
///
/// While another voces process is writing the index (an ingest running),
/// the index as last committed is searched instead, with a warning.
pub fn open_index(project: &Project, printer: &Printer) -> anyhow::Result<Index> {
    match open_and_update(project, printer) {
        Ok((index, _)) => Ok(index),
        Err(e)
            if e.downcast_ref::<voces_index::Error>()
                .is_some_and(|e| matches!(e, voces_index::Error::Locked { .. })) =>
        {
            printer.warn(
                "another voces process is updating the index: searching it as last committed",
            );
            let dir = index_dir(project);
            Ok(Index::open_or_create(
                &dir,
                &project.config().project.languages,
            )?)
        }
        Err(e) => Err(e),
    }
}

/// [`open_index`], also returning what the update did.
pub fn open_and_update(
    project: &Project,
    printer: &Printer,
) -> anyhow::Result<(Index, UpdateStats)> {
    let dir = index_dir(project);
    let mut index = Index::open_or_create(&dir, &project.config().project.languages)
        .with_context(|| format!("cannot open the index in {}", dir.display()))?;
    let store = project.store();
    let attributes = store.attributes()?;
    let bar = printer.progress(0, "indexing");
    let stats = index.update(&store, &attributes, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    for (id, reason) in &stats.failed {
        printer.warn(&format!("interview `{id}` not indexed: {reason}"));
    }
    Ok((index, stats))
}

/// One line saying what an update did, or `None` when nothing changed.
pub fn describe(stats: &UpdateStats, index: &Index) -> Option<String> {
    if stats.added + stats.updated + stats.removed == 0 && !stats.rebuilt {
        return None;
    }
    Some(format!(
        "index: {} added, {} updated, {} removed{}; {} segments searchable",
        stats.added,
        stats.updated,
        stats.removed,
        if stats.rebuilt { " (rebuilt)" } else { "" },
        index.num_segments(),
    ))
}

pub fn run(global: &Global, args: &IndexArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let _lock = super::lock_project(&project, printer)?;
    let dir = index_dir(&project);
    if args.rebuild && dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot delete the index in {}", dir.display()))?;
    }
    let (index, stats) = open_and_update(&project, printer)?;
    match describe(&stats, &index) {
        Some(line) => printer.note(&line),
        None => printer.note(&format!(
            "index: up to date; {} segments of {} interviews searchable",
            index.num_segments(),
            index.interview_ids().len()
        )),
    }
    Ok(if stats.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// voces: offline, reproducible analysis of interview transcripts in
/// English and Spanish: ingest, search, code, export.
#[derive(Debug, Parser)]
#[command(name = "voces", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Project folder (default: the folder with `voces.toml` here or above,
    /// found the way git finds a repository).
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// No progress bars, notes or summaries on stderr (errors still show).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project: writes `voces.toml` and the `.voces/` data folder.
    Init(InitArgs),
    /// Read transcripts (txt, md, docx, odt, vtt, srt, cha) and attribute
    /// sheets (csv, xlsx, xls, ods) into the project.
    Ingest(IngestArgs),
    /// List, show or remove stored interviews.
    Corpus(CorpusArgs),
    /// Run the method on the bundled synthetic sample corpus.
    Demo(DemoArgs),
}

/// `voces init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to make a project of (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `voces ingest`
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Transcript files or folders (walked recursively).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Attribute sheet (csv, xlsx, xls, ods) with one row per interview or
    /// participant; repeatable.
    #[arg(long, short, value_name = "FILE")]
    pub metadata: Vec<PathBuf>,
    /// Column of the sheet that holds interview ids or file names
    /// (default: `[metadata] key` in voces.toml, else a column named like
    /// `id`, `interview`, `file`, else the first).
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
    /// Re-read files even when unchanged.
    #[arg(long)]
    pub force: bool,
}

/// `voces corpus`
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: CorpusCommand,
}

/// `voces corpus ...`
#[derive(Debug, Subcommand)]
pub enum CorpusCommand {
    /// One line per interview.
    List {
        /// JSON Lines, one interview per line.
        #[arg(long)]
        json: bool,
    },
    /// An interview: source, languages, attributes, speakers and segments.
    Show {
        /// Interview id (see `voces corpus list`).
        id: String,
        /// The whole stored record as JSON, with joined attributes.
        #[arg(long)]
        json: bool,
    },
    /// Participants (attribute sheet rows) and the interviews they join.
    Participants {
        /// JSON Lines, one participant per line.
        #[arg(long)]
        json: bool,
    },
    /// Delete interviews from the project.
    Remove {
        /// Interview ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

/// `voces demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to create the demo project (replaced if it is an earlier demo).
    #[arg(long, default_value = "voces-demo")]
    pub dir: PathBuf,
    /// The sample corpus folder (default: `examples/smo-sample` of the
    /// source checkout).
    #[arg(long, value_name = "DIR")]
    pub sample: Option<PathBuf>,
}

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
    /// Bring the search index up to date with the corpus (ingest does it
    /// too); `--rebuild` starts it afresh.
    Index(IndexArgs),
    /// Search the transcripts: keyword-in-context lines, counts, or hits
    /// per attribute value.
    #[command(after_long_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Auto-code the corpus with a codebook; explain a segment's coding;
    /// add, remove or import manual codings.
    Code(crate::commands::code::CodeArgs),
    /// Count coded segments, interviews or participants per code, crossed
    /// with attributes; code co-occurrence.
    Themes(crate::commands::themes::ThemesArgs),
    /// Intercoder agreement per code: percent, Cohen's and Fleiss' kappa,
    /// Krippendorff's alpha (`auto` is a coder).
    Agree(crate::commands::agree::AgreeArgs),
    /// Coded excerpts, one row each with attributes, speaker, language,
    /// quote, code path and coder or rule: CSV, XLSX, JSON Lines or
    /// Markdown.
    Excerpts(crate::commands::excerpts::ExcerptsArgs),
    /// Write one self-contained HTML report: corpus overview, theme
    /// charts, themes by attribute, co-occurrence, excerpts.
    Report(crate::commands::report::ReportArgs),
    /// Write the project as a REFI-QDA project (.qdpx: sources, codebook,
    /// codings, cases) or codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA,
    /// QualCoder.
    Export(crate::commands::export::ExportArgs),
    /// Import a REFI-QDA project (.qdpx) or codebook (.qdc): sources,
    /// codes, codings per user, cases with variables.
    Import(crate::commands::import::ImportArgs),
    /// Pseudonymize: find names, places, organisations, e-mail addresses,
    /// phone and ID numbers, keep their pseudonyms in a mapping outside the
    /// project folder, and show what is replaced.
    Redact(crate::commands::redact::RedactArgs),
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
    /// Store the transcripts without updating the search index (say, to
    /// ingest several folders and index once): the next `voces index`,
    /// search or coding run brings it up to date.
    #[arg(long)]
    pub no_index: bool,
}

/// `voces index`
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Delete the index and build it again from the corpus.
    #[arg(long)]
    pub rebuild: bool,
}

const SEARCH_HELP: &str = "\
Query language:
  border migración              both words (AND is the default)
  border OR frontera            either
  border NOT wall, border -wall without `wall`
  (coyote OR pollero) frontera  parentheses group
  \"work permit\"                 the words next to each other
  \"visa parole\"~5               within 5 words of each other
  contraband*                   words starting with `contraband`
  speaker:maria role:participant lang:es interview:ID
Words are stemmed and accents folded per language: `exclusion` finds
`exclusión`, `traficantes` finds `traficante`; --exact turns that off.

Examples:
  voces search 'frontera AND (coyote OR pollero)'
  voces search smuggling --where lang=en --by nationality
  voces search '\"work permit\"~3' --json | head
  voces search cita --where country=Colombia --where group=migrant --context sentence";

/// `voces search`
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools, reason = "one bool per flag")]
pub struct SearchArgs {
    /// The query (see below); empty matches every segment.
    #[arg(default_value = "")]
    pub query: String,
    /// Keep segments whose interview has ATTR=VALUE (repeat for more:
    /// the same attribute twice means either value). `lang`, `role`,
    /// `speaker` and `interview` work too.
    #[arg(long = "where", short = 'w', value_name = "ATTR=VALUE")]
    pub filters: Vec<String>,
    /// Count hits and interviews per value of an attribute instead of
    /// listing them (also `lang` and `role`).
    #[arg(long, value_name = "ATTR")]
    pub by: Option<String>,
    /// Match words as written (lower-cased), without stemming or accent
    /// folding.
    #[arg(long)]
    pub exact: bool,
    /// Text shown around a match: `sentence`, `segment`, or a number of
    /// words either side.
    #[arg(long, short, default_value = "10", value_name = "sentence|segment|N")]
    pub context: crate::commands::search::Context,
    /// Order by relevance (BM25) instead of interview and position.
    #[arg(long)]
    pub rank: bool,
    /// Most hits listed.
    #[arg(long, short = 'n', default_value_t = 100)]
    pub limit: usize,
    /// Print only how many segments and interviews match.
    #[arg(long)]
    pub count: bool,
    /// JSON Lines: one hit per line (corpus-schema/search-hit.schema.json).
    #[arg(long)]
    pub json: bool,
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

//! Coded excerpts: one row per coding, with what a reader of the quote
//! needs beside it (`voces excerpts`).
//!
//! [`collect`] turns codings (from [`voces_code::CodingStore`]: the rules'
//! `auto` codings and manual coders') into [`Excerpt`]s: the interview and
//! segment, the character offsets, the code with its path in the codebook
//! tree and its theme, the coder or rule, the speaker, role and language of
//! the segment, the quote with optional words of context either side, and
//! the interview's attributes (its own merged with the attribute sheets).
//! Each interview is read from the store once, whatever the number of its
//! codings. Rows are sorted by interview, start, code and coder (then end
//! and rule), so the same codings give the same output.
//!
//! [`write`] renders them in a [`Format`]:
//!
//! - **JSON Lines** (`jsonl`): one [`Excerpt`] per line, the fields in the
//!   order of the struct, `attributes` an object of name to value as text
//!   (schema: `corpus-schema/excerpt.schema.json`).
//! - **CSV** (`csv`): the same columns flattened, one column per attribute
//!   (sorted by name; an attribute named like a fixed column, such as
//!   `language`, gets the header `attr_language`). UTF-8, with a byte order
//!   mark when [`WriteOptions::bom`] is set: Excel reads UTF-8 CSV as the
//!   system code page without one (accents break), while many programs
//!   keep the mark as part of the first header. The binary sets it for
//!   files written with `-o` and leaves it out on standard output.
//! - **XLSX** (`xlsx`): an `Excerpts` sheet with the CSV's columns (bold
//!   frozen header row, autofilter, column widths, wrapped quote columns,
//!   numbers and booleans typed), a `Codebook` sheet (code, parent, path,
//!   labels and definitions per language, colour, rules, excerpts) and a
//!   `Crosstab` sheet: coded segments per code and attribute value, a
//!   segment counting for its code and the code's parents, as
//!   `voces themes --by ATTR` counts them.
//! - **Markdown** (`md`): excerpts grouped under one heading per code in
//!   codebook order, each quote a blockquote followed by a line naming the
//!   segment, speaker, role, language and the rule or coder.
//!
//! ```
//! use voces_export::excerpts::{self, Format, Selection, WriteOptions};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let project = voces_corpus::Project::init(dir.path())?;
//! let store = project.store();
//! let found = excerpts::collect(
//!     &store,
//!     &store.attributes()?,
//!     Vec::new(),
//!     None,
//!     &Selection::default(),
//!     &mut |_done, _total| {},
//! )?;
//! assert!(found.rows.is_empty());
//! let mut out = Vec::new();
//! excerpts::write(&found, Format::Csv, &WriteOptions::default(), &mut out)?;
//! assert!(String::from_utf8(out).unwrap().starts_with("interview,segment,start,end,code"));
//! # Ok::<(), voces_export::Error>(())
//! ```

mod collect;
mod csv;
mod filter;
mod jsonl;
mod markdown;
mod xlsx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use voces_code::{Codebook, Coding};
use voces_corpus::{AttrValue, Attributes, Role, Store};

pub use collect::{Batch, Collector, Part};
pub use filter::FIELDS;

use crate::{Error, Result};

/// An output format of [`write`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated values, one column per attribute.
    Csv,
    /// An Excel workbook: excerpts, codebook and crosstab sheets.
    Xlsx,
    /// JSON Lines, one excerpt per line.
    Jsonl,
    /// Markdown, excerpts grouped by code.
    Markdown,
}

impl Format {
    /// The format a file name's extension stands for (`.csv`, `.xlsx`,
    /// `.jsonl` or `.ndjson`, `.md` or `.markdown`), ignoring case.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
        }
    }

    /// True for formats that are not text (XLSX).
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// Which codings become excerpts, and how much context they get.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Code ids to keep, each with its sub-codes in the codebook tree
    /// (a code the codebook does not have keeps only itself); empty keeps
    /// every code.
    pub codes: Vec<String>,
    /// `--where` filters as (name, value). A name of [`FIELDS`] (`lang`,
    /// `role`, `speaker`, `interview`) filters segments, unless an attribute
    /// sheet has a column of that name; any other name is an attribute of
    /// the interview. Attribute names, values and speakers match ignoring
    /// case and accents, as in `voces search --where`. Filters on one name
    /// are alternatives (OR), filters on different names all apply (AND).
    pub filters: Vec<(String, String)>,
    /// Words of the segment to give before and after each quote.
    pub context: usize,
}

/// One coded excerpt: a row of every format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// Interview id.
    pub interview: String,
    /// Segment id, `INTERVIEW#N`.
    pub segment: String,
    /// First character of the quote in the interview text.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// Code id.
    pub code: String,
    /// The code's labels from its theme down, in the codebook's first
    /// language, joined with ` > `; the id when the codebook does not have
    /// the code (or there is no codebook).
    pub code_path: String,
    /// Id of the code's theme (its top-level ancestor; itself for a theme
    /// or a code the codebook does not have).
    pub theme: String,
    /// `auto` or the manual coder's name.
    pub coder: String,
    /// The rule that made an auto-coding; `None` for manual codings.
    pub rule: Option<String>,
    /// Speaker label of the segment, when it has one.
    pub speaker: Option<String>,
    /// Role of the segment's speaker.
    pub role: Role,
    /// Language of the segment (ISO 639-1).
    pub language: String,
    /// The coded text: the interview text from `start` to `end`.
    pub quote: String,
    /// Up to [`Selection::context`] words of the segment before the quote,
    /// verbatim up to its first character (from the segment's start when
    /// fewer words precede); empty without context.
    pub before: String,
    /// The same after the quote, verbatim from its end.
    pub after: String,
    /// The interview's attributes (its own, overridden by the attribute
    /// sheets' joined rows), written as text in JSON.
    #[serde(serialize_with = "attributes_as_text")]
    pub attributes: Arc<BTreeMap<String, AttrValue>>,
}

fn attributes_as_text<S: serde::Serializer>(
    attributes: &Arc<BTreeMap<String, AttrValue>>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(attributes.iter().map(|(k, v)| (k, v.to_text())))
}

/// What [`collect`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Excerpts {
    /// The excerpts, sorted by interview, start, code, coder, end and rule.
    pub rows: Vec<Excerpt>,
    /// Interviews with codings that are no longer stored (their codings are
    /// left out).
    pub missing_interviews: Vec<String>,
    /// Codings left out because no segment of their (re-ingested)
    /// interview holds their span any more.
    pub stale: usize,
    /// Codings whose quote differs from the interview's text at their span
    /// (the interview was re-ingested since): kept, without context.
    pub changed: usize,
}

impl Excerpts {
    /// Number of distinct interviews among the rows.
    pub fn interviews(&self) -> usize {
        let mut n = 0;
        let mut last: Option<&str> = None;
        for r in &self.rows {
            if last != Some(r.interview.as_str()) {
                n += 1;
                last = Some(&r.interview);
            }
        }
        n
    }

    /// The attribute names of the rows, sorted.
    pub fn attribute_names(&self) -> Vec<String> {
        let mut names: BTreeSet<&String> = BTreeSet::new();
        let mut last: Option<&Arc<BTreeMap<String, AttrValue>>> = None;
        for r in &self.rows {
            // Rows of one interview share their attributes.
            if last.is_some_and(|l| Arc::ptr_eq(l, &r.attributes)) {
                continue;
            }
            names.extend(r.attributes.keys());
            last = Some(&r.attributes);
        }
        names.into_iter().cloned().collect()
    }
}

/// Turns codings into excerpts: keeps those of [`Selection::codes`], reads
/// each interview they are in once, applies [`Selection::filters`], and
/// adds the segment's speaker, role and language, the context and the
/// attributes. `progress` is called with (interviews done, interviews to
/// read). [`Collector`] does the same in steps that can run in parallel.
///
/// Errors: an interview file that cannot be read or is damaged, and a
/// filter on an attribute that neither a sheet nor any coded interview
/// has ([`Error::User`], listing the attributes there are).
pub fn collect(
    store: &Store,
    attributes: &Attributes,
    codings: Vec<Coding>,
    codebook: Option<&Codebook>,
    selection: &Selection,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Excerpts> {
    let (collector, batches) = Collector::new(store, attributes, codings, codebook, selection);
    let n = batches.len();
    let mut parts = Vec::with_capacity(n);
    for (i, batch) in batches.into_iter().enumerate() {
        progress(i, n);
        parts.push(collector.read(batch)?);
    }
    progress(n, n);
    collector.finish(parts)
}

/// The code's path of labels from its theme down (in the codebook's first
/// language, joined with ` > `) and its theme's id; the id twice for a
/// code the codebook does not have.
fn code_path(codebook: Option<&Codebook>, code: &str) -> (String, String) {
    let Some((book, c)) = codebook.and_then(|b| b.code(code).map(|c| (b, c))) else {
        return (code.to_owned(), code.to_owned());
    };
    let lang = book.languages.first().map_or("en", String::as_str);
    let mut chain = book.ancestors(code);
    chain.reverse();
    chain.push(c);
    let labels: Vec<&str> = chain.iter().map(|c| c.label(lang)).collect();
    (labels.join(" > "), chain[0].id.clone())
}

/// How [`write`] renders excerpts.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions<'a> {
    /// The codebook: code order and headings (Markdown), the `Codebook`
    /// sheet and the code tree of the `Crosstab` sheet (XLSX).
    pub codebook: Option<&'a Codebook>,
    /// Start CSV with a UTF-8 byte order mark (for Excel).
    pub bom: bool,
    /// Attributes of the XLSX `Crosstab` sheet, one group of columns each.
    /// Empty chooses those that group the exported interviews: text or
    /// boolean attributes set for at least half of them, with 2 to 12
    /// values and at most half as many values as interviews (six at most,
    /// those set for the most interviews).
    pub crosstab_by: &'a [String],
    /// Pseudonymizes the rules of the XLSX `Codebook` sheet, whose words
    /// and phrases may name places or people the project's privacy
    /// settings list.
    pub redactor: Option<&'a voces_redact::Redactor>,
}

/// Writes excerpts in `format` to `out`. XLSX is built in memory, then
/// written. Errors: an unknown attribute in
/// [`WriteOptions::crosstab_by`], more rows than an XLSX sheet holds, and
/// write errors of `out` (named `output`).
pub fn write(
    excerpts: &Excerpts,
    format: Format,
    options: &WriteOptions<'_>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let io = |source| Error::Io {
        path: "output".into(),
        source,
    };
    match format {
        Format::Csv => csv::write(excerpts, options.bom, out).map_err(io),
        Format::Jsonl => jsonl::write(excerpts, out).map_err(io),
        Format::Markdown => markdown::write(excerpts, options.codebook, out).map_err(io),
        Format::Xlsx => {
            let bytes = xlsx::workbook(excerpts, options)?;
            out.write_all(&bytes).map_err(io)
        }
    }
}

/// The fixed columns of CSV and the XLSX `Excerpts` sheet, before the
/// attribute columns.
pub const COLUMNS: [&str; 15] = [
    "interview",
    "segment",
    "start",
    "end",
    "code",
    "code_path",
    "theme",
    "coder",
    "rule",
    "speaker",
    "role",
    "language",
    "quote",
    "before",
    "after",
];

/// The header of an attribute column: the name, or `attr_NAME` when a
/// fixed column has that name (ignoring case).
pub fn attribute_header(name: &str) -> String {
    if COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
        format!("attr_{name}")
    } else {
        name.to_owned()
    }
}

impl Excerpt {
    /// The fixed columns' cells as text (CSV and XLSX), in [`COLUMNS`]
    /// order; `None` for an absent rule or speaker.
    fn cells(&self) -> [Cell<'_>; 15] {
        [
            Cell::Text(&self.interview),
            Cell::Text(&self.segment),
            Cell::Number(self.start),
            Cell::Number(self.end),
            Cell::Text(&self.code),
            Cell::Text(&self.code_path),
            Cell::Text(&self.theme),
            Cell::Text(&self.coder),
            Cell::Text(self.rule.as_deref().unwrap_or_default()),
            Cell::Text(self.speaker.as_deref().unwrap_or_default()),
            Cell::Text(self.role.as_str()),
            Cell::Text(&self.language),
            Cell::Text(&self.quote),
            Cell::Text(&self.before),
            Cell::Text(&self.after),
        ]
    }
}

/// A cell of a fixed column.
enum Cell<'a> {
    Text(&'a str),
    Number(usize),
}

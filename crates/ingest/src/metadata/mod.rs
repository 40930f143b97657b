//! Attribute sheets: one row per participant or interview, read from `.csv`,
//! `.tsv`, `.xlsx`, `.xlsm`, `.xls` or `.ods` into a [`MetadataTable`].
//!
//! The first non-empty row is the header. One column is the **key** whose
//! values join rows to interviews (see [`voces_corpus::Attributes`]): the
//! column the caller names, else the first one named like an id (`id`,
//! `interview`, `file`, `participant`, `entrevista`, `archivo`...), else the
//! first column. Every other non-empty cell becomes a typed attribute; a
//! column's type is inferred from all of its values:
//!
//! - `boolean` when every value is `true`/`false`, `yes`/`no`, `sí`/`no`,
//!   `verdadero`/`falso` (any case) or a spreadsheet boolean;
//! - `number` when every value is a spreadsheet number or a plain decimal
//!   (`42`, `-3.5`; no thousands separators, no decimal comma, no leading
//!   zeros: `007` stays text);
//! - `string` otherwise, dates included (as ISO 8601 `YYYY-MM-DD`).
//!
//! The cells `null`, `NA`, `N/A` and `#N/A` count as empty.
//!
//! Problems that do not stop the read (rows with an empty or repeated key,
//! rows with more or fewer fields than the header, unnamed or repeated
//! headers) come back as warnings, each naming the file and line:
//!
//! ```
//! # fn main() -> voces_ingest::Result<()> {
//! use voces_ingest::{ReadOptions, metadata::read_metadata};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("participants.csv");
//! std::fs::write(&path, "id;country;age\nP01;Chile;34\nP02;Perú;51\nP01;Chile;34\n").unwrap();
//! let options = ReadOptions::new(&Default::default(), &Default::default())?;
//! let sheet = read_metadata(&path, None, &options)?;
//! assert_eq!(sheet.table.key, "id");
//! assert_eq!(sheet.table.rows.len(), 2);
//! assert_eq!(sheet.table.columns[2].kind, "number");
//! assert_eq!(
//!     sheet.warnings,
//!     ["participants.csv:4: duplicate id \"P01\" (first on line 2); row skipped"]
//! );
//! # Ok(()) }
//! ```
//!
//! Memory stays bounded: the file size limit applies before anything is
//! read, zipped workbooks are checked against the unzipped-size limit, and
//! workbooks whose cells would take more memory than that limit once laid
//! out are refused before they are decoded.

mod delimited;
mod ods_guard;
mod table;
mod workbook;
mod xls_guard;

use std::collections::BTreeMap;
use std::path::Path;

use voces_corpus::{FORMAT_VERSION, MetadataTable};

use crate::{Error, ReadOptions, Result};

/// File extensions (lower case, without the dot) that [`read_metadata`]
/// reads.
pub const EXTENSIONS: &[&str] = &["csv", "tsv", "xlsx", "xlsm", "xls", "ods"];

/// Most columns a sheet may have (Excel's own limit).
pub const MAX_COLUMNS: usize = 16_384;

/// Most non-empty cells a sheet may have.
pub const MAX_CELLS: usize = 2_000_000;

/// Longest header kept whole, in characters; longer ones are cut.
const MAX_HEADER_CHARS: usize = 256;

/// Warnings of one kind shown before the rest are only counted.
const MAX_WARNINGS_PER_KIND: usize = 20;

/// An attribute sheet as read: the table to store, and what went wrong
/// without stopping the read.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The rows, keyed and typed.
    pub table: MetadataTable,
    /// Problems that did not stop the read, each starting with the file name
    /// and, where there is one, the line (`metadata.csv:14: ...`).
    pub warnings: Vec<String>,
}

/// True when `path` has an extension [`read_metadata`] reads.
pub fn is_metadata_file(path: &Path) -> bool {
    EXTENSIONS.contains(&crate::extension(path).as_str())
}

/// Reads an attribute sheet into a [`MetadataTable`]: its name, absolute
/// path, SHA-256, key column, columns with their inferred types, and one
/// [`voces_corpus::Participant`] per row.
///
/// `key` names the column whose values join rows to interviews (matched
/// ignoring case); `None` or an empty name picks one as the module
/// documentation says. The file is read whole, within
/// [`ReadOptions::max_file_bytes`].
pub fn read_metadata(path: &Path, key: Option<&str>, options: &ReadOptions) -> Result<Sheet> {
    let ext = crate::extension(path);
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(Error::Unsupported {
            path: path.to_owned(),
            ext,
        });
    }
    let bytes = crate::read_file(path, options.max_file_bytes)?;
    read_metadata_bytes(path, &bytes, key, options)
}

/// Like [`read_metadata`], from bytes already read: `path` gives the format
/// (by extension, checked against the content), the table's name and path,
/// and the name in messages.
pub fn read_metadata_bytes(
    path: &Path,
    bytes: &[u8],
    key: Option<&str>,
    options: &ReadOptions,
) -> Result<Sheet> {
    let ext = crate::extension(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut warnings = Warnings::new(&name);
    let grid = match workbook::sniff(bytes) {
        workbook::Content::Zip | workbook::Content::Cfb => {
            workbook::read(path, bytes, &ext, options, &mut warnings)?
        }
        workbook::Content::Other if matches!(ext.as_str(), "csv" | "tsv") => {
            delimited::read(path, bytes, &ext, &mut warnings)?
        }
        workbook::Content::Other => return Err(workbook::not_a_workbook(path, bytes, &ext)),
    };
    let built = table::build(path, grid, key, &mut warnings)?;
    let absolute = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned());
    Ok(Sheet {
        table: MetadataTable {
            format: FORMAT_VERSION,
            name,
            path: absolute.to_string_lossy().into_owned(),
            sha256: voces_corpus::id::sha256_hex(bytes),
            key: built.key,
            columns: built.columns,
            rows: built.rows,
        },
        warnings: warnings.finish(),
    })
}

/// A cell as a reader found it, before its column's type is known. Text is
/// trimmed, NFC and never empty.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    /// Text as written (every CSV cell).
    Text(String),
    /// A spreadsheet number.
    Number(f64),
    /// A spreadsheet boolean.
    Bool(bool),
    /// A spreadsheet date, time or duration, as ISO 8601 text.
    Date(String),
}

/// One non-empty row: its 1-based line (CSV) or row number (spreadsheet) and
/// its non-empty cells as `(0-based column, cell)`, in column order.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    line: usize,
    cells: Vec<(usize, Cell)>,
}

/// What a reader hands the table builder: the non-empty rows in order, the
/// first being the header.
#[derive(Debug, Default)]
struct Grid {
    rows: Vec<Row>,
    cells: usize,
}

impl Grid {
    /// Adds a row unless it is empty, refusing sheets past [`MAX_CELLS`].
    fn push(&mut self, path: &Path, row: Row) -> Result<()> {
        if row.cells.is_empty() {
            return Ok(());
        }
        self.cells += row.cells.len();
        if self.cells > MAX_CELLS {
            return Err(Error::read(
                path,
                Some(row.line),
                format!(
                    "more than {MAX_CELLS} non-empty cells; voces reads attribute sheets of one row per interview or participant\nhint: keep only the columns you need in a smaller sheet"
                ),
            ));
        }
        self.rows.push(row);
        Ok(())
    }
}

/// Normalizes a cell's text: NFC, trimmed, missing-value markers dropped.
/// `None` when nothing is left.
fn clean_text(raw: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let trimmed = raw.trim();
    if trimmed.is_empty() || is_missing_marker(trimmed) {
        return None;
    }
    let text: String = if unicode_normalization::is_nfc(trimmed) {
        trimmed.to_owned()
    } else {
        trimmed.nfc().collect()
    };
    Some(text)
}

fn is_missing_marker(s: &str) -> bool {
    s.len() <= 4
        && ["null", "na", "n/a", "#n/a"]
            .iter()
            .any(|m| s.eq_ignore_ascii_case(m))
}

/// Warnings of one sheet, `NAME:LINE: message`, each kind capped at
/// [`MAX_WARNINGS_PER_KIND`] with a count of the rest; in line order, those
/// about the whole file first.
#[derive(Debug)]
struct Warnings {
    file: String,
    list: Vec<(usize, String)>,
    /// Per kind: shown, and left out.
    counts: BTreeMap<&'static str, (usize, usize)>,
}

impl Warnings {
    fn new(file: &str) -> Warnings {
        Warnings {
            file: file.to_owned(),
            list: Vec::new(),
            counts: BTreeMap::new(),
        }
    }

    /// Adds a warning of `kind` (a plural noun used in the summary, such as
    /// `duplicate ids`) about `line`, or the whole file.
    fn push(&mut self, kind: &'static str, line: Option<usize>, message: impl std::fmt::Display) {
        let (shown, more) = self.counts.entry(kind).or_default();
        if *shown < MAX_WARNINGS_PER_KIND {
            *shown += 1;
            let text = match line {
                Some(l) => format!("{}:{l}: {message}", self.file),
                None => format!("{}: {message}", self.file),
            };
            self.list.push((line.unwrap_or(0), text));
        } else {
            *more += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.list.sort_by_key(|(line, _)| *line);
        let mut out: Vec<String> = self.list.into_iter().map(|(_, text)| text).collect();
        for (kind, (_, more)) in &self.counts {
            if *more > 0 {
                out.push(format!("{}: {more} more {kind} not shown", self.file));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;

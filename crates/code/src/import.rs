//! Importing codings made elsewhere: a CSV or a spreadsheet with one row
//! per coded excerpt.
//!
//! # Columns
//!
//! A row names an **interview**, the excerpt (a **segment** id, or the
//! **quote** text), one or more **codes** and, optionally, the **coder**.
//! Columns are found by their header, ignoring case, spaces and
//! punctuation, or named with [`Columns`] (`--interview-col`...):
//!
//! | role | headers recognised (ignoring case, accents, spaces, punctuation) |
//! | --- | --- |
//! | interview | interview, interview id, document, document name, doc, file, file name, transcript, source, case, entrevista, documento, archivo, transcripción |
//! | segment | segment, segment id, segmento |
//! | quote | quote, quotation, text, segment text, coded segment, excerpt, selection, passage, content, words, highlight, cita, texto, fragmento, segmento codificado |
//! | code | code, codes, tag, tags, theme, themes, category, categories, code name, código(s), categoría(s), etiqueta(s), tema(s) |
//! | coder | coder, coder name, user, user name, annotator, author, created by, owner, codificador(a), usuario/a, autor(a) |
//!
//! Without an interview column, every row belongs to the interview named
//! by [`ImportOptions::interview`], else to the interview whose id is the
//! table's file stem (`hallwood.csv` → `hallwood`), as in exports with one
//! table per transcript.
//!
//! A code cell may hold several codes separated by `;`, `|`, `,` or line
//! breaks (unless the whole cell names a codebook code). A code is
//! matched to the codebook by id, then by label in any language, ignoring
//! case; other codes are kept as ids made of their words (`Coming Out` →
//! `coming-out`). With several code columns, each code is prefixed by its
//! column (`stage.data-collection`). Rows without a code are skipped.
//!
//! # Finding quotes
//!
//! A quote is looked for in its interview's text ignoring case, runs of
//! whitespace (line breaks included), and the difference between straight
//! and curly quotes and between dashes. When it occurs more than once, the
//! first occurrence after the previous row's quote in the same interview is
//! taken (coded tables follow the transcript), else the first. An excerpt
//! that spans several segments gives one coding per segment. Quotes that
//! are not found are reported with the table's file and line.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;
use voces_corpus::{Interview, InterviewHead, Store, id};

use crate::coding::{Action, Coding, ManualEntry, check_coder};
use crate::{Codebook, Error, Result};

/// Largest table read, in bytes.
pub const MAX_TABLE_BYTES: u64 = 64 << 20;

/// Columns named by the user; `None` (or empty) means found by header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// Interview ids or transcript file names.
    pub interview: Option<String>,
    /// Segment ids (`INTERVIEW#N`) or numbers.
    pub segment: Option<String>,
    /// Quoted text.
    pub quote: Option<String>,
    /// Codes; several columns give codes prefixed by their column.
    pub code: Vec<String>,
    /// Coder names.
    pub coder: Option<String>,
}

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Column names.
    pub columns: Columns,
    /// The coder of every row (overrides a coder column).
    pub coder: Option<String>,
    /// The interview of every row, for tables without an interview column.
    pub interview: Option<String>,
    /// The sheet of a workbook (default: the first).
    pub sheet: Option<String>,
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The table.
    pub path: PathBuf,
    /// Its line (CSV) or row (spreadsheet), from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// What an import found.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// The columns used, as (role, header), for the user to check.
    pub columns: Vec<(&'static str, String)>,
    /// Where interviews came from when no column names them.
    pub interview_default: Option<String>,
    /// Data rows read.
    pub rows: usize,
    /// Rows without a code (skipped).
    pub without_code: usize,
    /// New entries by coder, in table order.
    pub entries: BTreeMap<String, Vec<ManualEntry>>,
    /// Codings already in the coder's file (not added again).
    pub already: usize,
    /// Rows, or codes of rows, that could not be imported.
    pub problems: Vec<Problem>,
    /// Codes imported that the codebook does not have.
    pub foreign_codes: BTreeSet<String>,
}

/// Reads `path` (CSV, TSV, XLSX, XLS, ODS) and turns its rows into manual
/// coding entries. Nothing is written: the caller appends
/// [`ImportReport::entries`] to each coder's log. `existing` gives a
/// coder's current codings, so that an import run twice adds nothing.
pub fn import(
    path: &Path,
    options: &ImportOptions,
    store: &Store,
    codebook: Option<&Codebook>,
    existing: &mut dyn FnMut(&str) -> Result<Vec<Coding>>,
) -> Result<ImportReport> {
    let table = read_table(path, options.sheet.as_deref())?;
    let mut report = ImportReport::default();
    let col = |wanted: Option<&String>, role: &'static str, names: &[&str]| {
        find_column(path, &table.header, wanted.map(String::as_str), role, names)
    };
    let interview_col = col(options.columns.interview.as_ref(), "interview", INTERVIEW)?;
    let segment_col = col(options.columns.segment.as_ref(), "segment", SEGMENT)?;
    let quote_col = col(options.columns.quote.as_ref(), "quote", QUOTE)?;
    let coder_col = col(options.columns.coder.as_ref(), "coder", CODER)?;
    let code_cols: Vec<usize> = if options.columns.code.is_empty() {
        col(None, "code", CODE)?.into_iter().collect()
    } else {
        options
            .columns
            .code
            .iter()
            .map(|c| col(Some(c), "code", CODE).map(Option::unwrap_or_default))
            .collect::<Result<_>>()?
    };
    if code_cols.is_empty() {
        return Err(table_error(
            path,
            &table.header,
            "no code column",
            "name it with --code-col COLUMN",
        ));
    }
    if quote_col.is_none() && segment_col.is_none() {
        return Err(table_error(
            path,
            &table.header,
            "no quote or segment column",
            "name the column holding the coded text with --quote-col COLUMN",
        ));
    }
    if options.coder.is_none() && coder_col.is_none() {
        return Err(Error::User(format!(
            "{}: no coder column\nhint: pass --coder NAME, or name the column with --coder-col COLUMN",
            path.display()
        )));
    }
    for (role, c) in [
        ("interview", interview_col),
        ("segment", segment_col),
        ("quote", quote_col),
        ("coder", coder_col),
    ] {
        if let Some(c) = c {
            report.columns.push((role, table.header[c].clone()));
        }
    }
    for &c in &code_cols {
        report.columns.push(("code", table.header[c].clone()));
    }

    let heads = store.heads()?;
    let resolver = Resolver::new(&heads);
    let default_interview = if interview_col.is_some() {
        None
    } else if let Some(given) = &options.interview {
        Some(resolver.resolve(given).ok_or_else(|| {
            Error::User(format!(
                "no interview `{given}` in the project\nhint: `voces corpus list` shows the ids"
            ))
        })?)
    } else {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(resolver.resolve(&stem).ok_or_else(|| {
            Error::User(format!(
                "{}: no interview column, and no interview `{}` in the project\nhint: name the column with --interview-col COLUMN, or pass --interview ID",
                path.display(),
                id::slug(&stem)
            ))
        })?)
    };
    report.interview_default.clone_from(&default_interview);

    let mut interviews: HashMap<String, Option<(Interview, Folded)>> = HashMap::new();
    // Where the previous quote of each interview ended (folded bytes).
    let mut cursor: HashMap<String, usize> = HashMap::new();
    let mut existing_keys: HashMap<String, BTreeSet<(String, usize, usize, String)>> =
        HashMap::new();
    let prefix_codes = code_cols.len() > 1;
    let problem = |report: &mut ImportReport, line: usize, message: String| {
        report.problems.push(Problem {
            path: path.to_owned(),
            line,
            message,
        });
    };

    for (line, row) in &table.rows {
        let line = *line;
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).map_or("", |s| s.trim());
        report.rows += 1;
        // Codes.
        let mut codes: Vec<String> = Vec::new();
        for &c in &code_cols {
            let whole = cell(Some(c));
            // A cell naming one codebook code (label with a comma included)
            // is one code; else codes are separated by `;`, `|`, `,` or
            // line breaks.
            let pieces: Vec<&str> = if codebook.and_then(|b| match_code(b, whole)).is_some() {
                vec![whole]
            } else {
                whole.split([';', '|', ',', '\n']).collect()
            };
            for raw in pieces {
                let raw = raw.trim();
                if raw.is_empty() {
                    continue;
                }
                let code = if let Some(id) = codebook.and_then(|b| match_code(b, raw)) {
                    id
                } else {
                    let mut id = code_id(raw);
                    if id.is_empty() {
                        problem(
                            &mut report,
                            line,
                            format!("code `{raw}` has no letter or digit"),
                        );
                        continue;
                    }
                    if prefix_codes {
                        id = format!("{}.{id}", code_id(&table.header[c]));
                    }
                    report.foreign_codes.insert(id.clone());
                    id
                };
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        if codes.is_empty() {
            report.without_code += 1;
            continue;
        }
        // Coder.
        let who = if let Some(c) = &options.coder {
            c.clone()
        } else {
            let raw = cell(coder_col);
            if raw.is_empty() {
                problem(&mut report, line, "no coder".to_owned());
                continue;
            }
            id::slug(raw)
        };
        if let Err(e) = check_coder(&who) {
            problem(&mut report, line, first_line(&e.to_string()));
            continue;
        }
        // Interview.
        let interview_id = if let Some(i) = &default_interview {
            i.clone()
        } else {
            let raw = cell(interview_col);
            if raw.is_empty() {
                problem(&mut report, line, "no interview".to_owned());
                continue;
            }
            if let Some(i) = resolver.resolve(raw) {
                i
            } else {
                problem(
                    &mut report,
                    line,
                    format!("no interview `{raw}` in the project"),
                );
                continue;
            }
        };
        let loaded = interviews.entry(interview_id.clone()).or_insert_with(|| {
            store.interview(&interview_id).ok().map(|i| {
                let folded = Folded::new(&i.text);
                (i, folded)
            })
        });
        let Some((interview, folded)) = loaded.as_ref() else {
            problem(
                &mut report,
                line,
                format!("interview `{interview_id}` cannot be read"),
            );
            continue;
        };
        // The excerpt.
        let segment_cell = cell(segment_col);
        let segment = if segment_cell.is_empty() {
            None
        } else {
            let index = id::parse_segment_id(segment_cell).map_or_else(
                || {
                    segment_cell
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| n.checked_sub(1))
                },
                |(_, i)| Some(i),
            );
            let Some(s) = index.and_then(|i| interview.segments.get(i)) else {
                problem(
                    &mut report,
                    line,
                    format!("no segment `{segment_cell}` in interview `{interview_id}`"),
                );
                continue;
            };
            Some(s)
        };
        let quote = cell(quote_col);
        let span = if quote.is_empty() {
            let Some(s) = segment else {
                problem(&mut report, line, "no quote and no segment".to_owned());
                continue;
            };
            (s.start, s.end)
        } else {
            let (lo, hi) = segment.map_or((0, usize::MAX), |s| (s.start, s.end));
            let from = cursor.get(&interview_id).copied().unwrap_or(0);
            let Some((start, end, next)) = folded.find(quote, from, lo, hi) else {
                problem(
                    &mut report,
                    line,
                    format!(
                        "quote not found in interview `{interview_id}`: \"{}\"",
                        shorten(quote, 60)
                    ),
                );
                continue;
            };
            cursor.insert(interview_id.clone(), next);
            (start, end)
        };
        // Codings, one per segment the excerpt touches.
        if !existing_keys.contains_key(&who) {
            let keys = existing(&who)?
                .into_iter()
                .map(|c| (c.interview, c.start, c.end, c.code))
                .collect();
            existing_keys.insert(who.clone(), keys);
        }
        let keys = existing_keys.entry(who.clone()).or_default();
        for piece in split_by_segment(interview, span) {
            for code in &codes {
                let key = (interview_id.clone(), piece.start, piece.end, code.clone());
                if !keys.insert(key) {
                    report.already += 1;
                    continue;
                }
                let coding = Coding {
                    code: code.clone(),
                    coder: who.clone(),
                    ..piece.clone()
                };
                report
                    .entries
                    .entry(who.clone())
                    .or_default()
                    .push(ManualEntry::new(
                        Action::Add,
                        &coding,
                        Some(format!("{}:{line}", file_name(path))),
                    ));
            }
        }
    }
    Ok(report)
}

/// The parts of `span` inside each segment it overlaps, as codings without
/// code and coder.
pub fn split_by_segment(interview: &Interview, (start, end): (usize, usize)) -> Vec<Coding> {
    let mut out = Vec::new();
    let chars: Vec<usize> = interview
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(interview.text.len()))
        .collect();
    for s in &interview.segments {
        let (a, b) = (start.max(s.start), end.min(s.end));
        if a >= b {
            continue;
        }
        let quote = &interview.text[chars[a.min(chars.len() - 1)]..chars[b.min(chars.len() - 1)]];
        // Trim what the excerpt picked up of the space around the turn.
        let lead = quote.chars().take_while(|c| c.is_whitespace()).count();
        let trail = quote
            .chars()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        if lead + trail >= b - a {
            continue;
        }
        let (a, b) = (a + lead, b - trail);
        out.push(Coding {
            interview: interview.id.clone(),
            segment: s.id.clone(),
            start: a,
            end: b,
            code: String::new(),
            coder: String::new(),
            rule: None,
            codebook: None,
            matched: Vec::new(),
            quote: interview.text[chars[a]..chars[b]].to_owned(),
        });
    }
    out
}

const INTERVIEW: &[&str] = &[
    "interview",
    "interviewid",
    "document",
    "documentname",
    "doc",
    "file",
    "filename",
    "transcript",
    "source",
    "case",
    "entrevista",
    "documento",
    "archivo",
    "transcripcion",
];
const SEGMENT: &[&str] = &["segment", "segmentid", "segmento"];
const QUOTE: &[&str] = &[
    "quote",
    "quotation",
    "text",
    "segmenttext",
    "codedsegment",
    "excerpt",
    "selection",
    "passage",
    "content",
    "words",
    "highlight",
    "cita",
    "texto",
    "fragmento",
    "segmentocodificado",
];
const CODE: &[&str] = &[
    "code",
    "codes",
    "tag",
    "tags",
    "theme",
    "themes",
    "category",
    "categories",
    "codename",
    "codigo",
    "codigos",
    "categoria",
    "categorias",
    "etiqueta",
    "etiquetas",
    "tema",
    "temas",
];
const CODER: &[&str] = &[
    "coder",
    "codername",
    "user",
    "username",
    "annotator",
    "author",
    "createdby",
    "owner",
    "codificador",
    "codificadora",
    "usuario",
    "usuaria",
    "autor",
    "autora",
];

/// A header as compared: lower case letters and digits only, accents
/// dropped (`Código` → `codigo`).
fn header_key(s: &str) -> String {
    s.nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn find_column(
    path: &Path,
    header: &[String],
    wanted: Option<&str>,
    role: &str,
    names: &[&str],
) -> Result<Option<usize>> {
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    if let Some(w) = wanted.filter(|w| !w.trim().is_empty()) {
        let k = header_key(w);
        return match keys.iter().position(|h| *h == k) {
            Some(i) => Ok(Some(i)),
            None => Err(table_error(
                path,
                header,
                &format!("no column `{w}` for the {role}"),
                "check the spelling",
            )),
        };
    }
    Ok(names.iter().find_map(|n| keys.iter().position(|k| k == n)))
}

fn table_error(path: &Path, header: &[String], what: &str, hint: &str) -> Error {
    let shown: Vec<String> = header.iter().map(|h| format!("`{h}`")).collect();
    Error::Table {
        path: path.to_owned(),
        message: format!("{what}; the columns are {}\nhint: {hint}", shown.join(", ")),
    }
}

/// Interview ids by id, file name and file stem, ignoring case.
struct Resolver {
    ids: HashMap<String, String>,
}

impl Resolver {
    fn new(heads: &[InterviewHead]) -> Resolver {
        let mut ids = HashMap::new();
        for h in heads {
            ids.insert(h.id.to_lowercase(), h.id.clone());
        }
        for h in heads {
            let file = h.source.file_name.to_lowercase();
            let stem = Path::new(&file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            ids.entry(file).or_insert_with(|| h.id.clone());
            ids.entry(stem).or_insert_with(|| h.id.clone());
        }
        Resolver { ids }
    }

    fn resolve(&self, name: &str) -> Option<String> {
        let name = name.trim();
        let base = Path::new(name)
            .file_name()
            .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
        [
            name.to_lowercase(),
            base.to_lowercase(),
            id::slug(&base).to_lowercase(),
        ]
        .iter()
        .find_map(|k| self.ids.get(k).cloned())
    }
}

/// The codebook code a cell names: its id, or a label in any language,
/// ignoring case.
fn match_code(codebook: &Codebook, raw: &str) -> Option<String> {
    let lower = raw.to_lowercase();
    codebook
        .codes
        .iter()
        .find(|c| c.id == lower)
        .or_else(|| {
            codebook
                .codes
                .iter()
                .find(|c| c.labels.values().any(|l| l.to_lowercase() == lower))
        })
        .map(|c| c.id.clone())
}

/// A code id made of a foreign code's words: lower case, accents dropped,
/// letters and digits kept, other runs turned into `-`.
pub fn code_id(raw: &str) -> String {
    let mut out = String::new();
    for c in raw
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
    {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn shorten(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        flat
    } else {
        format!("{}…", flat.chars().take(n).collect::<String>())
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_owned()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

// ---------------------------------------------------------------------------
// Finding quotes

/// Text folded for finding quotes, with the way back to characters.
struct Folded {
    text: String,
    /// For each folded character: its byte offset in `text` and the
    /// original character it came from.
    map: Vec<(usize, usize)>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        for (i, c) in original.chars().enumerate() {
            if c.is_whitespace() {
                if !text.is_empty() && !text.ends_with(' ') {
                    map.push((text.len(), i));
                    text.push(' ');
                }
                continue;
            }
            let mut push = |f: char| {
                map.push((text.len(), i));
                text.push(f);
            };
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '´' => {
                    push('\'');
                }
                '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' | '«' | '»' => push('"'),
                '\u{2010}'..='\u{2015}' | '\u{2212}' => push('-'),
                '\u{2026}' => {
                    for _ in 0..3 {
                        push('.');
                    }
                }
                _ => c.to_lowercase().for_each(push),
            }
        }
        Folded { text, map }
    }

    /// Index in `map` of the folded character at byte `b`.
    fn at(&self, b: usize) -> usize {
        self.map.partition_point(|&(x, _)| x < b)
    }

    /// Finds `quote` within characters `lo..hi` of the original, first at
    /// or after folded byte `from`, else anywhere. Returns the original
    /// character span and the folded byte where it ends.
    fn find(
        &self,
        quote: &str,
        from: usize,
        lo: usize,
        hi: usize,
    ) -> Option<(usize, usize, usize)> {
        let nfc: String = quote.nfc().collect();
        let q = Folded::new(nfc.trim()).text;
        let q = q.trim();
        if q.is_empty() {
            return None;
        }
        let lo_byte = self
            .map
            .get(self.map.partition_point(|&(_, c)| c < lo))
            .map_or(self.text.len(), |m| m.0);
        let starts = [from.max(lo_byte), lo_byte];
        for start in starts {
            let mut at = start;
            while let Some(rel) = self.text.get(at..).and_then(|t| t.find(q)) {
                let b = at + rel;
                let first = self.at(b);
                let last = self.at(b + q.len()) - 1;
                let (s, e) = (self.map[first].1, self.map[last].1 + 1);
                if s >= lo && e <= hi {
                    return Some((s, e, b + q.len()));
                }
                if s >= hi {
                    break;
                }
                at = b + q.chars().next().map_or(1, char::len_utf8);
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------
// Reading tables

struct Table {
    header: Vec<String>,
    /// (line, cells)
    rows: Vec<(usize, Vec<String>)>,
}

fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_TABLE_BYTES {
        return Err(Error::Table {
            path: path.to_owned(),
            message: format!("{size} bytes is more than the {MAX_TABLE_BYTES} bytes voces reads"),
        });
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let table = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, sheet)?,
        _ => read_delimited(path, &std::fs::read(path).map_err(io)?)?,
    };
    if table.header.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::Table {
            path: path.to_owned(),
            message: "no header row".to_owned(),
        });
    }
    Ok(table)
}

fn read_delimited(path: &Path, bytes: &[u8]) -> Result<Table> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(Error::Table {
            path: path.to_owned(),
            message: "not a text table (binary data)".to_owned(),
        });
    }
    // UTF-8, else the Windows code page spreadsheets export in.
    let text = std::str::from_utf8(bytes).map_or_else(
        |_| encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
        str::to_owned,
    );
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| first.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets: the reader's own count lags behind
    // after a CRLF.
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |byte: usize| {
        let start = byte
            + text.as_bytes()[byte.min(text.len())..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        newlines.partition_point(|&n| n < start) + 1
    };
    let mut header = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::Table {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| line_of(p.byte() as usize));
        let cells: Vec<String> = record.iter().map(|c| c.nfc().collect()).collect();
        if header.is_none() {
            header = Some(cells);
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push((line, cells));
        }
    }
    Ok(Table {
        header: header.unwrap_or_default(),
        rows,
    })
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table> {
    use calamine::{Data, Reader};
    let bad = |message: String| Error::Table {
        path: path.to_owned(),
        message,
    };
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| bad(format!("cannot read the workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| {
                bad(format!(
                    "no sheet `{s}`; the sheets are {}",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| bad("the workbook has no sheet".to_owned()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| bad(format!("cannot read sheet `{name}`: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let text = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.nfc().collect(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            other => other.to_string(),
        }
    };
    let mut header = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(row.iter().map(text));
        if header.is_none() {
            // Exports may start with a title block: the header is the first
            // row with two cells or more.
            if cells.iter().filter(|c| !c.trim().is_empty()).count() < 2 {
                continue;
            }
            header = Some(cells);
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push((first_row + i + 1, cells));
        }
    }
    Ok(Table {
        header: header.unwrap_or_default(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_find_ignores_case_space_and_quote_marks() {
        let text =
            "P: We  crossed\nthe river. It’s “hard” — yes.\n\nP: We crossed the river again.";
        let f = Folded::new(text);
        let (s, e, next) = f.find("we crossed the RIVER", 0, 0, usize::MAX).unwrap();
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            "We  crossed\nthe river"
        );
        // The next occurrence comes after the previous one.
        let (s2, _, _) = f.find("we crossed the river", next, 0, usize::MAX).unwrap();
        assert!(s2 > s);
        // From past the last occurrence, it starts over.
        let (s3, _, _) = f
            .find("we crossed the river", f.text.len(), 0, usize::MAX)
            .unwrap();
        assert_eq!(s3, s);
        assert!(f.find("it's \"hard\" - yes", 0, 0, usize::MAX).is_some());
        assert!(f.find("not there", 0, 0, usize::MAX).is_none());
        assert!(f.find("   ", 0, 0, usize::MAX).is_none());
        // Limited to a range of characters.
        assert!(
            f.find("we crossed the river", 0, 45, usize::MAX)
                .is_some_and(|m| m.0 >= 45)
        );
        assert!(f.find("It’s", 0, 0, 10).is_none());
    }

    #[test]
    fn foreign_code_ids() {
        assert_eq!(code_id("Coming Out"), "coming-out");
        assert_eq!(
            code_id("Homophobia/Homophobic Attacks "),
            "homophobia-homophobic-attacks"
        );
        assert_eq!(code_id("Migración"), "migracion");
        assert_eq!(code_id("childhood"), "childhood");
        assert_eq!(code_id("¿?"), "");
    }

    #[test]
    fn headers() {
        let h: Vec<String> = ["timestamp", "Speaker", "Words", "Tags"]
            .map(String::from)
            .to_vec();
        let p = Path::new("x.csv");
        assert_eq!(find_column(p, &h, None, "quote", QUOTE).unwrap(), Some(2));
        assert_eq!(find_column(p, &h, None, "code", CODE).unwrap(), Some(3));
        assert_eq!(
            find_column(p, &h, None, "interview", INTERVIEW).unwrap(),
            None
        );
        assert_eq!(
            find_column(p, &h, Some("TAGS"), "code", CODE).unwrap(),
            Some(3)
        );
        let err = find_column(p, &h, Some("tag"), "code", CODE)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no column `tag` for the code"), "{err}");
    }
}

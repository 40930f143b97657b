//! Spreadsheet workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) through
//! calamine, with the checks that keep a hostile file from taking the
//! process down: unzipped sizes against the limit before anything is
//! inflated, laid-out sizes estimated before calamine lays sheets out
//! (`.ods`, `.xls`), `.xlsx` sheets streamed cell by cell, and any panic
//! inside calamine turned into an error.
//!
//! The format comes from the content, not the name: an `.xls` that is
//! really an `.xlsx` is read as one, with a warning.

use std::io::{Cursor, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};
use zip::ZipArchive;

use super::xls_guard::{self, Compound};
use super::{Cell, Grid, MAX_CELLS, MAX_COLUMNS, Row, Warnings, clean_text, ods_guard};
use crate::{Error, ReadOptions, Result};

/// What the bytes are, from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    /// A zip archive (`.xlsx`, `.xlsm`, `.ods`).
    Zip,
    /// A Compound File (`.xls`, or an encrypted `.xlsx`).
    Cfb,
    /// Anything else: text, or junk.
    Other,
}

/// The workbook formats calamine reads for us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Ods,
    Xls,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Xls => "xls",
        }
    }
}

/// Sniffs the content kind from the signature.
pub(super) fn sniff(bytes: &[u8]) -> Content {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Content::Zip
    } else if bytes.starts_with(&xls_guard::SIGNATURE) {
        Content::Cfb
    } else {
        Content::Other
    }
}

/// The error for a workbook name whose content is neither a zip archive
/// nor a compound file.
pub(super) fn not_a_workbook(path: &Path, bytes: &[u8], ext: &str) -> Error {
    let what = if ext == "xls" {
        "not an Excel 97-2003 workbook"
    } else {
        "not a zip archive"
    };
    let mut message = format!("not a valid .{ext} file ({what})");
    if bytes.is_empty() {
        message = format!("not a valid .{ext} file (the file is empty)");
    } else if let Ok(text) = crate::decode::decode(bytes) {
        let start: String = text.text.trim_start().chars().take(15).collect();
        let start = start.to_lowercase();
        if start.starts_with("<!doctype html") || start.starts_with("<html") {
            message.push_str(
                "\nhint: it is a web page saved under a spreadsheet name; open it in a spreadsheet program and save it as .xlsx or .csv",
            );
        } else {
            message
                .push_str("\nhint: it holds plain text; if it is a CSV export, rename it to .csv");
        }
    }
    Error::read(path, None, message)
}

/// Reads the first worksheet with data of a workbook into rows.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    ext: &str,
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Result<Grid> {
    let budget = options.max_unzipped_bytes;
    let limit_mib = budget / (1024 * 1024);
    let format = match sniff(bytes) {
        Content::Zip => {
            let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
                Error::read(
                    path,
                    None,
                    format!(
                        "not a valid .{ext} file (damaged zip archive: {})",
                        quoted(&e)
                    ),
                )
            })?;
            check_unzipped_size(path, &mut zip, budget)?;
            let format = zip_format(path, &mut zip)?;
            if format == Format::Ods {
                let estimate = ods_guard::estimate(&mut zip, budget).map_err(|m| {
                    Error::read(
                        path,
                        None,
                        format!("not a valid .ods file ({})", quoted(&m)),
                    )
                })?;
                if estimate > budget {
                    return Err(too_big(path, estimate, limit_mib, "zip bomb?"));
                }
            }
            format
        }
        Content::Cfb => match xls_guard::inspect(bytes) {
            Ok(Compound::Workbook(estimate)) if estimate > budget => {
                return Err(too_big(
                    path,
                    estimate,
                    limit_mib,
                    "a damaged or hostile file?",
                ));
            }
            Ok(Compound::Workbook(_)) => Format::Xls,
            Ok(Compound::Encrypted) => {
                return Err(Error::read(
                    path,
                    None,
                    "the workbook is password-protected; voces cannot read it\nhint: remove the password (in Excel: File > Info > Protect Workbook) and save it again",
                ));
            }
            Ok(Compound::Other) => {
                return Err(Error::read(
                    path,
                    None,
                    format!(
                        "not a valid .{ext} file (a Microsoft Office file, but not an Excel workbook)"
                    ),
                ));
            }
            Err(m) => {
                return Err(Error::read(
                    path,
                    None,
                    format!(
                        "not a valid .{ext} file (damaged Excel 97-2003 workbook: {})",
                        quoted(&m)
                    ),
                ));
            }
        },
        Content::Other => return Err(not_a_workbook(path, bytes, ext)),
    };
    let named = match ext {
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        "ods" => Some(Format::Ods),
        "xls" => Some(Format::Xls),
        _ => None,
    };
    if named != Some(format) {
        warnings.push(
            "format notes",
            None,
            format_args!(
                "the file is an .{} workbook despite its .{ext} name; read as .{}",
                format.ext(),
                format.ext()
            ),
        );
    }
    guarded(path, format, || match format {
        Format::Xlsx => read_xlsx(path, bytes, warnings),
        Format::Ods => {
            let workbook: Ods<_> =
                Ods::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, format, &e))?;
            read_ranges(path, format, workbook, warnings)
        }
        Format::Xls => {
            let workbook: Xls<_> =
                Xls::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, format, &e))?;
            read_ranges(path, format, workbook, warnings)
        }
    })
}

/// How to raise the limit on unpacked workbooks.
const LIMIT_HINT: &str =
    "hint: the limit is four times `max_file_mb` in voces.toml (at least 64 MiB)";

fn too_big(path: &Path, estimate: u64, limit_mib: u64, why: &str) -> Error {
    Error::read(
        path,
        None,
        format!(
            "the workbook would take about {} MiB of memory once laid out, past the {limit_mib} MiB limit ({why})\n{LIMIT_HINT}",
            estimate / (1024 * 1024)
        ),
    )
}

/// Refuses a zip whose entries, by their declared sizes, unzip to more than
/// `limit` bytes (the zip reader never inflates an entry past its declared
/// size).
fn check_unzipped_size<R: Read + Seek>(
    path: &Path,
    zip: &mut ZipArchive<R>,
    limit: u64,
) -> Result<()> {
    if zip.len() > crate::zipxml::MAX_ENTRIES {
        return Err(Error::read(
            path,
            None,
            format!(
                "not a valid workbook (the zip archive has {} entries, more than the {} voces reads)",
                zip.len(),
                crate::zipxml::MAX_ENTRIES
            ),
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| {
            Error::read(path, None, format!("damaged zip archive ({})", quoted(&e)))
        })?;
        total = total.saturating_add(entry.size());
        if total > limit {
            return Err(Error::read(
                path,
                None,
                format!(
                    "the workbook expands past the {} MiB limit (zip bomb?)\n{LIMIT_HINT}",
                    limit / (1024 * 1024)
                ),
            ));
        }
    }
    Ok(())
}

/// Which workbook a zip holds, from its entry names.
fn zip_format<R: Read + Seek>(path: &Path, zip: &mut ZipArchive<R>) -> Result<Format> {
    let has = |zip: &ZipArchive<R>, prefix: &str| {
        zip.file_names()
            .any(|n| n.is_ok_and(|n| n.starts_with(prefix)))
    };
    if has(zip, "xl/") {
        return Ok(Format::Xlsx);
    }
    let mut mimetype = String::new();
    if let Ok(entry) = zip.by_name("mimetype") {
        let _ = entry.take(128).read_to_string(&mut mimetype);
    }
    if mimetype.contains("opendocument.spreadsheet")
        || (mimetype.is_empty() && has(zip, "content.xml"))
    {
        return Ok(Format::Ods);
    }
    let what = if has(zip, "word/") {
        "a Word document"
    } else if has(zip, "ppt/") {
        "a PowerPoint presentation"
    } else if mimetype.contains("opendocument.text") {
        "an OpenDocument text"
    } else if !mimetype.is_empty() {
        "an OpenDocument file other than a spreadsheet"
    } else {
        "a zip archive"
    };
    Err(Error::read(
        path,
        None,
        format!("{what}, not a spreadsheet (.xlsx, .xls or .ods)"),
    ))
}

/// Runs calamine, turning a panic inside it into an error.
fn guarded<T>(path: &Path, format: Format, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::read(
            path,
            None,
            format!(
                "not a valid .{} file (the spreadsheet reader failed on it; the file is probably damaged)",
                format.ext()
            ),
        ))
    })
}

/// A reader's message on one line: calamine and the XML parser quote the
/// file, line breaks and all (found by the `xlsx_xml` fuzz target).
fn quoted(message: &dyn std::fmt::Display) -> String {
    crate::zipxml::quote(&message.to_string(), 240).into_owned()
}

fn calamine_error(path: &Path, format: Format, e: &dyn std::fmt::Display) -> Error {
    let text = e.to_string();
    let lower = text.to_lowercase();
    if lower.contains("password") {
        return Error::read(
            path,
            None,
            "the workbook is password-protected; voces cannot read it\nhint: remove the password (in Excel: File > Info > Protect Workbook) and save it again",
        );
    }
    let mut detail = text.trim_end_matches('.').to_owned();
    if let Some(first) = detail.get(..1) {
        detail = first.to_lowercase() + &detail[1..];
    }
    Error::read(
        path,
        None,
        format!("not a valid .{} file ({})", format.ext(), quoted(&detail)),
    )
}

/// Picks the first sheet with data: `read` reads a sheet whole, `has_data`
/// only tells whether one has any. Warns when more than one has data.
fn first_with_data(
    path: &Path,
    names: &[String],
    warnings: &mut Warnings,
    mut read: impl FnMut(&str) -> Result<Grid>,
    mut has_data: impl FnMut(&str) -> bool,
) -> Result<Grid> {
    let mut chosen: Option<(&str, Grid)> = None;
    let mut others = Vec::new();
    for name in names {
        if chosen.is_none() {
            let grid = read(name)?;
            if !grid.rows.is_empty() {
                chosen = Some((name, grid));
            }
        } else if has_data(name) {
            others.push(format!("\"{name}\""));
        }
    }
    let Some((name, grid)) = chosen else {
        let message = if names.is_empty() {
            "no data: the workbook has no worksheet"
        } else {
            "no data: every sheet is empty"
        };
        return Err(Error::read(path, None, message));
    };
    if !others.is_empty() {
        warnings.push(
            "format notes",
            None,
            format_args!(
                "{} sheets hold data; read the first, \"{name}\", and not {}",
                others.len() + 1,
                others.join(", ")
            ),
        );
    }
    Ok(grid)
}

/// Worksheet names, visible ones first, each group in workbook order.
fn worksheet_names<R: Read + Seek>(workbook: &impl Reader<R>) -> Vec<String> {
    let mut sheets: Vec<_> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| matches!(s.typ, SheetType::WorkSheet))
        .collect();
    sheets.sort_by_key(|s| !matches!(s.visible, SheetVisible::Visible));
    sheets.into_iter().map(|s| s.name.clone()).collect()
}

/// `.xlsx`: sheets streamed cell by cell, so that memory follows the cells
/// present, not the rectangle they span.
fn read_xlsx(path: &Path, bytes: &[u8], warnings: &mut Warnings) -> Result<Grid> {
    let format = Format::Xlsx;
    let workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, format, &e))?;
    let names = worksheet_names(&workbook);
    let workbook = std::cell::RefCell::new(workbook);
    let mut errors = 0usize;
    let grid = first_with_data(
        path,
        &names,
        warnings,
        |name| {
            errors = 0;
            let mut workbook = workbook.borrow_mut();
            let mut cells = workbook
                .worksheet_cells_reader(name)
                .map_err(|e| calamine_error(path, format, &e))?;
            let mut rows = Rows::new(path);
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| calamine_error(path, format, &e))?
            {
                let (row, col) = cell.get_position();
                if matches!(cell.get_value(), DataRef::Error(_)) {
                    errors += 1;
                }
                if let Some(value) = from_data_ref(cell.get_value()) {
                    rows.add(row, col, value)?;
                }
            }
            rows.finish()
        },
        |name| {
            let mut workbook = workbook.borrow_mut();
            let Ok(mut cells) = workbook.worksheet_cells_reader(name) else {
                return false;
            };
            while let Ok(Some(cell)) = cells.next_cell() {
                if from_data_ref(cell.get_value()).is_some() {
                    return true;
                }
            }
            false
        },
    )?;
    warn_errors(errors, warnings);
    Ok(grid)
}

/// `.ods` and `.xls`: calamine has already laid the sheets out (within the
/// estimate checked before).
fn read_ranges<R: Read + Seek, W: Reader<R>>(
    path: &Path,
    format: Format,
    mut workbook: W,
    warnings: &mut Warnings,
) -> Result<Grid>
where
    W::Error: std::fmt::Display,
{
    let names = worksheet_names(&workbook);
    let workbook = std::cell::RefCell::new(&mut workbook);
    let mut errors = 0usize;
    let grid = first_with_data(
        path,
        &names,
        warnings,
        |name| {
            errors = 0;
            let range = workbook
                .borrow_mut()
                .worksheet_range(name)
                .map_err(|e| calamine_error(path, format, &e))?;
            let (first_row, first_col) = range.start().unwrap_or((0, 0));
            let mut rows = Rows::new(path);
            for (r, c, data) in range.used_cells() {
                if matches!(data, Data::Error(_)) {
                    errors += 1;
                }
                if let Some(value) = from_data(data) {
                    let row = first_row.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
                    let col = first_col.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
                    rows.add(row, col, value)?;
                }
            }
            rows.finish()
        },
        |name| {
            workbook
                .borrow_mut()
                .worksheet_range(name)
                .is_ok_and(|range| range.used_cells().any(|(_, _, d)| from_data(d).is_some()))
        },
    )?;
    warn_errors(errors, warnings);
    Ok(grid)
}

fn warn_errors(errors: usize, warnings: &mut Warnings) {
    if errors > 0 {
        warnings.push(
            "format notes",
            None,
            format_args!(
                "{errors} cell{} with a formula error (#DIV/0!, #N/A...) read as empty",
                if errors == 1 { "" } else { "s" }
            ),
        );
    }
}

/// Gathers cells by row, whatever order they come in.
struct Rows<'p> {
    path: &'p Path,
    by_row: std::collections::BTreeMap<u32, Vec<(usize, Cell)>>,
    cells: usize,
}

impl<'p> Rows<'p> {
    fn new(path: &'p Path) -> Rows<'p> {
        Rows {
            path,
            by_row: std::collections::BTreeMap::new(),
            cells: 0,
        }
    }

    fn add(&mut self, row: u32, col: u32, cell: Cell) -> Result<()> {
        let line = row as usize + 1;
        let col = col as usize;
        if col >= MAX_COLUMNS {
            return Err(Error::read(
                self.path,
                Some(line),
                format!("a cell lies past column {MAX_COLUMNS}"),
            ));
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(Error::read(
                self.path,
                Some(line),
                format!("more than {MAX_CELLS} non-empty cells"),
            ));
        }
        self.by_row.entry(row).or_default().push((col, cell));
        Ok(())
    }

    fn finish(self) -> Result<Grid> {
        let mut grid = Grid::default();
        for (row, mut cells) in self.by_row {
            cells.sort_by_key(|(c, _)| *c);
            // A cell given twice: the last one wins.
            cells.reverse();
            cells.dedup_by_key(|(c, _)| *c);
            cells.reverse();
            grid.push(
                self.path,
                Row {
                    line: row as usize + 1,
                    cells,
                },
            )?;
        }
        Ok(grid)
    }
}

fn from_data(data: &Data) -> Option<Cell> {
    match data {
        Data::Int(i) => Some(int_cell(*i)),
        Data::Float(f) => f.is_finite().then_some(Cell::Number(*f)),
        Data::String(s) => clean_text(s).map(Cell::Text),
        Data::Bool(b) => Some(Cell::Bool(*b)),
        Data::DateTime(d) => Some(Cell::Date(excel_date(d))),
        Data::DateTimeIso(s) | Data::DurationIso(s) => clean_text(s).map(Cell::Date),
        Data::Error(_) | Data::Empty => None,
    }
}

fn from_data_ref(data: &DataRef<'_>) -> Option<Cell> {
    match data {
        DataRef::Int(i) => Some(int_cell(*i)),
        DataRef::Float(f) => f.is_finite().then_some(Cell::Number(*f)),
        DataRef::String(s) => clean_text(s).map(Cell::Text),
        DataRef::SharedString(s) => clean_text(s).map(Cell::Text),
        DataRef::Bool(b) => Some(Cell::Bool(*b)),
        DataRef::DateTime(d) => Some(Cell::Date(excel_date(d))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => clean_text(s).map(Cell::Date),
        DataRef::Error(_) | DataRef::Empty => None,
    }
}

/// Integers past 2^53 are not exact as numbers: they stay text.
fn int_cell(i: i64) -> Cell {
    if i.unsigned_abs() <= 1 << 53 {
        Cell::Number(i as f64)
    } else {
        Cell::Text(i.to_string())
    }
}

/// An Excel date as ISO 8601: `YYYY-MM-DD` when there is no time of day,
/// `HH:MM:SS` for a time alone, `YYYY-MM-DDTHH:MM:SS` otherwise; a
/// duration as `H:MM:SS`.
fn excel_date(d: &ExcelDateTime) -> String {
    let value = d.as_f64();
    if d.is_duration() {
        let total = (value.abs() * 86_400.0).round() as u64;
        let sign = if value < 0.0 { "-" } else { "" };
        return format!(
            "{sign}{}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        );
    }
    let (year, month, day, hour, minute, second, _) = d.to_ymd_hms_milli();
    let date = format!("{year:04}-{month:02}-{day:02}");
    let time = format!("{hour:02}:{minute:02}:{second:02}");
    if (0.0..1.0).contains(&value) {
        time
    } else if (hour, minute, second) == (0, 0, 0) {
        date
    } else {
        format!("{date}T{time}")
    }
}

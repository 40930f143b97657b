//! A cheap pass over an `.ods` spreadsheet's `content.xml` that
//! estimates the memory the spreadsheet reader will take, before it runs.
//!
//! The format compresses runs of equal cells and rows into one element
//! with a repeat count (`table:number-columns-repeated`,
//! `table:number-rows-repeated`) and runs of spaces into `<text:s
//! text:c="N"/>`. The reader (calamine) expands them all in memory, so a
//! few kilobytes of XML can ask for gigabytes. This pass follows the same
//! rules (repeats capped at 16,384 columns and 1,048,576 rows per table,
//! trailing empty cells and rows not laid out) and adds up, over every
//! table, the cells laid out twice (as read, then as a rectangle) and the
//! text they hold, erring on the high side.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

/// calamine's caps on an ODS table.
const MAX_COLUMNS: u64 = 16_384;
const MAX_ROWS: u64 = 1_048_576;

/// Bytes one laid-out cell takes: the value (`calamine::Data`) and its
/// formula (`String`).
const CELL_BYTES: u64 = 56;

#[derive(Debug, Default)]
struct Table {
    raw_cells: u64,
    text: u64,
    rows: u64,
    /// Rows up to the last non-empty one (repeats counted).
    span_rows: u64,
    width: u64,
}

impl Table {
    fn bytes(&self) -> u64 {
        self.raw_cells
            .saturating_add(self.span_rows.saturating_mul(self.width))
            .saturating_mul(CELL_BYTES)
            .saturating_add(self.text)
    }
}

#[derive(Debug, Default)]
struct RowState {
    repeats: u64,
    pushed: u64,
    pending_empty: u64,
    text: u64,
}

#[derive(Debug, Default)]
struct CellState {
    repeats: u64,
    non_empty: bool,
    text: u64,
}

/// Estimated bytes the spreadsheet reader will hold for the whole
/// workbook, stopping early once past `budget`. `Err` when `content.xml`
/// is not well-formed XML (the reader would fail on it too).
pub(super) fn estimate<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    budget: u64,
) -> Result<u64, String> {
    let Ok(file) = zip.by_name("content.xml") else {
        // The reader says what is missing.
        return Ok(0);
    };
    let mut reader = Reader::from_reader(BufReader::new(file));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;

    let mut total: u64 = 0;
    let mut largest: u64 = 0;
    let mut table: Option<Table> = None;
    let mut row: Option<RowState> = None;
    let mut cell: Option<CellState> = None;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("damaged content.xml ({e})"))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => table = Some(Table::default()),
                "table:table-row" => {
                    row = Some(RowState {
                        repeats: number_attr(&e, "table:number-rows-repeated").unwrap_or(1),
                        ..RowState::default()
                    });
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    cell = Some(start_cell(&e));
                }
                "text:s" => {
                    if let Some(c) = &mut cell {
                        let spaces = number_attr(&e, "text:c").unwrap_or(1);
                        c.text = c.text.saturating_add(spaces);
                    }
                }
                "text:p" | "text:tab" | "text:line-break" => {
                    if let Some(c) = &mut cell {
                        c.text = c.text.saturating_add(1);
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(c) = &mut cell {
                    c.text = c.text.saturating_add(t.len() as u64);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = &mut cell {
                    c.text = c.text.saturating_add(r.len() as u64 + 2);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let (Some(c), Some(r)) = (cell.take(), &mut row) {
                        end_cell(r, &c);
                    }
                }
                "table:table-row" => {
                    if let (Some(r), Some(t)) = (row.take(), &mut table) {
                        end_row(t, &r);
                        if total.saturating_add(t.bytes()) > budget {
                            return Ok(total.saturating_add(t.bytes()));
                        }
                    }
                }
                "table:table" => {
                    if let Some(t) = table.take() {
                        total = total.saturating_add(t.bytes());
                        largest = largest.max(t.bytes());
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    // Reading one sheet copies its table once more.
    Ok(total.saturating_add(largest))
}

fn start_cell(e: &BytesStart<'_>) -> CellState {
    let mut state = CellState {
        repeats: 1,
        ..CellState::default()
    };
    for attr in e.attributes().with_checks(false).flatten() {
        match attr.key.as_ref() {
            "table:number-columns-repeated" => {
                state.repeats = attr.value.trim().parse().unwrap_or(1);
            }
            "office:value-type" | "office:value" | "office:boolean-value" => {
                state.non_empty = true;
            }
            "office:string-value" | "office:date-value" | "office:time-value" | "table:formula" => {
                state.non_empty = true;
                state.text = state.text.saturating_add(attr.value.len() as u64);
            }
            _ => {}
        }
    }
    state
}

/// Mirrors calamine's `read_row`: empty cells are laid out only when a
/// non-empty one follows; a row holds at most [`MAX_COLUMNS`] cells.
fn end_cell(row: &mut RowState, cell: &CellState) {
    if cell.non_empty {
        let empties = row.pending_empty.min(MAX_COLUMNS - row.pushed);
        row.pushed += empties;
        row.pending_empty = 0;
        let repeats = cell.repeats.min(MAX_COLUMNS - row.pushed);
        row.pushed += repeats;
        row.text = row.text.saturating_add(cell.text.saturating_mul(repeats));
    } else {
        row.pending_empty = row.pending_empty.saturating_add(cell.repeats);
    }
}

/// Mirrors calamine's `read_table` and `get_range`: rows repeat up to
/// [`MAX_ROWS`] per table; the rectangle spans the rows up to the last
/// non-empty one, as wide as the widest row.
fn end_row(table: &mut Table, row: &RowState) {
    table.raw_cells = table.raw_cells.saturating_add(row.pushed);
    table.text = table.text.saturating_add(row.text);
    let repeats = row.repeats.min(MAX_ROWS - table.rows.min(MAX_ROWS));
    table.rows = table.rows.saturating_add(repeats);
    if row.pushed > 0 {
        table.width = table.width.max(row.pushed);
        table.span_rows = table.rows;
        table.text = table.text.saturating_add(row.text.saturating_mul(repeats));
    }
}

fn number_attr(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    let attr = e.try_get_attribute(name).ok()??;
    attr.value.trim().parse().ok()
}

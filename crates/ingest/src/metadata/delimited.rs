//! Delimited text sheets (`.csv`, `.tsv`): decoding, delimiter sniffing,
//! and records to rows.

use std::fmt::Write;
use std::path::Path;

use super::{Cell, Grid, MAX_COLUMNS, Row, Warnings, clean_text};
use crate::{Error, Result};

/// Delimiters tried, in order of preference on ties.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Records looked at to choose the delimiter.
const SNIFF_RECORDS: usize = 10;

/// Reads delimited text into rows; every cell is text.
pub(super) fn read(path: &Path, bytes: &[u8], ext: &str, warnings: &mut Warnings) -> Result<Grid> {
    let decoded = crate::decode::decode(bytes).map_err(|m| Error::read(path, None, m))?;
    let text = decoded.text;
    crate::decode::check_lines(&text)
        .map_err(|limit| Error::read(path, None, limit.to_string()))?;
    let delimiter = sniff(&text, ext == "tsv");
    let mut reader = reader(&text, delimiter);
    let mut grid = Grid::default();
    let mut header_fields = None;
    let mut record = csv::StringRecord::new();
    let mut last_start = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(Error::read(path, line, e.to_string()));
            }
        }
        let line = record.position().map_or(0, |p| {
            start_line(&text, p.byte() as usize, p.line() as usize)
        });
        last_start = record.position().map(|p| (p.byte() as usize, line));
        if record.len() > MAX_COLUMNS {
            return Err(Error::read(
                path,
                Some(line),
                format!(
                    "{} fields, more than the {MAX_COLUMNS} columns a sheet may have",
                    record.len()
                ),
            ));
        }
        let cells: Vec<(usize, Cell)> = record
            .iter()
            .enumerate()
            .filter_map(|(i, f)| clean_text(f).map(|t| (i, Cell::Text(t))))
            .collect();
        if cells.is_empty() {
            continue;
        }
        match header_fields {
            None => header_fields = Some(record.len()),
            Some(expected) => check_width(&record, expected, line, warnings),
        }
        grid.push(path, Row { line, cells })?;
    }
    if let Some((byte, line)) = last_start {
        check_unclosed_quote(&text, byte, line, warnings);
    }
    Ok(grid)
}

/// A quote never closed makes the parser read the rest of the file as one
/// cell of the last record: warn when the last record spans lines and holds
/// an odd number of quotes.
fn check_unclosed_quote(text: &str, byte: usize, line: usize, warnings: &mut Warnings) {
    let last = text
        .get(byte..)
        .unwrap_or_default()
        .trim_matches(['\r', '\n']);
    let lines = last.matches('\n').count();
    if lines > 0 && last.matches('"').count() % 2 == 1 {
        warnings.push(
            "quoting problems",
            Some(line),
            format_args!(
                "a quote opened here is never closed, so the {lines} lines after it were read as one cell"
            ),
        );
    }
}

/// The 1-based line a record starts on. The parser reports where its read
/// began, which is before the blank lines it skipped (and, with CRLF
/// endings, before the previous record's `\n`): skip those.
fn start_line(text: &str, byte: usize, line: usize) -> usize {
    let skipped = text
        .as_bytes()
        .get(byte..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    line + skipped
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Warns about a record with fewer fields than the header, or with
/// non-empty fields past the header's last.
fn check_width(record: &csv::StringRecord, expected: usize, line: usize, warnings: &mut Warnings) {
    let found = record.len();
    let extra_values = record.iter().skip(expected).any(|f| !f.trim().is_empty());
    if found >= expected && !extra_values {
        return;
    }
    let mut message = format!("{found} fields where the header has {expected}");
    let newlines: usize = record.iter().map(|f| f.matches('\n').count()).sum();
    if newlines > 0 {
        let _ = write!(
            message,
            " (a quoted field runs on to line {}; is a closing quote missing?)",
            line + newlines
        );
    }
    warnings.push("rows of the wrong width", Some(line), message);
}

/// The delimiter among `,` `;` tab `|` that splits the first records most
/// consistently: the one for which most records have as many fields as the
/// first (and it more than one), then the one giving more fields. Quotes
/// are respected, since the sniffing reads records with the CSV parser
/// itself. Tab comes first on ties for `.tsv` files; `,` when nothing
/// splits (a one-column sheet).
fn sniff(text: &str, tsv: bool) -> u8 {
    let mut order = DELIMITERS;
    if tsv {
        order = [b'\t', b',', b';', b'|'];
    }
    let mut best: Option<((usize, usize), u8)> = None;
    for d in order {
        let mut record = csv::StringRecord::new();
        let mut reader = reader(text, d);
        let mut counts = Vec::with_capacity(SNIFF_RECORDS);
        while counts.len() < SNIFF_RECORDS {
            match reader.read_record(&mut record) {
                Ok(true) if record.iter().all(|f| f.trim().is_empty()) => {}
                Ok(true) => counts.push(record.len()),
                Ok(false) | Err(_) => break,
            }
        }
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == header).count();
        let score = (agreeing, header);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, d));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff("id,name\nP1,Ana\n", false), b',');
        assert_eq!(
            sniff(
                "id;name;camps\r\nP1;Ana;Dachau, Auschwitz\r\nP2;Bo;null\r\n",
                false
            ),
            b';'
        );
        assert_eq!(sniff("id\tname\nP1\tAna, María\n", false), b'\t');
        assert_eq!(sniff("id|name\nP1|Ana\n", false), b'|');
        // Commas inside quotes do not count.
        assert_eq!(
            sniff(
                "id;place\nP1;\"Genève, Switzerland\"\nP2;\"a, b, c\"\n",
                false
            ),
            b';'
        );
        assert_eq!(sniff("id,place\nP1,\"a;b;c\"\nP2,\"x;y\"\n", false), b',');
        // One column: nothing splits.
        assert_eq!(sniff("id\nP1\nP2\n", false), b',');
        // A tab-separated file wins ties for tab.
        assert_eq!(sniff("a\tb,c\n1\t2,3\n", true), b'\t');
    }
}

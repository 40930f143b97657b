//! From a grid of cells to a keyed, typed table: header names, the key
//! column, rows with empty or repeated keys, and column types. Shared by
//! every sheet format.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use voces_corpus::{AttrValue, Column, Participant};

use super::{Cell, Grid, MAX_COLUMNS, MAX_HEADER_CHARS, Row, Warnings};
use crate::{Error, Result};

/// Header names (compared lower case, without `_`, `-` and spaces) that mark
/// the key column when the caller names none; the first column whose header
/// is one of these wins.
const KEY_NAMES: &[&str] = &[
    "id",
    "interview",
    "interviewid",
    "file",
    "filename",
    "fileid",
    "transcript",
    "transcriptid",
    "participant",
    "participantid",
    "case",
    "caseid",
    "textid",
    "docid",
    "documentid",
    "documentsid",
    "entrevista",
    "identrevista",
    "archivo",
    "participante",
    "idparticipante",
    "caso",
    "idcaso",
];

/// Columns listed in the error for an unknown key before the rest are
/// counted.
const MAX_LISTED_COLUMNS: usize = 40;

/// The parts of a [`voces_corpus::MetadataTable`] that come from the cells.
#[derive(Debug)]
pub(super) struct Built {
    pub key: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Participant>,
}

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Number,
    Text,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::Text => "string",
        }
    }
}

/// Builds the table from `grid`, whose first row is the header.
pub(super) fn build(
    path: &Path,
    grid: Grid,
    key: Option<&str>,
    warnings: &mut Warnings,
) -> Result<Built> {
    let mut rows = grid.rows.into_iter();
    let Some(header) = rows.next() else {
        return Err(Error::read(path, None, "no data: the sheet is empty"));
    };
    let data: Vec<Row> = rows.collect();
    if data.is_empty() {
        return Err(Error::read(
            path,
            Some(header.line),
            "no data rows, only a header",
        ));
    }

    // Columns that hold something, header or data; wholly empty ones (a
    // spreadsheet's leading or separating blank columns) are dropped.
    let used: BTreeSet<usize> = header
        .cells
        .iter()
        .chain(data.iter().flat_map(|r| r.cells.iter()))
        .map(|(c, _)| *c)
        .collect();
    if used.len() > MAX_COLUMNS {
        return Err(Error::read(
            path,
            None,
            format!("more than {MAX_COLUMNS} columns"),
        ));
    }
    let cols: Vec<usize> = used.into_iter().collect();
    let position: HashMap<usize, usize> = cols.iter().enumerate().map(|(i, &c)| (c, i)).collect();

    let names = header_names(&header, &cols, warnings);
    let key_index = choose_key(path, &names, key, warnings)?;
    let key_col = cols[key_index];

    // Rows with a key, first of each key kept.
    let mut first_line: HashMap<String, (usize, String)> = HashMap::new();
    let mut kept: Vec<(String, Row)> = Vec::with_capacity(data.len());
    for row in data {
        let id = row
            .cells
            .iter()
            .find(|(c, _)| *c == key_col)
            .map(|(_, cell)| cell_text(cell));
        let Some(id) = id else {
            warnings.push(
                "rows with an empty key",
                Some(row.line),
                format_args!(
                    "no value in the key column \"{}\"; row skipped",
                    names[key_index]
                ),
            );
            continue;
        };
        if let Some((line, first_id)) = first_line.get(&id.to_lowercase()) {
            let as_written = if *first_id == id {
                String::new()
            } else {
                format!(", as \"{first_id}\"")
            };
            warnings.push(
                "duplicate ids",
                Some(row.line),
                format_args!(
                    "duplicate id \"{id}\" (first on line {line}{as_written}); row skipped"
                ),
            );
        } else {
            first_line.insert(id.to_lowercase(), (row.line, id.clone()));
            kept.push((id, row));
        }
    }
    if kept.is_empty() {
        return Err(Error::read(
            path,
            None,
            format!(
                "no rows with a value in the key column \"{}\"",
                names[key_index]
            ),
        ));
    }

    let kinds = infer_kinds(&kept, &position, cols.len());
    let columns = names
        .iter()
        .zip(&kinds)
        .map(|(name, kind)| Column {
            name: name.clone(),
            kind: kind.name().to_owned(),
        })
        .collect();
    let rows = kept
        .into_iter()
        .map(|(id, row)| Participant {
            id,
            line: row.line,
            attributes: row
                .cells
                .into_iter()
                .filter(|(c, _)| *c != key_col)
                .filter_map(|(c, cell)| {
                    let i = position[&c];
                    Some((names[i].clone(), typed(cell, kinds[i])?))
                })
                .collect(),
        })
        .collect();
    Ok(Built {
        key: names[key_index].clone(),
        columns,
        rows,
    })
}

/// Column names from the header row: whitespace collapsed, long ones cut,
/// empty ones `column_N` (N the 1-based column in the sheet), repeated ones
/// (ignoring case) suffixed `_2`, `_3`...
fn header_names(header: &Row, cols: &[usize], warnings: &mut Warnings) -> Vec<String> {
    let texts: HashMap<usize, String> = header
        .cells
        .iter()
        .map(|(c, cell)| (*c, cell_text(cell)))
        .collect();
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut names = Vec::with_capacity(cols.len());
    for &c in cols {
        let number = c + 1;
        let mut name = texts
            .get(&c)
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        if name.chars().count() > MAX_HEADER_CHARS {
            name = name.chars().take(MAX_HEADER_CHARS).collect();
            warnings.push(
                "header problems",
                Some(header.line),
                format_args!(
                    "header of column {number} is longer than {MAX_HEADER_CHARS} characters; cut"
                ),
            );
        }
        if name.is_empty() {
            name = format!("column_{number}");
            warnings.push(
                "header problems",
                Some(header.line),
                format_args!("column {number} has no header; named \"{name}\""),
            );
        }
        if let Some(&first) = taken.get(&name.to_lowercase()) {
            let mut n = 2;
            let unique = loop {
                let candidate = format!("{name}_{n}");
                if !taken.contains_key(&candidate.to_lowercase()) {
                    break candidate;
                }
                n += 1;
            };
            warnings.push(
                "header problems",
                Some(header.line),
                format_args!(
                    "columns {first} and {number} are both named \"{name}\"; column {number} is named \"{unique}\""
                ),
            );
            name = unique;
        }
        taken.insert(name.to_lowercase(), number);
        names.push(name);
    }
    names
}

/// Index (into `names`) of the key column.
fn choose_key(
    path: &Path,
    names: &[String],
    key: Option<&str>,
    warnings: &mut Warnings,
) -> Result<usize> {
    if let Some(wanted) = key.map(str::trim).filter(|k| !k.is_empty()) {
        use unicode_normalization::UnicodeNormalization;
        let wanted: String = wanted.nfc().collect();
        let wanted = wanted.as_str();
        let lower = wanted.to_lowercase();
        let squeezed = squeeze(wanted);
        return names
            .iter()
            .position(|n| n.to_lowercase() == lower)
            .or_else(|| names.iter().position(|n| squeeze(n) == squeezed))
            .ok_or_else(|| {
                let mut listed = names
                    .iter()
                    .take(MAX_LISTED_COLUMNS)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                if names.len() > MAX_LISTED_COLUMNS {
                    use std::fmt::Write;
                    let _ = write!(listed, " and {} more", names.len() - MAX_LISTED_COLUMNS);
                }
                Error::read(
                    path,
                    None,
                    format!("no column named \"{wanted}\"; columns are: {listed}"),
                )
            });
    }
    if let Some(i) = names
        .iter()
        .position(|n| KEY_NAMES.contains(&squeeze(n).as_str()))
    {
        return Ok(i);
    }
    if names.len() > 1 {
        warnings.push(
            "key problems",
            None,
            format_args!(
                "no column is named like an id (id, interview, file, participant, entrevista...); rows join interviews by the first column, \"{}\"",
                names[0]
            ),
        );
    }
    Ok(0)
}

/// Lower case without `_`, `-` and whitespace.
fn squeeze(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Each column's type over the kept rows.
fn infer_kinds(rows: &[(String, Row)], position: &HashMap<usize, usize>, n: usize) -> Vec<Kind> {
    // Per column: could still be boolean, could still be a number.
    let mut could = vec![(true, true); n];
    for (_, row) in rows {
        for (c, cell) in &row.cells {
            let (bool_ok, number_ok) = &mut could[position[c]];
            match cell {
                Cell::Bool(_) => *number_ok = false,
                Cell::Number(_) => *bool_ok = false,
                Cell::Date(_) => (*bool_ok, *number_ok) = (false, false),
                Cell::Text(s) => {
                    *bool_ok = *bool_ok && parse_bool(s).is_some();
                    *number_ok = *number_ok && parse_number(s).is_some();
                }
            }
        }
    }
    could
        .into_iter()
        .map(|(bool_ok, number_ok)| match (bool_ok, number_ok) {
            // A column with no value at all stays text.
            (true, true) | (false, false) => Kind::Text,
            (true, false) => Kind::Bool,
            (false, true) => Kind::Number,
        })
        .collect()
}

/// The cell as a value of its column's type.
fn typed(cell: Cell, kind: Kind) -> Option<AttrValue> {
    Some(match (kind, cell) {
        (Kind::Bool, Cell::Bool(b)) => AttrValue::Bool(b),
        (Kind::Bool, Cell::Text(s)) => AttrValue::Bool(parse_bool(&s)?),
        (Kind::Number, Cell::Number(n)) => AttrValue::Number(n),
        (Kind::Number, Cell::Text(s)) => AttrValue::Number(parse_number(&s)?),
        (_, cell) => AttrValue::Text(cell_text(&cell)),
    })
}

/// The cell as text: what it says, numbers without a needless `.0`.
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) | Cell::Date(s) => s.clone(),
        Cell::Number(n) => AttrValue::Number(*n).to_text(),
        Cell::Bool(b) => b.to_string(),
    }
}

/// `true`/`yes`/`sí`/`si`/`verdadero` or `false`/`no`/`falso`, any case.
fn parse_bool(s: &str) -> Option<bool> {
    if s.len() > 9 {
        return None;
    }
    match s.to_lowercase().as_str() {
        "true" | "yes" | "sí" | "si" | "verdadero" => Some(true),
        "false" | "no" | "falso" => Some(false),
        _ => None,
    }
}

/// A plain decimal number: `-`?, digits without a leading zero (`0` alone
/// is fine), then `.` and digits optionally. At most 15 integer digits, so
/// that the value is exact; long digit strings are codes, kept as text.
fn parse_number(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || int.len() > 15 || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    if frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for ok in ["0", "7", "-3", "42.5", "0.25", "-0.5", "123456789012345"] {
            assert!(parse_number(ok).is_some(), "{ok}");
        }
        for no in [
            "007",
            "00",
            "1,5",
            "1.000,5",
            "1 000",
            "+5",
            ".5",
            "5.",
            "1e5",
            "NaN",
            "inf",
            "0x1F",
            "1234567890123456",
            "",
            "-",
            "12a",
        ] {
            assert_eq!(parse_number(no), None, "{no}");
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("Sí"), Some(true));
        assert_eq!(parse_bool("SI"), Some(true));
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool("FALSO"), Some(false));
        assert_eq!(parse_bool("no"), Some(false));
        assert_eq!(parse_bool("0"), None);
        assert_eq!(parse_bool("1"), None);
        assert_eq!(parse_bool("nope"), None);
    }

    #[test]
    fn key_names_ignore_case_and_separators() {
        assert_eq!(squeeze("Interview ID"), "interviewid");
        assert_eq!(squeeze("file-name"), "filename");
        assert_eq!(squeeze(" Participant_Id "), "participantid");
    }
}

//! CSV: the fixed columns, then one column per attribute (sorted by name).

use std::io::Write;

use super::{COLUMNS, Cell, Excerpts, attribute_header};

/// The UTF-8 byte order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes a header row and one row per excerpt; fields holding a comma, a
/// quote or a line break are quoted. Missing values are empty fields.
pub(super) fn write(excerpts: &Excerpts, bom: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    if bom {
        out.write_all(BOM)?;
    }
    let names = excerpts.attribute_names();
    let mut w = csv::Writer::from_writer(&mut out);
    let header = COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(names.iter().map(|n| attribute_header(n)));
    w.write_record(header)?;
    let mut record: Vec<String> = Vec::with_capacity(COLUMNS.len() + names.len());
    for row in &excerpts.rows {
        record.clear();
        record.extend(row.cells().iter().map(|c| match c {
            Cell::Text(t) => (*t).to_owned(),
            Cell::Number(n) => n.to_string(),
        }));
        record.extend(names.iter().map(|n| {
            row.attributes
                .get(n)
                .map(voces_corpus::AttrValue::to_text)
                .unwrap_or_default()
        }));
        w.write_record(&record)?;
    }
    w.flush()?;
    drop(w);
    out.flush()
}

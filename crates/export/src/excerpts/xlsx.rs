//! XLSX: an `Excerpts` sheet (the CSV's columns), a `Codebook` sheet and a
//! `Crosstab` sheet (coded segments per code and attribute value), laid out
//! for a person: bold frozen header rows, column widths, wrapped quotes,
//! an autofilter, typed numbers.

use std::collections::{BTreeSet, HashMap};

use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use voces_code::tally::{NO_VALUE, code_order, with_ancestors};
use voces_code::{Codebook, Rule};
use voces_corpus::AttrValue;

use super::{COLUMNS, Cell, Excerpt, Excerpts, WriteOptions, attribute_header, code_path};
use crate::{Error, Result};

/// Most characters Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Rows of a worksheet.
const MAX_ROWS: usize = 1_048_576;

/// Most values an attribute chosen for the crosstab by default has.
const MAX_CROSSTAB_VALUES: usize = 12;

/// Most attributes chosen for the crosstab by default.
const MAX_CROSSTAB_DEFAULT: usize = 6;

/// The cell formats.
struct Formats {
    header: Format,
    top: Format,
    wrap: Format,
    note: Format,
    indent: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        let top = Format::new().set_align(FormatAlign::Top);
        Formats {
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0x00DD_E4EE))
                .set_border_bottom(FormatBorder::Thin),
            wrap: top.clone().set_text_wrap(),
            note: Format::new().set_italic(),
            indent: (0..6u8).map(|i| top.clone().set_indent(i)).collect(),
            top,
        }
    }
}

/// The workbook, as the bytes of an `.xlsx` file.
pub(super) fn workbook(excerpts: &Excerpts, options: &WriteOptions<'_>) -> Result<Vec<u8>> {
    if excerpts.rows.len() >= MAX_ROWS {
        return Err(Error::User(format!(
            "{} excerpts do not fit in one XLSX sheet (at most {})\nhint: narrow them with --code or --where, or use --format csv",
            excerpts.rows.len(),
            MAX_ROWS - 1
        )));
    }
    let by = crosstab_attributes(excerpts, options.crosstab_by)?;
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title("Coded excerpts")
            .set_comment("Written by voces excerpts"),
    );
    excerpts_sheet(book.add_worksheet(), excerpts, &formats)?;
    codebook_sheet(
        book.add_worksheet(),
        excerpts,
        options.codebook,
        options.redactor,
        &formats,
    )?;
    crosstab_sheet(
        book.add_worksheet(),
        excerpts,
        options.codebook,
        &by,
        &formats,
    )?;
    Ok(book.save_to_buffer()?)
}

/// Text cut to what a cell holds, saying how much was cut.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    let n = text.chars().count();
    if n <= MAX_CELL_CHARS {
        return text.into();
    }
    let mark = format!(" … [cut: {n} characters]");
    let keep = MAX_CELL_CHARS - mark.chars().count();
    format!("{}{mark}", text.chars().take(keep).collect::<String>()).into()
}

fn header_row(sheet: &mut Worksheet, row: u32, names: &[String], f: &Formats) -> Result<()> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, name, &f.header)?;
    }
    Ok(())
}

fn excerpts_sheet(sheet: &mut Worksheet, excerpts: &Excerpts, f: &Formats) -> Result<()> {
    sheet.set_name("Excerpts")?;
    let names = excerpts.attribute_names();
    let mut header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.extend(names.iter().map(|n| attribute_header(n)));
    header_row(sheet, 0, &header, f)?;
    let wrapped = |col: usize| matches!(COLUMNS.get(col), Some(&("quote" | "before" | "after")));
    // Cells take their column's format (cheaper than a format per cell).
    for col in 0..header.len() {
        let format = if wrapped(col) { &f.wrap } else { &f.top };
        sheet.set_column_format(col as u16, format)?;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count() + 3).collect();
    for (i, row) in excerpts.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.cells().iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c, fit(t))?;
                    if !wrapped(col) {
                        widths[col] = widths[col].max(t.chars().count() + 1);
                    }
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                    widths[col] = widths[col].max(n.to_string().len() + 1);
                }
            }
        }
        for (j, name) in names.iter().enumerate() {
            let col = COLUMNS.len() + j;
            let c = col as u16;
            match row.attributes.get(name) {
                Some(AttrValue::Number(n)) => {
                    sheet.write_number(r, c, *n)?;
                }
                Some(AttrValue::Bool(b)) => {
                    sheet.write_boolean(r, c, *b)?;
                }
                Some(AttrValue::Text(t)) => {
                    sheet.write_string(r, c, fit(t))?;
                }
                None => {}
            }
            if let Some(v) = row.attributes.get(name) {
                widths[col] = widths[col].max(v.to_text().chars().count() + 1);
            }
        }
    }
    // The widest cell up to a cap; the quote and its context wrap at a
    // fixed width.
    for (col, w) in widths.iter().enumerate() {
        let width = match COLUMNS.get(col) {
            Some(&"quote") => 80.0,
            Some(&("before" | "after")) => 36.0,
            Some(&"code_path") => (*w as f64).min(50.0),
            _ => (*w as f64).min(30.0),
        };
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, excerpts.rows.len() as u32, (header.len() - 1) as u16)?;
    Ok(())
}

fn codebook_sheet(
    sheet: &mut Worksheet,
    excerpts: &Excerpts,
    codebook: Option<&Codebook>,
    redactor: Option<&voces_redact::Redactor>,
    f: &Formats,
) -> Result<()> {
    sheet.set_name("Codebook")?;
    let languages: Vec<String> = codebook.map(|b| b.languages.clone()).unwrap_or_default();
    let mut header: Vec<String> = vec!["code".into(), "parent".into(), "path".into()];
    header.extend(languages.iter().map(|l| format!("label_{l}")));
    header.extend(languages.iter().map(|l| format!("definition_{l}")));
    header.extend(["colour".into(), "rules".into(), "excerpts".into()]);
    header_row(sheet, 0, &header, f)?;

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in &excerpts.rows {
        *counts.entry(r.code.as_str()).or_default() += 1;
    }
    let order = code_order(codebook, counts.keys().copied());
    for (i, (code, depth)) in order.iter().enumerate() {
        let r = i as u32 + 1;
        let entry = codebook.and_then(|b| b.code(code));
        let mut col = 0u16;
        let mut text = |sheet: &mut Worksheet, value: &str, format: &Format| -> Result<()> {
            sheet.write_string_with_format(r, col, fit(value), format)?;
            col += 1;
            Ok(())
        };
        text(sheet, code, &f.indent[(*depth).min(5)])?;
        text(
            sheet,
            entry.and_then(|c| c.parent.as_deref()).unwrap_or_default(),
            &f.top,
        )?;
        text(sheet, &code_path(codebook, code).0, &f.wrap)?;
        for l in &languages {
            let label = entry
                .and_then(|c| c.labels.get(l))
                .map_or("", String::as_str);
            text(sheet, label, &f.wrap)?;
        }
        for l in &languages {
            let definition = entry
                .and_then(|c| c.definition.get(l))
                .map_or("", String::as_str);
            text(sheet, definition, &f.wrap)?;
        }
        let colour = entry.and_then(|c| c.color.as_deref());
        let swatch = colour
            .and_then(|c| u32::from_str_radix(c.trim_start_matches('#'), 16).ok())
            .map(|rgb| f.top.clone().set_background_color(Color::RGB(rgb)));
        text(
            sheet,
            colour.unwrap_or_default(),
            swatch.as_ref().unwrap_or(&f.top),
        )?;
        let rules: Vec<String> = entry
            .map(|c| c.rules.iter().map(rule_summary).collect())
            .unwrap_or_default();
        let rules = rules.join("\n");
        let rules = redactor.map_or(rules.clone(), |r| r.redact_value(&rules));
        text(sheet, &rules, &f.wrap)?;
        sheet.write_number_with_format(
            r,
            col,
            counts.get(code.as_str()).copied().unwrap_or(0) as f64,
            &f.top,
        )?;
    }
    let mut widths = vec![30.0, 22.0, 40.0];
    widths.extend(languages.iter().map(|_| 28.0));
    widths.extend(languages.iter().map(|_| 50.0));
    widths.extend([10.0, 60.0, 10.0]);
    for (col, w) in widths.into_iter().enumerate() {
        sheet.set_column_width(col as u16, w)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.autofilter(0, 0, order.len() as u32, (header.len() - 1) as u16)?;
    Ok(())
}

/// One line per rule: `id (lang): what it matches`.
fn rule_summary(rule: &Rule) -> String {
    let mut parts: Vec<String> = rule.terms.clone();
    parts.extend(rule.phrases.iter().map(|p| format!("\"{p}\"")));
    if let Some(near) = &rule.near {
        parts.push(format!(
            "({}) within {} of ({})",
            near.a.join(" | "),
            near.within,
            near.b.join(" | ")
        ));
    }
    parts.extend(rule.regex.iter().map(|r| format!("/{}/", r.as_str())));
    let mut line = format!("{}: {}", rule.id, parts.join(", "));
    if !rule.not.is_empty() {
        line.push_str("; not ");
        line.push_str(&rule.not.join(", "));
    }
    line
}

/// The first excerpt of each interview (the rows are sorted by interview).
fn interviews(excerpts: &Excerpts) -> Vec<&Excerpt> {
    let mut out: Vec<&Excerpt> = excerpts.rows.iter().collect();
    out.dedup_by(|a, b| a.interview == b.interview);
    out
}

/// The attributes of the crosstab: those asked for (checked), else the
/// grouping ones (see [`WriteOptions::crosstab_by`]): text or boolean, set
/// for at least half of the interviews, with 2 to 12 values (a missing
/// value counting as one) and at most half as many values as interviews;
/// the [`MAX_CROSSTAB_DEFAULT`] set for most interviews, by name.
fn crosstab_attributes(excerpts: &Excerpts, given: &[String]) -> Result<Vec<String>> {
    let names = excerpts.attribute_names();
    if !given.is_empty() {
        return given
            .iter()
            .map(|g| {
                names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(g.trim()))
                    .cloned()
                    .ok_or_else(|| {
                        Error::User(if names.is_empty() {
                            format!("unknown attribute `{g}` for the crosstab: the excerpts' interviews have no attributes")
                        } else {
                            format!(
                                "unknown attribute `{g}` for the crosstab; attributes are: {}",
                                names.join(", ")
                            )
                        })
                    })
            })
            .collect();
    }
    let interviews = interviews(excerpts);
    let n = interviews.len();
    let mut chosen: Vec<(usize, String)> = names
        .into_iter()
        .filter_map(|name| {
            let mut values: BTreeSet<String> = BTreeSet::new();
            let mut set = 0;
            for r in &interviews {
                match r.attributes.get(&name) {
                    Some(AttrValue::Number(_)) => return None,
                    Some(v) => {
                        set += 1;
                        values.insert(v.to_text());
                    }
                    None => {}
                }
            }
            let count = values.len() + usize::from(set < n);
            let groups = (2..=MAX_CROSSTAB_VALUES).contains(&count) && count * 2 <= n;
            (groups && set * 2 >= n).then_some((set, name))
        })
        .collect();
    chosen.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    chosen.truncate(MAX_CROSSTAB_DEFAULT);
    let mut names: Vec<String> = chosen.into_iter().map(|(_, n)| n).collect();
    names.sort();
    Ok(names)
}

fn crosstab_sheet(
    sheet: &mut Worksheet,
    excerpts: &Excerpts,
    codebook: Option<&Codebook>,
    by: &[String],
    f: &Formats,
) -> Result<()> {
    sheet.set_name("Crosstab")?;
    let value_of = |r: &Excerpt, name: &str| -> String {
        r.attributes
            .get(name)
            .map_or_else(|| NO_VALUE.to_owned(), AttrValue::to_text)
    };
    // Each attribute's values, sorted, a missing value last.
    let interviews = interviews(excerpts);
    let values: Vec<Vec<String>> = by
        .iter()
        .map(|name| {
            let set: BTreeSet<String> = interviews.iter().map(|r| value_of(r, name)).collect();
            let mut v: Vec<String> = set.into_iter().collect();
            v.sort_by_key(|x| x == NO_VALUE);
            v
        })
        .collect();
    // The column of each (attribute, value), after code, label and all.
    let mut column: HashMap<(usize, &str), usize> = HashMap::new();
    let mut width = 3;
    for (a, vs) in values.iter().enumerate() {
        for v in vs {
            column.insert((a, v.as_str()), width);
            width += 1;
        }
    }

    // Rows: any code, then the codes in codebook order. Each segment once,
    // with its columns; each row's segments, those of its code and the
    // codes below it.
    let codes: BTreeSet<&str> = excerpts.rows.iter().map(|r| r.code.as_str()).collect();
    let order = code_order(codebook, codes.iter().copied());
    let row_of: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.as_str(), i + 1))
        .collect();
    let mut rows_of_code: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut segment_index: HashMap<&str, usize> = HashMap::new();
    let mut segment_columns: Vec<Vec<usize>> = Vec::new();
    let mut segments_of_row: Vec<Vec<usize>> = vec![Vec::new(); order.len() + 1];
    for r in &excerpts.rows {
        let s = *segment_index.entry(r.segment.as_str()).or_insert_with(|| {
            let cols = by
                .iter()
                .enumerate()
                .filter_map(|(a, name)| column.get(&(a, value_of(r, name).as_str())).copied())
                .collect();
            segment_columns.push(cols);
            segment_columns.len() - 1
        });
        let rows = rows_of_code.entry(r.code.as_str()).or_insert_with(|| {
            let mut rows = vec![0];
            rows.extend(
                with_ancestors(codebook, &r.code)
                    .iter()
                    .filter_map(|c| row_of.get(c.as_str()).copied()),
            );
            rows
        });
        for &row in rows.iter() {
            segments_of_row[row].push(s);
        }
    }
    let mut cells: Vec<Vec<usize>> = vec![vec![0; width]; order.len() + 1];
    for (row, segments) in segments_of_row.iter_mut().enumerate() {
        segments.sort_unstable();
        segments.dedup();
        for &s in segments.iter() {
            cells[row][2] += 1;
            for &col in &segment_columns[s] {
                cells[row][col] += 1;
            }
        }
    }

    // Two header rows: attribute names over their values, then the values.
    for (a, name) in by.iter().enumerate() {
        let first = column[&(a, values[a][0].as_str())] as u16;
        let last = first + values[a].len() as u16 - 1;
        if first == last {
            sheet.write_string_with_format(0, first, name, &f.header)?;
        } else {
            sheet.merge_range(
                0,
                first,
                0,
                last,
                name,
                &f.header.clone().set_align(FormatAlign::Center),
            )?;
        }
    }
    for col in 0..3u16 {
        sheet.write_blank(0, col, &f.header)?;
    }
    let mut header: Vec<String> = vec!["code".into(), "label".into(), "all".into()];
    for vs in &values {
        header.extend(vs.iter().cloned());
    }
    header_row(sheet, 1, &header, f)?;

    let lang = codebook
        .and_then(|b| b.languages.first())
        .map_or("en", String::as_str);
    for (i, counts) in cells.iter().enumerate() {
        let r = i as u32 + 2;
        if i == 0 {
            sheet.write_string_with_format(r, 0, "(any code)", &f.top)?;
        } else {
            let (code, depth) = &order[i - 1];
            sheet.write_string_with_format(r, 0, code, &f.indent[(*depth).min(5)])?;
            let label = codebook
                .and_then(|b| b.code(code))
                .map_or(code.as_str(), |c| c.label(lang));
            sheet.write_string_with_format(r, 1, label, &f.indent[(*depth).min(5)])?;
        }
        for (col, n) in counts.iter().enumerate().skip(2) {
            sheet.write_number_with_format(r, col as u16, *n as f64, &f.top)?;
        }
    }
    let note_row = cells.len() as u32 + 3;
    sheet.write_string_with_format(
        note_row,
        0,
        "Coded segments (speaker turns) among these excerpts: a segment counts once per code, for its code and the code's parents, whoever coded it.",
        &f.note,
    )?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 40)?;
    for (col, name) in header.iter().enumerate().skip(2) {
        let w = name.chars().count().max(6) + 2;
        sheet.set_column_width(col as u16, w.min(24) as f64)?;
    }
    sheet.set_freeze_panes(2, 2)?;
    Ok(())
}

//! Word `.docx` transcripts (Office Open XML word processing documents).
//!
//! The main document part (found through `_rels/.rels`, usually
//! `word/document.xml`) is rendered to plain text, one paragraph per block,
//! and handed to the plain-text reader's [`text::parse`], so speaker labels
//! mean the same in every format. Rendering keeps what a reader of the
//! document sees:
//!
//! - text runs (`w:t`), tabs, line breaks (`w:br`, `w:cr`; a page break
//!   ends the paragraph), non-breaking hyphens as `-`, symbols (`w:sym`)
//!   outside the private-use area;
//! - tracked changes as if accepted: deleted and moved-away text left out,
//!   inserted text kept (with a warning that the document had changes);
//! - tables cell by cell in row order, except a transcript laid out as a
//!   table (`speaker | text` or `time | speaker | text`), whose rows become
//!   `[time] **Speaker:** text` turns;
//! - a paragraph that opens with a bold run ending in a colon
//!   (**Interviewer:**, **MARÍA:**) becomes `**Label:** text`, which the
//!   text reader takes as a marked label; `Q.<tab>` becomes `Q: `.
//!
//! Headers, footers, footnotes, comments, field codes and text boxes or
//! drawings are left out (text left out of drawings is counted in a
//! warning). The title comes from `docProps/core.xml` (`dc:title`), the date
//! from a `Date: ...` line or a date standing alone near the top of the
//! document, else from `dcterms:created`.

use std::sync::LazyLock;

use regex::Regex;

use super::text;
use crate::decode::{LineLimit, MAX_LINE_BYTES, MAX_LINES};
use crate::zipxml::{Tag, Xml, XmlEvent, Zip};
use crate::{Input, Result, Transcript, parse_timestamp};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";

const NAMESPACES: &[&str] = &[W, W_STRICT, MC, RELS, DC, DCTERMS];

/// Reads a `.docx` transcript.
pub fn read(input: &Input<'_>) -> Result<Transcript> {
    let mut zip = Zip::open(input, "docx")?;
    let main = main_part(&mut zip, input)?;
    let xml = zip.read_string(&main)?;
    let body = render_document(&xml, input, &main)?;
    let properties = Properties::read(
        &mut zip,
        input,
        "docProps/core.xml",
        NAMESPACES,
        [(DC, "title"), (DCTERMS, "created")],
    )?;
    transcript(input, body, properties)
}

/// Path of the main document part: the `officeDocument` relationship of
/// `_rels/.rels`, else `word/document.xml`.
fn main_part(zip: &mut Zip<'_>, input: &Input<'_>) -> Result<String> {
    const DEFAULT: &str = "word/document.xml";
    let Some(rels) = zip.read_optional("_rels/.rels")? else {
        return Ok(DEFAULT.to_owned());
    };
    let mut x = Xml::new(&rels, input.path, "_rels/.rels", NAMESPACES);
    loop {
        match x.next_event() {
            Ok(XmlEvent::Start(tag) | XmlEvent::Empty(tag)) if tag.local() == "Relationship" => {
                let is_main = tag
                    .attr("Type")
                    .is_some_and(|t| t.ends_with("/officeDocument"));
                if let Some(target) = tag.attr("Target").filter(|_| is_main) {
                    let target = target.trim_start_matches('/').to_owned();
                    if zip.contains(&target) {
                        return Ok(target);
                    }
                }
            }
            // A broken relationships part: try the usual name.
            Ok(XmlEvent::Eof) | Err(_) => return Ok(DEFAULT.to_owned()),
            Ok(_) => {}
        }
    }
}

fn render_document(xml: &str, input: &Input<'_>, entry: &str) -> Result<Body> {
    let mut x = Xml::new(xml, input.path, entry, NAMESPACES);
    let mut body = Body::default();
    // Formatting of the run being read.
    let mut in_run = false;
    let mut in_run_props = false;
    let mut bold = false;
    let mut in_text = false;
    loop {
        let event = x.next_event()?;
        match event {
            XmlEvent::Eof => break,
            XmlEvent::Text(t) => {
                if in_text {
                    body.push(&t, bold);
                }
            }
            XmlEvent::Start(tag) => {
                if tag.is(MC, "Fallback") {
                    // Alternate content: the choice is read, the fallback
                    // (an older rendering of the same content) skipped.
                    x.skip()?;
                    continue;
                }
                if !matches!(tag.ns(), Some(W | W_STRICT)) {
                    continue;
                }
                match tag.local() {
                    "p" => body.start_para(),
                    "tbl" => body.start_table(),
                    "tr" => body.start_row(),
                    "tc" => body.start_cell(),
                    "r" => {
                        in_run = true;
                        bold = false;
                    }
                    "rPr" if in_run => in_run_props = true,
                    "t" if in_run => in_text = true,
                    "b" if in_run_props => bold = on(tag.attr("val").as_deref()),
                    "del" | "moveFrom" => {
                        body.tracked_changes = true;
                        x.skip()?;
                    }
                    "ins" | "moveTo" => body.tracked_changes = true,
                    "drawing" | "pict" | "object" => body.skipped_chars += x.skip()?,
                    // Properties (which hold tab stops and earlier
                    // formatting), field codes, ruby guides, deleted text.
                    "pPr" | "rPrChange" | "sectPr" | "tblPr" | "tblGrid" | "trPr" | "tcPr"
                    | "sdtPr" | "sdtEndPr" | "instrText" | "delInstrText" | "delText" | "rt"
                    | "fldData" => {
                        x.skip()?;
                    }
                    _ => run_content(&mut body, &tag, in_run, bold),
                }
            }
            XmlEvent::Empty(tag) => {
                if !matches!(tag.ns(), Some(W | W_STRICT)) {
                    continue;
                }
                match tag.local() {
                    "b" if in_run_props => bold = on(tag.attr("val").as_deref()),
                    "rStyle" if in_run_props => {
                        if tag
                            .attr("val")
                            .is_some_and(|v| v.to_lowercase().contains("strong"))
                        {
                            bold = true;
                        }
                    }
                    "tc" => body.start_cell(),
                    "ins" | "moveTo" | "del" | "moveFrom" => body.tracked_changes = true,
                    _ => run_content(&mut body, &tag, in_run, bold),
                }
            }
            XmlEvent::End(tag) => {
                if !matches!(tag.ns(), Some(W | W_STRICT)) {
                    continue;
                }
                match tag.local() {
                    "p" => body.end_para(),
                    "tbl" => body.end_table(),
                    "r" => {
                        in_run = false;
                        in_run_props = false;
                        in_text = false;
                        bold = false;
                    }
                    "rPr" => in_run_props = false,
                    "t" => in_text = false,
                    _ => {}
                }
            }
        }
    }
    Ok(body)
}

/// Characters a run element stands for (`w:tab`, `w:br`...).
fn run_content(body: &mut Body, tag: &Tag<'_>, in_run: bool, bold: bool) {
    if !in_run {
        return;
    }
    match tag.local() {
        "tab" | "ptab" => body.push("\t", bold),
        "br" => {
            if matches!(tag.attr("type").as_deref(), Some("page" | "column")) {
                body.break_para();
            } else {
                body.push("\n", bold);
            }
        }
        "cr" => body.push("\n", bold),
        "noBreakHyphen" => body.push("-", bold),
        "sym" => {
            let c = tag
                .attr("char")
                .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                .and_then(char::from_u32)
                // Symbol fonts map glyphs to the private-use area: nothing
                // a search could use.
                .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c) && !c.is_control());
            if let Some(c) = c {
                body.push(c.encode_utf8(&mut [0; 4]), bold);
            }
        }
        _ => {}
    }
}

/// Whether a toggle property (`w:b`) is on, from its `w:val`.
fn on(val: Option<&str>) -> bool {
    !matches!(val, Some("0" | "false" | "off" | "none"))
}

/// Title and creation date from a document's metadata part.
#[derive(Debug, Default)]
pub(crate) struct Properties {
    title: Option<String>,
    created: Option<String>,
    /// Why the part could not be read, when it could not.
    problem: Option<String>,
}

impl Properties {
    /// Reads the two elements `wanted` (title, creation date) of the part
    /// `entry`. A missing or unreadable part leaves them unknown: only a
    /// zip bomb or a damaged archive is an error.
    pub(crate) fn read(
        zip: &mut Zip<'_>,
        input: &Input<'_>,
        entry: &str,
        namespaces: &'static [&'static str],
        wanted: [(&str, &str); 2],
    ) -> Result<Properties> {
        let Some(xml) = zip.read_optional(entry)? else {
            return Ok(Properties::default());
        };
        let mut x = Xml::new(&xml, input.path, entry, namespaces);
        Ok(match x.first_texts(&wanted) {
            Ok(found) => {
                let mut found = found.into_iter();
                Properties {
                    title: found.next().flatten(),
                    created: found.next().flatten(),
                    problem: None,
                }
            }
            Err(crate::Error::Read { message, .. }) => Properties {
                problem: Some(message),
                ..Properties::default()
            },
            Err(e) => return Err(e),
        })
    }
}

/// The transcript of a rendered body, shared with the `.odt` reader: the
/// plain-text reader finds turns, labels and header fields; the document's
/// own title and creation date fill what the text does not say.
pub(crate) fn transcript(
    input: &Input<'_>,
    body: Body,
    properties: Properties,
) -> Result<Transcript> {
    let (tracked_changes, skipped_chars) = (body.tracked_changes, body.skipped_chars);
    let (blocks, bad_times) = body.finish();
    let text = blocks.join("\n\n");
    if let Err(limit) = crate::decode::check_lines(&text) {
        let message = match limit {
            LineLimit::TooLong(_) => format!(
                "the document has a paragraph longer than {} MiB, the most voces reads on one line",
                MAX_LINE_BYTES >> 20
            ),
            LineLimit::TooMany => format!(
                "the document has more than {MAX_LINES} lines of text, the most voces reads from one file"
            ),
        };
        return Err(input.error(None, message));
    }
    let mut t = text::parse(&text, input.options);
    if t.turns.iter().all(|turn| turn.text.trim().is_empty()) {
        return Err(input.error(None, "no transcript text found"));
    }
    if let Some(title) = properties.title.as_deref().and_then(clean_title) {
        t.title = Some(title);
    }
    if t.date.is_none() {
        t.date = date_in(&blocks).or_else(|| properties.created.as_deref().and_then(iso_day));
    }
    if let Some(problem) = properties.problem {
        t.warnings
            .push(format!("document properties left out: {problem}"));
    }
    if tracked_changes {
        t.warnings.push(
            "the document has tracked changes: deleted text was left out and inserted text kept"
                .to_owned(),
        );
    }
    if skipped_chars > 0 {
        t.warnings.push(format!(
            "{skipped_chars} characters of text in text boxes or drawings were left out"
        ));
    }
    if bad_times > 0 {
        t.warnings.push(format!(
            "{bad_times} times in a transcript table could not be read and were left out"
        ));
    }
    Ok(t)
}

/// A metadata title worth showing: one line of text. Word fills the field
/// with template paths or tab-separated header lines in old documents.
fn clean_title(title: &str) -> Option<String> {
    let title = title.trim();
    if title.is_empty() || title.contains(['\\', '\t']) || title.chars().any(char::is_control) {
        return None;
    }
    Some(title.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `2009-07-01` from a W3CDTF timestamp such as `2009-07-01T14:25:00Z`;
/// `None` for placeholders before 1900 (Word writes 1601, zip tools 1980
/// only in file times).
fn iso_day(stamp: &str) -> Option<String> {
    let day = stamp.trim().get(..10)?;
    let b = day.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let year: u32 = day[..4].parse().ok()?;
    (year >= 1900).then(|| day.to_owned())
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^
        (?: (?:interview\s+)? dates? (?:\s+of\s+(?:the\s+)?interviews?)? \s*[:.]\s*
          | fecha (?:\s+de\s+(?:la\s+)?entrevista)? \s*[:.]\s* )?
        (?P<date>.{4,60}?) \s*[.]?$",
    )
    .expect("valid date line pattern")
});

static DATE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?P<m1>[a-záéíóú]+)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y1>\d{4})
          | (?P<d2>\d{1,2})(?:st|nd|rd|th|º|°)?\s+(?:de\s+)?(?P<m2>[a-záéíóú]+)\.?,?\s+(?:de(?:l)?\s+)?(?P<y2>\d{4})
          | (?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})
        )$",
    )
    .expect("valid date pattern")
});

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b").expect("valid numeric date pattern")
});

/// The interview date stated near the top of a document: a paragraph that
/// is a date (`December 13, 1993`, `13 de mayo de 2021`), or that names one
/// (`Interview date: April 5th, 1984`, `Fecha: 3/5/21`). ISO 8601 when it
/// can be read as a day, the document's words otherwise.
fn date_in(blocks: &[String]) -> Option<String> {
    for block in blocks.iter().take(40) {
        let line = block.trim();
        if line.chars().count() > 80 {
            continue;
        }
        let Some(c) = DATE_LINE.captures(line) else {
            continue;
        };
        let prefixed = c.name("date").is_some_and(|d| d.start() > 0);
        let words = c.name("date").map_or("", |d| d.as_str()).trim();
        if let Some(iso) = parse_date_words(words) {
            return Some(iso);
        }
        if prefixed && let Some(m) = NUMERIC_DATE.find(words) {
            return Some(m.as_str().to_owned());
        }
    }
    None
}

fn parse_date_words(s: &str) -> Option<String> {
    let c = DATE_WORDS.captures(s)?;
    let get = |names: [&str; 3]| names.iter().find_map(|n| c.name(n)).map(|m| m.as_str());
    let year: u32 = get(["y1", "y2", "y3"])?.parse().ok()?;
    let day: u32 = get(["d1", "d2", "d3"])?.parse().ok()?;
    let month = match (c.name("m3"), get(["m1", "m2", "m3"])) {
        (Some(m), _) => m.as_str().parse().ok()?,
        (None, Some(name)) => month_number(name)?,
        _ => return None,
    };
    ((1..=31).contains(&day) && (1..=12).contains(&month) && (1000..=2999).contains(&year))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &["january", "jan", "enero", "ene"],
        &["february", "feb", "febrero"],
        &["march", "mar", "marzo"],
        &["april", "apr", "abril", "abr"],
        &["may", "mayo"],
        &["june", "jun", "junio"],
        &["july", "jul", "julio"],
        &["august", "aug", "agosto", "ago"],
        &["september", "sep", "sept", "septiembre", "setiembre", "set"],
        &["october", "oct", "octubre"],
        &["november", "nov", "noviembre"],
        &["december", "dec", "diciembre", "dic"],
    ];
    let name = name.to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&name.as_str()))
        .map(|i| i as u32 + 1)
}

// ---------------------------------------------------------------------------
// The text model shared by the `.docx` and `.odt` readers: paragraphs (with
// whether they open with bold text) and tables, rendered to the plain text
// the text reader parses.

/// Whether a paragraph opens with bold text, and where that text ends.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Lead {
    /// Only whitespace so far.
    #[default]
    Start,
    /// Bold text so far.
    Bold,
    /// Not (or no longer) bold; the byte where a bold opening ended.
    Done(Option<usize>),
}

/// A paragraph being read.
#[derive(Debug, Default)]
pub(crate) struct Para {
    text: String,
    lead: Lead,
}

impl Para {
    /// The text so far.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Appends text in bold or not.
    pub(crate) fn push(&mut self, s: &str, bold: bool) {
        let blank = s.trim().is_empty();
        self.lead = match self.lead {
            Lead::Start if blank => Lead::Start,
            Lead::Start if bold => Lead::Bold,
            Lead::Start => Lead::Done(None),
            Lead::Bold if !bold && !blank => Lead::Done(Some(self.text.len())),
            lead => lead,
        };
        self.text.push_str(s);
    }

    /// The paragraph as one block of text: a bold opening label rendered as
    /// a marked label, `Q.<tab>` as `Q: `, the edges trimmed.
    fn render(self) -> String {
        let bold_end = match self.lead {
            Lead::Bold => Some(self.text.len()),
            Lead::Done(end) => end,
            Lead::Start => None,
        };
        if let Some(rendered) = bold_end.and_then(|end| bold_label(&self.text, end)) {
            return rendered;
        }
        if let Some(c) = TAB_LABEL.captures(&self.text) {
            return format!("{}: {}", &c["label"], c["text"].trim());
        }
        self.text.trim().to_owned()
    }
}

/// `Q.` or `A2.` and a tab at the start of a paragraph: a label laid out
/// with a hanging indent, as oral history transcripts often are.
static TAB_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\ \t]*(?P<label>[A-Z]{1,3}[0-9]{0,2})\.\ *\t[\ \t]*(?P<text>[\s\S]*)$")
        .expect("valid tab label pattern")
});

/// `**Label:** text` when the paragraph's bold opening (ending at byte
/// `end`) is a label followed by a colon.
fn bold_label(text: &str, end: usize) -> Option<String> {
    let prefix = text.get(..end)?.trim();
    let rest = text.get(end..)?;
    let (label, rest) = match prefix.strip_suffix(':') {
        Some(label) => (label.trim_end(), rest),
        None => (prefix, rest.trim_start().strip_prefix(':')?),
    };
    let (time, label) = split_time(label);
    if label.is_empty() || label.contains([':', '*', '\n']) || label.chars().count() > 40 {
        return None;
    }
    let time = time.map(|t| format!("[{t}] ")).unwrap_or_default();
    let rest = rest.trim();
    Some(if rest.is_empty() {
        // A label alone (a heading, or a label whose words follow in the
        // next paragraph): not marked, so a one-off heading stays text.
        format!("{time}{label}:")
    } else {
        format!("{time}**{label}:** {rest}")
    })
}

/// A leading `[00:12:31]` (or bare `00:12:31`) time and the rest.
fn split_time(s: &str) -> (Option<&str>, &str) {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('[')
        && let Some((time, rest)) = inner.split_once(']')
        && is_time(time)
    {
        return (Some(time.trim()), rest.trim());
    }
    if let Some((time, rest)) = s.split_once([' ', '\t'])
        && is_time(time)
    {
        return (Some(time), rest.trim());
    }
    (None, s)
}

/// A time the text reader reads in brackets: `12:31`, `00:12:31.5`.
fn is_time(s: &str) -> bool {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?$").expect("valid time pattern")
    });
    let s = s.trim();
    TIME.is_match(s) && parse_timestamp(s).is_some()
}

/// A table being read: rows of cells of paragraphs.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<Vec<String>>>,
}

impl Table {
    fn push(&mut self, para: String) {
        if self.rows.is_empty() {
            self.rows.push(Vec::new());
        }
        if let Some(row) = self.rows.last_mut() {
            if row.is_empty() {
                row.push(Vec::new());
            }
            if let Some(cell) = row.last_mut() {
                cell.push(para);
            }
        }
    }

    /// The table as blocks; also how many times were unreadable.
    fn render(self) -> (Vec<String>, usize) {
        let rows: Vec<Vec<String>> = self
            .rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|cell| cell.join("\n").trim().to_owned())
                    .collect()
            })
            .filter(|row: &Vec<String>| row.iter().any(|c| !c.is_empty()))
            .collect();
        match Layout::of(&rows) {
            Some(layout) => layout.render(&rows),
            None => (
                rows.into_iter()
                    .flatten()
                    .filter(|c| !c.is_empty())
                    .collect(),
                0,
            ),
        }
    }
}

/// Where a transcript table keeps the time, the speaker and the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    time: Option<usize>,
    speaker: usize,
    text: usize,
}

/// Header cells of transcript tables.
const HEADER_WORDS: &[&str] = &[
    "speaker",
    "speakers",
    "name",
    "who",
    "person",
    "hablante",
    "interlocutor",
    "nombre",
    "quién",
    "persona",
    "time",
    "timestamp",
    "timecode",
    "tiempo",
    "hora",
    "minuto",
    "text",
    "transcript",
    "transcription",
    "utterance",
    "texto",
    "transcripción",
    "intervención",
];

impl Layout {
    /// The layout of a table that holds a transcript: two or three columns,
    /// one of short, recurring labels (and maybe one of times), the last of
    /// words.
    fn of(rows: &[Vec<String>]) -> Option<Layout> {
        let columns = rows.iter().map(Vec::len).max()?;
        if !(2..=3).contains(&columns) || rows.len() < 2 {
            return None;
        }
        let cells = |c: usize| {
            rows.iter()
                .filter_map(move |r| r.get(c))
                .filter(|s| !s.is_empty())
        };
        let share = |c: usize, test: &dyn Fn(&str) -> bool| {
            let (n, ok) = cells(c).fold((0, 0), |(n, ok), s| (n + 1, ok + usize::from(test(s))));
            // The header row may fail the test.
            n >= 2 && ok * 10 >= (n - 1) * 9
        };
        let time = (0..columns - 1).find(|&c| share(c, &|s| is_time(s.trim_matches(['[', ']']))));
        let speaker = (0..columns - 1)
            .find(|&c| Some(c) != time && share(c, &|s| label_cell(s).is_some()))?;
        let text = columns - 1;
        // Speakers recur: a column of distinct short cells is a list.
        let labels: Vec<&str> = cells(speaker).filter_map(|s| label_cell(s)).collect();
        let mut distinct = labels.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if labels.len() < 2 || distinct.len() * 2 > labels.len() + 2 {
            return None;
        }
        Some(Layout {
            time,
            speaker,
            text,
        })
    }

    fn render(self, rows: &[Vec<String>]) -> (Vec<String>, usize) {
        let mut blocks = Vec::with_capacity(rows.len());
        let mut bad_times = 0;
        for (i, row) in rows.iter().enumerate() {
            let cell = |c: usize| row.get(c).map_or("", String::as_str);
            let label = cell(self.speaker);
            if i == 0 && is_header(label) {
                continue;
            }
            let text = cell(self.text);
            let time = self
                .time
                .map(|c| cell(c).trim_matches(['[', ']']).trim())
                .filter(|t| !t.is_empty());
            let time = match time {
                Some(t) if is_time(t) => format!("[{t}] "),
                Some(_) => {
                    bad_times += 1;
                    String::new()
                }
                None => String::new(),
            };
            let block = match label_cell(label) {
                Some(label) => format!("{time}**{label}:** {text}"),
                // A row without a speaker continues the turn above.
                None if label.is_empty() => format!("{time}{text}"),
                None => format!("{time}{label} {text}"),
            };
            if !block.trim().is_empty() {
                blocks.push(block.trim().to_owned());
            }
        }
        (blocks, bad_times)
    }
}

/// A header cell (`Speaker`, `Hablante:`).
fn is_header(cell: &str) -> bool {
    let cell = cell.trim().trim_end_matches(':').to_lowercase();
    HEADER_WORDS.contains(&cell.as_str())
}

/// The label in a speaker cell: short, one to four words, starting with a
/// letter, without sentence punctuation; a final colon is dropped.
fn label_cell(cell: &str) -> Option<&str> {
    let label = cell.trim().trim_end_matches(':').trim_end();
    let ok = !label.is_empty()
        && label.chars().count() <= 40
        && label.split_whitespace().count() <= 4
        && label.chars().next().is_some_and(char::is_alphabetic)
        && !label.contains(['?', '!', ':', '*', '\n', ',', ';']);
    ok.then_some(label)
}

/// The document body as it is read: finished blocks, the open tables and
/// the open paragraph.
#[derive(Debug, Default)]
pub(crate) struct Body {
    blocks: Vec<String>,
    tables: Vec<Table>,
    para: Option<Para>,
    bad_times: usize,
    /// The document has tracked changes.
    pub(crate) tracked_changes: bool,
    /// Characters of text left out with drawings and text boxes.
    pub(crate) skipped_chars: usize,
}

impl Body {
    /// A paragraph starts (ending one left open).
    pub(crate) fn start_para(&mut self) {
        self.end_para();
        self.para = Some(Para::default());
    }

    /// The paragraph being read, if any.
    pub(crate) fn para(&self) -> Option<&Para> {
        self.para.as_ref()
    }

    /// Text of the open paragraph; dropped outside paragraphs.
    pub(crate) fn push(&mut self, s: &str, bold: bool) {
        if let Some(p) = &mut self.para {
            p.push(s, bold);
        }
    }

    /// A page break inside a paragraph: the text goes on in a new one.
    pub(crate) fn break_para(&mut self) {
        if self.para.is_some() {
            self.start_para();
        }
    }

    /// The open paragraph ends.
    pub(crate) fn end_para(&mut self) {
        if let Some(p) = self.para.take() {
            let block = p.render();
            self.emit(block);
        }
    }

    fn emit(&mut self, block: String) {
        if block.trim().is_empty() {
            return;
        }
        match self.tables.last_mut() {
            Some(table) => table.push(block),
            None => self.blocks.push(block),
        }
    }

    /// A table starts (inside the current cell when tables nest).
    pub(crate) fn start_table(&mut self) {
        self.end_para();
        self.tables.push(Table::default());
    }

    /// A table row starts.
    pub(crate) fn start_row(&mut self) {
        self.end_para();
        if let Some(t) = self.tables.last_mut() {
            t.rows.push(Vec::new());
        }
    }

    /// A table cell starts.
    pub(crate) fn start_cell(&mut self) {
        self.end_para();
        if let Some(t) = self.tables.last_mut() {
            if t.rows.is_empty() {
                t.rows.push(Vec::new());
            }
            if let Some(row) = t.rows.last_mut() {
                row.push(Vec::new());
            }
        }
    }

    /// The innermost table ends: its blocks go to the enclosing cell or the
    /// body.
    pub(crate) fn end_table(&mut self) {
        self.end_para();
        if let Some(table) = self.tables.pop() {
            let (blocks, bad_times) = table.render();
            self.bad_times += bad_times;
            for block in blocks {
                self.emit(block);
            }
        }
    }

    /// All blocks, closing what is still open; and the number of table
    /// times that could not be read.
    pub(crate) fn finish(mut self) -> (Vec<String>, usize) {
        self.end_para();
        while !self.tables.is_empty() {
            self.end_table();
        }
        (self.blocks, self.bad_times)
    }
}

/// Settings used by the tests of the two office readers.
#[cfg(test)]
pub(crate) fn test_options() -> crate::ReadOptions {
    crate::ReadOptions::new(
        &voces_corpus::ProjectConfig::default(),
        &voces_corpus::IngestConfig::default(),
    )
    .expect("default options")
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::Error;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docx")
            .join(name)
    }

    fn read_bytes(name: &str, bytes: &[u8]) -> Result<Transcript> {
        let options = test_options();
        read(&Input {
            path: Path::new(name),
            bytes,
            options: &options,
        })
    }

    fn read_fixture(name: &str) -> Result<Transcript> {
        let bytes = std::fs::read(fixture(name)).expect("fixture exists");
        read_bytes(name, &bytes)
    }

    fn message(e: &Error) -> String {
        match e {
            Error::Read { message, .. } => message.clone(),
            other => panic!("expected a read error, got {other:?}"),
        }
    }

    /// Reads a fixture and compares its turns with `expected` (speaker,
    /// text).
    fn check(name: &str, expected: &[(Option<&str>, &str)]) -> Transcript {
        let t = read_fixture(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(Option<&str>, &str)> = t
            .turns
            .iter()
            .map(|t| (t.speaker.as_deref(), t.text.as_str()))
            .collect();
        assert_eq!(got, expected, "{name}");
        t
    }

    /// A minimal docx with this body XML (inside `w:body`).
    fn docx(body: &str) -> Vec<u8> {
        let doc = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"{W}\" xmlns:mc=\"{MC}\"><w:body>{body}</w:body></w:document>"
        );
        crate::zipxml::zip_of(&[("word/document.xml", doc.as_bytes())])
    }

    fn turns(body: &str) -> Vec<(Option<String>, String)> {
        let t = read_bytes("t.docx", &docx(body)).unwrap();
        t.turns.into_iter().map(|t| (t.speaker, t.text)).collect()
    }

    #[test]
    fn bold_labels_and_run_content() {
        let t = check(
            "bold-labels.es.docx",
            &[
                (None, "13 de mayo de 2021"),
                (Some("Entrevistadora"), "¿Cuándo llegó usted a Madrid?"),
                (
                    Some("MARÍA"),
                    "En el año 2003.\nVine con mi hermano\tdesde Quito; fue un viaje largo.",
                ),
                (Some("Entrevistadora"), "¿Y los papeles?"),
                (
                    Some("MARÍA"),
                    "Tardaron años. Es una historia larga – la cuento otro día.",
                ),
                (Some("Entrevistadora"), "Gracias."),
            ],
        );
        assert_eq!(t.title.as_deref(), Some("Entrevista con María"));
        assert_eq!(t.date.as_deref(), Some("2021-05-13"));
        assert_eq!(t.encoding, "UTF-8");
    }

    #[test]
    fn plain_labels() {
        let t = check(
            "plain-labels.en.docx",
            &[
                (None, "Interview with Ana Pérez\nDecember 13, 1993"),
                (Some("Interviewer"), "Where were you born?"),
                (
                    Some("P3"),
                    "In León, in Nicaragua. We left in 1998 — after the hurricane.",
                ),
                (Some("Interviewer"), "Did you cross\u{a0}alone?"),
                (Some("P3"), "No, with my cousin.\nWe paid a coyote."),
                (Some("Q"), "And then?"),
                (
                    Some("A"),
                    "Then we waited in Tijuana for six-months, no, six weeks.",
                ),
            ],
        );
        // A date standing alone near the top wins over the file's creation
        // date.
        assert_eq!(t.date.as_deref(), Some("1993-12-13"));
        assert_eq!(t.title, None);
    }

    #[test]
    fn tracked_changes_keep_insertions() {
        let t = check(
            "tracked-changes.en.docx",
            &[
                (Some("Interviewer"), "How many days did you walk?"),
                (
                    Some("Participant"),
                    "Eleven days, I think, through the desert.",
                ),
            ],
        );
        assert_eq!(
            t.warnings,
            vec![
                "the document has tracked changes: deleted text was left out and inserted text kept"
            ]
        );
        // Only the creation date is known.
        assert_eq!(t.date.as_deref(), Some("2020-02-03"));
    }

    #[test]
    fn speaker_table_two_columns() {
        check(
            "table-2col.en.docx",
            &[
                (Some("Interviewer"), "Tell me about the journey."),
                (Some("Ahmed"), "We went by boat to Lesbos.\nThen by bus."),
                (Some("Interviewer"), "How long did it take?"),
                (Some("Ahmed"), "Three weeks.\nAnd then more, a lot more."),
            ],
        );
    }

    #[test]
    fn speaker_table_three_columns() {
        let t = check(
            "table-3col.es.docx",
            &[
                (Some("E"), "¿Cómo llegaron?"),
                (Some("I"), "En autobús, por la frontera."),
                (Some("E"), "¿Con quién?"),
                (Some("I"), "Con mi madre y mis dos hermanos."),
            ],
        );
        let times: Vec<Option<f64>> = t.turns.iter().map(|t| t.start_time).collect();
        assert_eq!(times, vec![Some(5.0), Some(12.0), Some(751.0), Some(760.5)]);
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let e = read_fixture("not-a-zip.bad.docx").unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (not a zip archive)\nhint: the file holds plain text: rename it to .txt"
        );
        let e = read_fixture("truncated.bad.docx").unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (the zip archive is truncated or damaged)"
        );
        let e = read_fixture("no-document.bad.docx").unwrap_err();
        assert_eq!(
            message(&e),
            "not a valid .docx file (no word/document.xml in the zip archive)\n\
             hint: the file looks like an Excel workbook (.xlsx)"
        );
        let e = read_bytes("t.docx", &docx("<w:p><w:r><w:t>  </w:t></w:r></w:p>")).unwrap_err();
        assert_eq!(message(&e), "no transcript text found");
        let e = read_bytes("t.docx", &docx("<w:p><w:r><w:t>unclosed</w:r></w:p>")).unwrap_err();
        assert!(
            message(&e).starts_with("word/document.xml is not well-formed XML (at byte"),
            "{e}"
        );
        assert!(
            e.to_string().starts_with("t.docx: word/document.xml"),
            "{e}"
        );
    }

    #[test]
    fn zip_bomb_is_refused_with_the_default_limit() {
        // A document.xml whose headers declare 300 MiB: refused before any
        // of it is inflated. (Entries that lie about their size are tested
        // in `zipxml`.)
        let options = test_options();
        assert_eq!(options.max_unzipped_bytes, 256 * 1024 * 1024);
        let real = 12_345u32;
        let mut bytes = crate::zipxml::zip_of(&[("word/document.xml", &vec![b'a'; real as usize])]);
        let mut patched = 0;
        for i in 0..bytes.len().saturating_sub(4) {
            if bytes[i..i + 4] == real.to_le_bytes() {
                bytes[i..i + 4].copy_from_slice(&(300u32 << 20).to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "local and central headers");
        let e = read_bytes("bomb.docx", &bytes).unwrap_err();
        assert_eq!(
            message(&e),
            "zip entry word/document.xml expands past the 256 MiB limit (zip bomb?)\n\
             hint: if the document is genuine, raise `max_file_mb` in voces.toml (the limit is 4 times it)"
        );
    }

    #[test]
    fn runs_breaks_symbols_and_skipped_parts() {
        let got = turns(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr>\
             <w:r><w:t xml:space=\"preserve\">a </w:t></w:r><w:r><w:t>b</w:t><w:tab/><w:t>c</w:t><w:br/>\
             <w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/>\
             <w:sym w:char=\"00E9\"/><w:softHyphen/></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE \\* MERGEFORMAT</w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>7</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
             <w:hyperlink><w:r><w:t xml:space=\"preserve\"> link</w:t></w:r></w:hyperlink>\
             <w:r><w:drawing><wp:inline xmlns:wp=\"urn:wp\"><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></wp:inline></w:drawing></w:r>\
             <mc:AlternateContent><mc:Choice Requires=\"w14\"><w:r><w:t>!</w:t></w:r></mc:Choice>\
             <mc:Fallback><w:r><w:t>?</w:t></w:r></mc:Fallback></mc:AlternateContent>\
             <w:r><w:t>x</w:t><w:br w:type=\"page\"/><w:t>y</w:t></w:r></w:p>\
             <w:sdt><w:sdtPr><w:alias w:val=\"z\"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>in sdt</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        );
        assert_eq!(
            got,
            vec![
                (None, "a b\tc\nd-eé7 link!x".to_owned()),
                (None, "y".to_owned()),
                (None, "in sdt".to_owned())
            ]
        );
        let t = read_bytes(
            "t.docx",
            &docx("<w:p><w:r><w:t>a</w:t></w:r><w:r><w:pict><w:t>hidden words</w:t></w:pict></w:r></w:p>"),
        )
        .unwrap();
        assert_eq!(
            t.warnings,
            vec!["11 characters of text in text boxes or drawings were left out"]
        );
    }

    #[test]
    fn bold_opening_rules() {
        let r = |runs: &str| turns(&format!("<w:p>{runs}</w:p>"));
        // Bold label then plain text.
        let bold = |t: &str| {
            format!("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{t}</w:t></w:r>")
        };
        let plain = |t: &str| format!("<w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r>");
        assert_eq!(
            r(&format!("{}{}", bold("Dr. Ruiz:"), plain(" Hola.")))[0],
            (Some("Dr. Ruiz".into()), "Hola.".into())
        );
        // The colon outside the bold run.
        assert_eq!(
            r(&format!("{}{}", bold("Ana"), plain(": Sí.")))[0],
            (Some("Ana".into()), "Sí.".into())
        );
        // A bold label with its time.
        let t = read_bytes(
            "t.docx",
            &docx(&format!(
                "<w:p>{}{}</w:p>",
                bold("[00:01:02] Ana:"),
                plain("Sí.")
            )),
        )
        .unwrap();
        assert_eq!(
            (t.turns[0].speaker.as_deref(), t.turns[0].start_time),
            (Some("Ana"), Some(62.0))
        );
        // w:b w:val="0" is not bold; a whole bold paragraph is not a label.
        let not_bold = "<w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>Nota:</w:t></w:r>";
        assert_eq!(
            r(&format!("{not_bold}{}", plain(" una vez.")))[0],
            (None, "Nota: una vez.".into())
        );
        assert_eq!(
            r(&bold("Everything in bold: here"))[0],
            (None, "Everything in bold: here".into())
        );
        // Style-based strong emphasis counts as bold.
        let strong = "<w:r><w:rPr><w:rStyle w:val=\"Strong\"/></w:rPr><w:t>Luis:</w:t></w:r>";
        assert_eq!(
            r(&format!("{strong}{}", plain(" Bueno.")))[0],
            (Some("Luis".into()), "Bueno.".into())
        );
        // Earlier formatting in a tracked change does not count.
        let changed = "<w:r><w:rPr><w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t>Heading:</w:t></w:r>";
        assert_eq!(
            r(&format!("{changed}{}", plain(" text")))[0],
            (None, "Heading: text".into())
        );
    }

    /// Damaged copies of every office fixture (cut short, a byte changed,
    /// a character of the XML dropped) are refused or read, never a panic.
    #[test]
    fn damaged_files_never_panic() {
        use std::io::Read;
        let options = test_options();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (dir, format) in [
            ("docx", voces_corpus::SourceFormat::Docx),
            ("odt", voces_corpus::SourceFormat::Odt),
        ] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let read = |bytes: &[u8]| {
                    let input = Input {
                        path: &path,
                        bytes,
                        options: &options,
                    };
                    let _ = crate::readers::read(format, &input);
                };
                for cut in (0..bytes.len()).step_by(41) {
                    read(&bytes[..cut]);
                }
                for at in (0..bytes.len()).step_by(29) {
                    let mut changed = bytes.clone();
                    changed[at] ^= 0x5a;
                    read(&changed);
                }
                // Damaged XML inside a sound zip.
                let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) else {
                    continue;
                };
                let main = if dir == "docx" {
                    "word/document.xml"
                } else {
                    "content.xml"
                };
                let mut xml = String::new();
                let Ok(mut file) = archive.by_name(main) else {
                    continue;
                };
                file.read_to_string(&mut xml).unwrap();
                let chars: Vec<char> = xml.chars().collect();
                for at in (0..chars.len()).step_by(17) {
                    let damaged: String = chars[..at].iter().chain(&chars[at + 1..]).collect();
                    read(&crate::zipxml::zip_of(&[(main, damaged.as_bytes())]));
                }
            }
        }
    }

    #[test]
    fn other_tables_are_read_cell_by_cell() {
        let cell = |t: &str| format!("<w:tc><w:tcPr/><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
        let row = |cells: &[&str]| {
            format!(
                "<w:tr>{}</w:tr>",
                cells.iter().map(|c| cell(c)).collect::<String>()
            )
        };
        let table = format!(
            "<w:tbl><w:tblPr/>{}{}{}</w:tbl>",
            row(&["Name", "Age", "Country"]),
            row(&["Ana", "34", "Perú"]),
            row(&["Luis", "29", "Chile"])
        );
        let got: Vec<String> = turns(&table).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            got,
            vec![
                "Name", "Age", "Country", "Ana", "34", "Perú", "Luis", "29", "Chile"
            ]
        );
        // Two columns of distinct names: a list, not a transcript.
        let table = format!(
            "<w:tbl>{}{}{}{}</w:tbl>",
            row(&["Ana", "born in Lima"]),
            row(&["Luis", "born in Quito"]),
            row(&["Marta", "born in Cali"]),
            row(&["Pedro", "born in La Paz"])
        );
        assert!(turns(&table).iter().all(|(speaker, _)| speaker.is_none()));
    }

    #[test]
    fn helpers() {
        assert_eq!(
            parse_date_words("December 13, 1993").as_deref(),
            Some("1993-12-13")
        );
        assert_eq!(
            parse_date_words("April 5th, 1984").as_deref(),
            Some("1984-04-05")
        );
        assert_eq!(
            parse_date_words("13 de mayo de 2021").as_deref(),
            Some("2021-05-13")
        );
        assert_eq!(
            parse_date_words("2021-05-13").as_deref(),
            Some("2021-05-13")
        );
        assert_eq!(
            parse_date_words("Sept. 2, 1995").as_deref(),
            Some("1995-09-02")
        );
        assert_eq!(
            parse_date_words("February 31st, 1993").as_deref(),
            Some("1993-02-31")
        );
        assert_eq!(parse_date_words("Tape 13, 1993"), None);
        let blocks = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            date_in(&blocks(&["Title", "Interview Date: April 5th, 1984."])).as_deref(),
            Some("1984-04-05")
        );
        assert_eq!(
            date_in(&blocks(&["Dates of Interviews:\t6/04/78"])).as_deref(),
            Some("6/04/78")
        );
        assert_eq!(date_in(&blocks(&["6/04/78"])), None);
        assert_eq!(
            iso_day("2009-07-01T14:25:00Z").as_deref(),
            Some("2009-07-01")
        );
        assert_eq!(iso_day("1601-01-01T00:00:00Z"), None);
        assert_eq!(iso_day("garbage"), None);
        assert_eq!(iso_day("2009-07-0é"), None);
        assert_eq!(clean_title("\t\tKey:\tFA"), None);
        assert_eq!(clean_title(":\\WINWORD\\TEMPLATE\\FINLFRM.DOT"), None);
        assert_eq!(clean_title("  Interview  with\nAna "), None);
        assert_eq!(
            clean_title(" Interview  with Ana ").as_deref(),
            Some("Interview with Ana")
        );
        assert_eq!(split_time("[00:12:31] Ana"), (Some("00:12:31"), "Ana"));
        assert_eq!(split_time("00:12:31 Ana"), (Some("00:12:31"), "Ana"));
        assert_eq!(split_time("Ana"), (None, "Ana"));
        assert_eq!(label_cell("Interviewer:"), Some("Interviewer"));
        assert_eq!(label_cell("Where were you born?"), None);
    }

    /// The USHMM oral histories in `../shared/corpora` (not in the
    /// repository: their rights are held by the museum) all read, with the
    /// speakers their transcribers used.
    #[test]
    fn ushmm_corpus() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpora/ushmm-en-docx/docx");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("skipped: {} is absent", dir.display());
            }
            return;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        assert_eq!(files.len(), 20);
        for path in &files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let t = read_bytes(&name, &std::fs::read(path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let n = t.turns.len();
            assert!((40..=600).contains(&n), "{name}: {n} turns");
            // Speakers by number of turns.
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for turn in &t.turns {
                let label = turn.speaker.as_deref().unwrap_or("-");
                match counts.iter_mut().find(|(l, _)| *l == label) {
                    Some(c) => c.1 += 1,
                    None => counts.push((label, 1)),
                }
            }
            counts.sort_by_key(|c| std::cmp::Reverse(c.1));
            let top: Vec<&str> = counts.iter().take(2).map(|c| c.0).collect();
            let expected: &[&str] = match name.as_str() {
                // No labels at all: questions and answers alternate.
                "RG-50.233.0079_trs_en.docx" => &["-"],
                "RG-50.030.0335_trs_en.docx" => &["Theodore", "Interviewer"],
                "RG-50.165.0098_trs_en.docx" => &["HR", "WH"],
                "RG-50.462.0022_02_trs_en.docx" | "RG-50.462.0022_03_trs_en.docx" => &["NL", "HS"],
                "RG-50.462.0038_trs_en.docx" => &["LL", "HF"],
                "RG-50.462.0097_trs_en.docx" => &["ER", "IR"],
                _ => &["A", "Q"],
            };
            let mut sorted = top.clone();
            sorted.sort_unstable();
            let mut want = expected.to_vec();
            want.sort_unstable();
            assert_eq!(sorted, want, "{name}: {counts:?}");
            if expected != ["-"] {
                let main: usize = counts.iter().take(2).map(|c| c.1).sum();
                assert!(main * 100 >= n * 90, "{name}: {counts:?}");
            }
            assert!(t.date.is_some(), "{name}: no date");
        }
        // The date the transcript states wins over the file's.
        let t = read_bytes(
            "RG-50.030.0282_trs_en.docx",
            &std::fs::read(dir.join("RG-50.030.0282_trs_en.docx")).unwrap(),
        )
        .unwrap();
        assert_eq!(t.date.as_deref(), Some("1993-12-13"));
    }
}

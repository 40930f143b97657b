//! The corpus data model: interviews, segments, speakers and participants.
//!
//! # Offsets
//!
//! Every offset in voces is a **character offset** (a count of Unicode scalar
//! values, what Python's `str` indexes and what REFI-QDA calls a position)
//! into the interview's normalized text [`Interview::text`], which is Unicode
//! NFC. `start` is inclusive, `end` exclusive. Byte offsets never leave a
//! crate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the on-disk interview format. Bumped when a field changes
/// meaning; readers refuse newer versions.
pub const FORMAT_VERSION: u32 = 1;

/// One interview (one transcript file) with its segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    /// Format version of this record, [`FORMAT_VERSION`] when written.
    pub format: u32,
    /// Stable id: derived from the file name, unique in the project.
    pub id: String,
    /// Human title (document title, or the file name).
    pub title: String,
    /// Where the interview came from.
    pub source: Source,
    /// Primary language (ISO 639-1 code such as `en`, `es`).
    pub language: String,
    /// Every language that holds a sizeable share of the text, primary first.
    pub languages: Vec<String>,
    /// True when more than one language holds a sizeable share of the text.
    pub mixed_language: bool,
    /// Date of the interview when the source gives one (ISO 8601 when it
    /// could be parsed, the source's words otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Attributes found in the transcript itself (headers, CHAT `@ID`).
    /// Attributes from metadata sheets are joined at read time, see
    /// [`crate::Corpus`].
    #[serde(default)]
    pub attributes: BTreeMap<String, AttrValue>,
    /// Speakers in order of first appearance.
    pub speakers: Vec<Speaker>,
    /// Counts, kept so that listings need not read the segments.
    pub stats: Stats,
    /// Normalized (NFC) text of the whole interview: one line per turn,
    /// `LABEL: text` where the turn has a speaker, turns separated by a blank
    /// line. Segment offsets point into this text.
    pub text: String,
    /// Segments (speaker turns, or paragraphs where there are no speakers).
    pub segments: Vec<Segment>,
    /// Problems found while reading that did not stop the ingest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Counts of an interview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Number of segments.
    pub segments: usize,
    /// Number of words (UAX #29 words with a letter or digit).
    pub words: usize,
    /// Words per segment language.
    pub words_by_language: BTreeMap<String, usize>,
}

impl Stats {
    /// Counts of these segments.
    pub fn of(segments: &[Segment]) -> Stats {
        let mut stats = Stats {
            segments: segments.len(),
            ..Stats::default()
        };
        for s in segments {
            stats.words += s.word_count();
            *stats
                .words_by_language
                .entry(s.language.clone())
                .or_default() += s.word_count();
        }
        stats
    }
}

/// Provenance of an interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Path of the file as given to `voces ingest`, made absolute.
    pub path: String,
    /// File name alone.
    pub file_name: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Reader that parsed it.
    pub format: SourceFormat,
    /// Text encoding the bytes were decoded from (`UTF-8`, `UTF-16LE`,
    /// `windows-1252`...); for zip formats, `UTF-8`.
    pub encoding: String,
    /// Hash of the reader version and the project settings that shape the
    /// result; re-ingesting is a no-op only when this and `sha256` match.
    pub fingerprint: String,
}

/// The reader that produced an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text or Markdown with speaker turns.
    Text,
    /// Office Open XML word processing document.
    Docx,
    /// OpenDocument text.
    Odt,
    /// WebVTT captions.
    Vtt,
    /// SubRip captions.
    Srt,
    /// TalkBank CHAT.
    Chat,
}

impl SourceFormat {
    /// The lower-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Docx => "docx",
            SourceFormat::Odt => "odt",
            SourceFormat::Vtt => "vtt",
            SourceFormat::Srt => "srt",
            SourceFormat::Chat => "chat",
        }
    }
}

/// Who a speaker is in the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Asks the questions.
    Interviewer,
    /// Answers them (informant, interviewee, respondent).
    Participant,
    /// Anyone else (translator, bystander) or unknown.
    Other,
}

impl Role {
    /// The lower-case name used in JSON, the index and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Interviewer => "interviewer",
            Role::Participant => "participant",
            Role::Other => "other",
        }
    }
}

/// A speaker of an interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// Label as written in the transcript (`I`, `P3`, `Interviewer`, `LAU`).
    pub label: String,
    /// Full name when the source declares one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Role in the interview.
    pub role: Role,
}

/// A half-open span `[start, end)` of character offsets into
/// [`Interview::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// One segment: a speaker turn, or a paragraph when there are no speakers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Stable id: `<interview id>#<n>`, `n` counting from 1 in text order.
    pub id: String,
    /// Position in the interview, from 0.
    pub index: usize,
    /// Speaker label, when the turn has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Role of the speaker ([`Role::Other`] when there is no speaker).
    pub role: Role,
    /// Character offset of the first character of the turn's text (after the
    /// label) in [`Interview::text`].
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The segment's text: always `Interview::text[start..end]` (in
    /// characters).
    pub text: String,
    /// Language of the segment (ISO 639-1).
    pub language: String,
    /// True when the language was detected from this segment's own words
    /// (or marked in the source), false when inherited from the interview
    /// because the turn is too short to tell.
    pub language_detected: bool,
    /// Sentences, as absolute character spans in [`Interview::text`].
    pub sentences: Vec<Span>,
    /// Word boundaries (UAX #29 words with a letter or digit), as a flat list
    /// `[start0, end0, start1, end1, ...]` of character offsets relative to
    /// `start`.
    pub words: Vec<u32>,
    /// Start time in seconds, when the source is timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// End time in seconds, when the source is timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// Annotations kept from the source (CHAT dependent tiers), by kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

impl Segment {
    /// Number of words in the segment.
    pub fn word_count(&self) -> usize {
        self.words.len() / 2
    }

    /// Word spans as absolute character spans in the interview text.
    pub fn word_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.words.chunks_exact(2).map(|w| Span {
            start: self.start + w[0] as usize,
            end: self.start + w[1] as usize,
        })
    }
}

/// An annotation attached to a segment (a CHAT `%eng` translation tier...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Kind, such as `eng` or `com` for CHAT tiers.
    pub kind: String,
    /// Its text.
    pub text: String,
}

/// A typed attribute value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// True or false.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Anything else, dates included (ISO 8601 where the source was a date).
    Text(String),
}

impl AttrValue {
    /// The value as text, the way a table shows it.
    pub fn to_text(&self) -> String {
        match self {
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            AttrValue::Number(n) => n.to_string(),
            AttrValue::Text(s) => s.clone(),
        }
    }

    /// The JSON Schema type name of the value (`boolean`, `number`, `string`).
    pub fn type_name(&self) -> &'static str {
        match self {
            AttrValue::Bool(_) => "boolean",
            AttrValue::Number(_) => "number",
            AttrValue::Text(_) => "string",
        }
    }
}

impl std::fmt::Display for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// Attribute sheet rows as stored: one file of `voces ingest --metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetadataTable {
    /// Format version, [`FORMAT_VERSION`] when written.
    pub format: u32,
    /// Name of the table (the sheet file's name).
    pub name: String,
    /// Absolute path of the sheet.
    pub path: String,
    /// SHA-256 of the sheet's bytes.
    pub sha256: String,
    /// Column whose values join rows to interviews.
    pub key: String,
    /// Columns in sheet order, with their inferred types.
    pub columns: Vec<Column>,
    /// One participant (case) per row.
    pub rows: Vec<Participant>,
}

/// A metadata column and its inferred type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Header text.
    pub name: String,
    /// `boolean`, `number` or `string`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A participant or case: one metadata row, with typed attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// Value of the key column.
    pub id: String,
    /// 1-based line (CSV) or row (spreadsheet) the participant came from.
    pub line: usize,
    /// Every other non-empty cell of the row, by header.
    pub attributes: BTreeMap<String, AttrValue>,
}

//! What a reader produces: a [`Transcript`] of raw turns, before
//! normalization, role assignment, segmentation and language detection,
//! which [`crate::build`] does the same way for every format.

use std::collections::BTreeMap;
use std::path::Path;

use voces_corpus::{Annotation, AttrValue, Role};

use crate::{Error, Result};

/// Reader output for one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    /// Document title, when the file has one.
    pub title: Option<String>,
    /// Interview date, when the file has one.
    pub date: Option<String>,
    /// Encoding the text was decoded from (`UTF-8` for zip formats).
    pub encoding: String,
    /// Attributes the file declares about the interview or its speakers.
    pub attributes: BTreeMap<String, AttrValue>,
    /// Speakers the file declares (CHAT `@Participants`, a header block),
    /// with the role it gives them when it does.
    pub speakers: Vec<DeclaredSpeaker>,
    /// Turns in order.
    pub turns: Vec<Turn>,
    /// Problems that did not stop the reader.
    pub warnings: Vec<String>,
}

/// A speaker declared in a file's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSpeaker {
    /// The label turns use (`LAU`, `E`).
    pub label: String,
    /// Full name, when given.
    pub name: Option<String>,
    /// Role, when the file says.
    pub role: Option<Role>,
}

/// One raw turn: a speaker's words, or a paragraph without a speaker.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Turn {
    /// Speaker label as written, without the colon.
    pub speaker: Option<String>,
    /// The words. May still hold line breaks and runs of spaces; the builder
    /// normalizes them.
    pub text: String,
    /// Start time in seconds.
    pub start_time: Option<f64>,
    /// End time in seconds.
    pub end_time: Option<f64>,
    /// ISO 639-1 language the source marks for this turn (CHAT), which wins
    /// over detection.
    pub language: Option<String>,
    /// Annotations to keep with the segment.
    pub annotations: Vec<Annotation>,
}

/// What a reader gets: the file's path (for messages), its bytes, and the
/// project's reading options.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The file, for error messages.
    pub path: &'a Path,
    /// Its whole content.
    pub bytes: &'a [u8],
    /// Options from `voces.toml`.
    pub options: &'a crate::ReadOptions,
}

impl Input<'_> {
    /// An [`Error::Read`] about this file.
    pub fn error(&self, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::read(self.path, line, message)
    }

    /// Decodes the bytes as text (see [`crate::decode`]).
    pub fn text(&self) -> Result<crate::decode::Decoded> {
        crate::decode::decode(self.bytes).map_err(|m| self.error(None, m))
    }
}

/// Parses a timestamp: `SS`, `MM:SS`, `HH:MM:SS`, with an optional fraction
/// after `.` or `,` (SRT). Returns seconds.
pub fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (whole, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let mut secs = 0f64;
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: f64 = p.parse().ok()?;
        // Minutes and seconds after the first field stay under 60.
        if i > 0 && v >= 60.0 {
            return None;
        }
        secs = secs * 60.0 + v;
    }
    if !frac.is_empty() {
        if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        secs = format!("{secs}.{frac}").parse::<f64>().ok()?;
    }
    Some(secs)
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("00:12:31"), Some(751.0));
        assert_eq!(parse_timestamp("12:31"), Some(751.0));
        assert_eq!(parse_timestamp("00:00:01.443"), Some(1.443));
        assert_eq!(parse_timestamp("00:00:01,5"), Some(1.5));
        assert_eq!(parse_timestamp("1:75"), None);
        assert_eq!(parse_timestamp("a:b"), None);
        assert_eq!(parse_timestamp(""), None);
    }
}

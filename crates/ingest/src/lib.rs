//! Readers that turn transcript files and attribute sheets into the voces
//! corpus model.
//!
//! Each format has a reader in [`readers`] that turns bytes into a raw
//! [`Transcript`] (turns with speaker labels, times, language marks). One
//! builder, [`build::build`], then does for every format what they share:
//! Unicode NFC, whitespace, speaker roles, the interview text with character
//! offsets, sentence and word boundaries, and language detection. Attribute
//! sheets (`.csv`, `.xlsx`, `.xls`, `.ods`) are read by [`metadata`].
//!
//! ```
//! use voces_ingest::{ReadOptions, ingest_bytes};
//! # fn main() -> voces_ingest::Result<()> {
//! let options = ReadOptions::new(&Default::default(), &Default::default())?;
//! // A name is taken for a speaker label once it opens two turns (so that
//! // a stray "Reason: none given." stays text).
//! let text = "Interviewer: Why did you leave?\nMaría: We had no papers.\n\
//!             Interviewer: And then?\nMaría: We paid a coyote.\n";
//! let interview = ingest_bytes(std::path::Path::new("maria.txt"), text.as_bytes(), &options)?;
//! assert_eq!(interview.segments.len(), 4);
//! assert_eq!(interview.segments[1].speaker.as_deref(), Some("María"));
//! assert_eq!(interview.language, "en");
//! # Ok(()) }
//! ```

pub mod build;
pub mod decode;
mod error;
pub mod language;
pub mod metadata;
pub mod readers;
mod roles;
pub mod segment;
mod transcript;
pub mod zipxml;

use std::io::Read;
use std::path::Path;

use regex::Regex;
use voces_corpus::{IngestConfig, Interview, ProjectConfig, SourceFormat};

pub use error::{Error, Result};
pub use transcript::{DeclaredSpeaker, Input, Transcript, Turn, parse_timestamp};

/// Version of the readers; part of every interview's fingerprint so that a
/// new voces re-reads files its readers now read differently.
pub const READER_VERSION: u32 = 1;

/// Settings that shape how files are read, from `voces.toml`.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Languages detection may choose (ISO 639-1), the first is the default.
    pub languages: Vec<String>,
    /// User pattern for speaker labels in plain text (`speaker`, `time`,
    /// `text` groups), or `None` for the built-in one.
    pub speaker_pattern: Option<Regex>,
    /// Extra lower-case labels meaning the interviewer.
    pub interviewer_labels: Vec<String>,
    /// Extra lower-case labels meaning a participant.
    pub participant_labels: Vec<String>,
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of decompressed bytes read from one zip (docx, odt,
    /// xlsx), against zip bombs.
    pub max_unzipped_bytes: u64,
    /// Turns with fewer letters inherit the interview's language.
    pub min_detect_chars: usize,
    fingerprint: String,
    /// The language detector for `languages`, built once.
    detector: language::Detector,
}

impl ReadOptions {
    /// Options from the project's settings.
    pub fn new(project: &ProjectConfig, ingest: &IngestConfig) -> Result<ReadOptions> {
        let speaker_pattern = if ingest.speaker_pattern.trim().is_empty() {
            None
        } else {
            let re = Regex::new(&ingest.speaker_pattern).map_err(|e| {
                Error::Config(format!(
                    "[ingest] speaker_pattern is not a valid regular expression: {e}"
                ))
            })?;
            if !re.capture_names().any(|n| n == Some("speaker")) {
                return Err(Error::Config(
                    "[ingest] speaker_pattern needs a named group `(?P<speaker>...)`".into(),
                ));
            }
            Some(re)
        };
        for lang in &project.languages {
            if language::whatlang_of(lang).is_none() {
                return Err(Error::Config(format!(
                    "[project] languages: `{lang}` is not a language voces can detect"
                )));
            }
        }
        let lower = |v: &[String]| {
            v.iter()
                .map(|s| s.trim().to_lowercase())
                .collect::<Vec<_>>()
        };
        let max_file_bytes = ingest.max_file_mb.saturating_mul(1024 * 1024);
        let fingerprint = {
            let mut h = voces_corpus::id::Sha256::new();
            h.update(format!(
                "{READER_VERSION}|{:?}|{}|{:?}|{:?}|{}",
                project.languages,
                ingest.speaker_pattern,
                lower(&ingest.interviewer_labels),
                lower(&ingest.participant_labels),
                ingest.min_detect_chars
            ));
            voces_corpus::id::hex(&h.finish()[..8])
        };
        Ok(ReadOptions {
            languages: project.languages.clone(),
            speaker_pattern,
            interviewer_labels: lower(&ingest.interviewer_labels),
            participant_labels: lower(&ingest.participant_labels),
            max_file_bytes,
            max_unzipped_bytes: max_file_bytes.saturating_mul(4).max(64 * 1024 * 1024),
            min_detect_chars: ingest.min_detect_chars,
            fingerprint,
            detector: language::Detector::new(&project.languages),
        })
    }

    /// Hash of the reader version and these options, stored with each
    /// interview.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The language detector for the project's languages.
    pub(crate) fn detector(&self) -> &language::Detector {
        &self.detector
    }
}

/// The transcript format of a file, from its extension; `None` for files no
/// transcript reader takes.
pub fn transcript_format(path: &Path) -> Option<SourceFormat> {
    let ext = extension(path);
    Some(match ext.as_str() {
        "txt" | "text" | "md" | "markdown" => SourceFormat::Text,
        "docx" => SourceFormat::Docx,
        "odt" => SourceFormat::Odt,
        "vtt" => SourceFormat::Vtt,
        "srt" => SourceFormat::Srt,
        "cha" => SourceFormat::Chat,
        _ => return None,
    })
}

/// Lower-case extension of a path, without the dot.
pub fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Reads a file with the size limit applied before anything is loaded.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let io = |e| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limit {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow while we read: never read past the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The interview id of a transcript file: its name without the extension,
/// in Unicode NFC (a name copied from macOS may come decomposed), as a
/// [`voces_corpus::id::slug`].
pub fn interview_id(path: &Path) -> String {
    voces_corpus::id::slug(&build::normalize(&stem_of(path)))
}

/// A file's name without its extension (lossy on names not in UTF-8).
fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads and builds one transcript file into an [`Interview`].
pub fn ingest_file(path: &Path, options: &ReadOptions) -> Result<Interview> {
    if transcript_format(path).is_none() {
        return Err(Error::Unsupported {
            path: path.to_owned(),
            ext: extension(path),
        });
    }
    let bytes = read_file(path, options.max_file_bytes)?;
    ingest_bytes(path, &bytes, options)
}

/// Builds an [`Interview`] from a file's bytes; `path` gives the format (by
/// extension), the id (from the file stem) and the name in messages.
pub fn ingest_bytes(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Interview> {
    let format = transcript_format(path).ok_or_else(|| Error::Unsupported {
        path: path.to_owned(),
        ext: extension(path),
    })?;
    let input = Input {
        path,
        bytes,
        options,
    };
    let transcript = readers::read(format, &input)?;
    build::build(&input, format, transcript)
}

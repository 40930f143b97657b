//! One reader per transcript format. Each turns a file's bytes into a raw
//! [`Transcript`]; none normalizes, assigns roles or detects language (the
//! builder does that once for all).
//!
//! # Limits
//!
//! No file can make voces use memory out of proportion to its size, or time
//! out of proportion to its length. Every limit gives a one-line error that
//! names the file and the limit (sometimes with a `hint:` line); the file is
//! skipped and the rest of the run goes on.
//!
//! | limit | value | where |
//! |---|---|---|
//! | file size, transcripts and sheets | `max_file_mb` in `voces.toml` (64 MiB) | [`crate::read_file`], before reading |
//! | decompressed bytes from one zip (`.docx`, `.odt`, `.xlsx`, `.ods`) | 4 × `max_file_mb`, at least 64 MiB; bytes actually inflated, not the sizes the archive declares | [`crate::zipxml::Zip`], sheet readers |
//! | zip entries | [`MAX_ENTRIES`](crate::zipxml::MAX_ENTRIES) (10,000) | [`crate::zipxml::Zip`], sheet readers |
//! | XML element nesting | [`MAX_DEPTH`](crate::zipxml::MAX_DEPTH) (256) | [`crate::zipxml::Xml`] |
//! | XML entities | never expanded beyond the five predefined ones and character references (no DTD) | [`crate::zipxml::Xml`] |
//! | line length (text, subtitles, CHAT, CSV, and the rendered text of `.docx`/`.odt`) | [`MAX_LINE_BYTES`](crate::decode::MAX_LINE_BYTES) (1 MiB) | [`crate::decode::check_lines`] |
//! | lines in one file | [`MAX_LINES`](crate::decode::MAX_LINES) (1,000,000) | [`crate::decode::check_lines`] |
//! | turns in one transcript | [`MAX_TURNS`] (100,000) | [`read`]; subtitles check as they go |
//! | sheet columns | [`MAX_COLUMNS`](crate::metadata::MAX_COLUMNS) (16,384) | [`crate::metadata`] |
//! | sheet cells (and so rows: a row needs one) | [`MAX_CELLS`](crate::metadata::MAX_CELLS) (2,000,000 non-empty) | [`crate::metadata`] |
//! | workbook laid out in memory (`.ods`, `.xls`) | estimated before decoding, at most the zip limit | [`crate::metadata`] |
//!
//! The limits are far above what real transcripts need: the real corpora
//! voces is tested on have at most about 5,300 lines per file and a longest
//! line of 71 KB. They are fuzzed with the targets in `fuzz/`.

pub mod chat;
pub mod docx;
pub mod odt;
pub mod subtitles;
pub mod text;

use voces_corpus::SourceFormat;

use crate::decode::{Decoded, check_lines};
use crate::{Input, Result, Transcript};

/// Most turns read from one transcript (100,000). A ten-hour interview has
/// a few thousand; every turn becomes a segment that costs memory and index
/// space, so a file of more is refused rather than read.
pub const MAX_TURNS: usize = 100_000;

/// Reads `input` with the reader of `format`.
pub fn read(format: SourceFormat, input: &Input<'_>) -> Result<Transcript> {
    let transcript = match format {
        SourceFormat::Text => text::read(input),
        SourceFormat::Docx => docx::read(input),
        SourceFormat::Odt => odt::read(input),
        SourceFormat::Vtt => subtitles::read_vtt(input),
        SourceFormat::Srt => subtitles::read_srt(input),
        SourceFormat::Chat => chat::read(input),
    }?;
    check_turns(input, transcript.turns.len())?;
    Ok(transcript)
}

/// Refuses a transcript of more than [`MAX_TURNS`] turns (readers that can
/// make many turns from little text call it as they go).
fn check_turns(input: &Input<'_>, turns: usize) -> Result<()> {
    if turns > MAX_TURNS {
        return Err(input.error(
            None,
            format!("more than {MAX_TURNS} turns, the most voces reads from one transcript"),
        ));
    }
    Ok(())
}

/// The file's text, decoded (see [`crate::decode`]) and within the limits
/// on lines.
fn text_of(input: &Input<'_>) -> Result<Decoded> {
    let decoded = input.text()?;
    check_lines(&decoded.text).map_err(|limit| input.error(None, limit.to_string()))?;
    Ok(decoded)
}

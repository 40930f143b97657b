//! One reader per transcript format. Each turns a file's bytes into a raw
//! [`Transcript`]; none normalizes, assigns roles or detects language (the
//! builder does that once for all).

pub mod chat;
pub mod docx;
pub mod odt;
pub mod subtitles;
pub mod text;

use voces_corpus::SourceFormat;

use crate::{Input, Result, Transcript};

/// Reads `input` with the reader of `format`.
pub fn read(format: SourceFormat, input: &Input<'_>) -> Result<Transcript> {
    match format {
        SourceFormat::Text => text::read(input),
        SourceFormat::Docx => docx::read(input),
        SourceFormat::Odt => odt::read(input),
        SourceFormat::Vtt => subtitles::read_vtt(input),
        SourceFormat::Srt => subtitles::read_srt(input),
        SourceFormat::Chat => chat::read(input),
    }
}

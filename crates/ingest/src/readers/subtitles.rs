//! `WebVTT` (`.vtt`) and `SubRip` (`.srt`) captions.
//!
//! Both formats are read in the same two steps:
//!
//! 1. **Cues.** The file is cut into blocks at blank lines; a block holds a
//!    timing line (`start --> end [settings]`), an optional identifier (the
//!    SRT cue number) and the cue text. The text loses its markup (`<i>`,
//!    `<c.class>`, `<lang en>`, inline timestamps, `{\an8}`), entities are
//!    decoded, and it is split into pieces by speaker: a `WebVTT` voice tag
//!    (`<v Maria>`, `<v.loud Maria>`) names the speaker of the text after
//!    it; without voice tags a `Speaker Name: text` prefix at the start of a
//!    line does (what Zoom, Teams and otter exports write). Bracketed stage
//!    text (`[laughs]`, `(inaudible)`) and dialogue dashes stay in the text.
//! 2. **Turns.** Consecutive pieces of one speaker are merged into one turn
//!    (start of the first, end of the last); consecutive pieces without a
//!    speaker are merged into one unlabelled turn.
//!
//! A cue with a malformed timing line is skipped with a warning naming the
//! line; text outside any cue (a stray blank line inside a cue) is kept with
//! the cue before it, with a warning. Only a file without a single readable
//! cue is an error. `WebVTT` files must start with the `WEBVTT` header; `NOTE`,
//! `STYLE` and `REGION` blocks are skipped. SRT cue numbers that are
//! missing or out of sequence are warned about, never fatal.

use crate::{Input, Result, Transcript, Turn, parse_timestamp};

/// Most warnings kept per file; the rest are counted in one last warning.
const MAX_WARNINGS: usize = 50;

/// Reads a `WebVTT` file.
pub fn read_vtt(input: &Input<'_>) -> Result<Transcript> {
    read(input, Format::Vtt)
}

/// Reads a `SubRip` (`.srt`) file.
pub fn read_srt(input: &Input<'_>) -> Result<Transcript> {
    read(input, Format::Srt)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Vtt,
    Srt,
}

/// Text of one speaker inside one cue, with the cue's times.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    speaker: Option<String>,
    text: String,
    start: f64,
    end: f64,
}

/// One cue as read: where it starts, its times and its raw text lines.
#[derive(Debug)]
struct Cue<'a> {
    start: f64,
    end: f64,
    lines: Vec<&'a str>,
}

fn read(input: &Input<'_>, format: Format) -> Result<Transcript> {
    let decoded = super::text_of(input)?;
    let lines = split_lines(&decoded.text);
    let mut warnings = Warnings::default();
    let mut title = None;
    let mut body = 0;
    if format == Format::Vtt {
        let (header_title, after_header) = vtt_header(input, &lines)?;
        title = header_title;
        body = after_header;
    }
    let cues = parse_cues(&lines[body..], body, format, &mut warnings);
    if cues.is_empty() {
        let hint = match format {
            Format::Vtt => {
                "no cues found\nhint: a cue is a timing line `00:00:01.000 --> 00:00:04.000` followed by its text"
            }
            Format::Srt => {
                "no cues found\nhint: a cue is a number, a timing line `00:00:01,000 --> 00:00:04,000` and its text"
            }
        };
        return Err(input.error(None, hint));
    }
    let mut turns = Vec::new();
    for cue in &cues {
        for piece in cue_pieces(cue) {
            merge(&mut turns, piece);
        }
        // Voice tags can make many turns of one line: stop early.
        super::check_turns(input, turns.len())?;
    }
    if turns.is_empty() {
        return Err(input.error(None, "no cues found: every cue is empty"));
    }
    Ok(Transcript {
        title,
        encoding: decoded.encoding.to_owned(),
        turns,
        warnings: warnings.finish(),
        ..Transcript::default()
    })
}

/// Checks the `WEBVTT` line and returns the title written after it and the
/// index of the first line after the header block.
fn vtt_header(input: &Input<'_>, lines: &[&str]) -> Result<(Option<String>, usize)> {
    // Lenient: leading blank lines and stray byte-order marks are allowed.
    let Some(first) = lines.iter().position(|l| !is_blank(l)) else {
        return Err(input.error(None, "no cues found"));
    };
    let line = lines[first].trim_start_matches(['\u{feff}', ' ', '\t']);
    let rest = line
        .strip_prefix("WEBVTT")
        .filter(|r| r.is_empty() || r.starts_with([' ', '\t']));
    let Some(rest) = rest else {
        let mut message = String::from("missing the `WEBVTT` header on the first line");
        if lines.iter().any(|l| l.contains("-->") && l.contains(',')) {
            message.push_str("\nhint: this looks like SubRip; rename the file to `.srt`");
        }
        return Err(input.error(Some(first + 1), message));
    };
    let title = rest
        .trim()
        .trim_start_matches(['-', '\u{2013}', '\u{2014}'])
        .trim();
    let title = (!title.is_empty()).then(|| title.to_owned());
    // Header metadata (`Kind: captions`, `Language: en`) runs to the first
    // blank line, unless a cue follows without one.
    let mut next = first + 1;
    while next < lines.len() && !is_blank(lines[next]) && !lines[next].contains("-->") {
        next += 1;
    }
    if next < lines.len() && lines[next].contains("-->") && next > first + 1 {
        // The line before the timing line is the cue's identifier.
        next -= 1;
    }
    Ok((title, next))
}

/// Cuts `lines` (starting at 0-based line `offset` of the file) into cues.
fn parse_cues<'a>(
    lines: &[&'a str],
    offset: usize,
    format: Format,
    warnings: &mut Warnings,
) -> Vec<Cue<'a>> {
    let mut cues: Vec<Cue<'a>> = Vec::new();
    let mut expected_number = 1usize;
    let mut i = 0;
    while i < lines.len() {
        if is_blank(lines[i]) {
            i += 1;
            continue;
        }
        let block_start = i;
        while i < lines.len() && !is_blank(lines[i]) {
            i += 1;
        }
        let block = &lines[block_start..i];
        let line_no = |k: usize| offset + block_start + k + 1;
        if format == Format::Vtt
            && ["NOTE", "STYLE", "REGION"].iter().any(|kw| {
                block[0]
                    .strip_prefix(kw)
                    .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
            })
        {
            continue;
        }
        let timings: Vec<usize> = (0..block.len())
            .filter(|&k| block[k].contains("-->"))
            .collect();
        let Some(&first_timing) = timings.first() else {
            orphan_text(&mut cues, block, line_no(0), warnings);
            continue;
        };
        // Lines before the identifier line belong to no cue.
        if first_timing >= 2 {
            orphan_text(&mut cues, &block[..first_timing - 1], line_no(0), warnings);
        }
        let id = first_timing
            .checked_sub(1)
            .map(|k| (block[k].trim(), line_no(k)));
        if format == Format::Srt {
            check_number(id, line_no(first_timing), &mut expected_number, warnings);
        }
        for (n, &t) in timings.iter().enumerate() {
            // A cue runs to the next timing line, less the next cue's
            // number when the blank line between them is missing.
            let mut end = timings.get(n + 1).copied().unwrap_or(block.len());
            if end < block.len() {
                let numbered = end > t + 1 && is_number(block[end - 1]);
                if numbered {
                    end -= 1;
                }
                if format == Format::Srt {
                    let next_id = numbered.then(|| (block[end].trim(), line_no(end)));
                    let timing_line = line_no(timings[n + 1]);
                    check_number(next_id, timing_line, &mut expected_number, warnings);
                }
            }
            match parse_timing(block[t]) {
                Some((start, mut stop)) => {
                    if stop < start {
                        warnings.push(
                            line_no(t),
                            "cue ends before it starts; end time set to its start",
                        );
                        stop = start;
                    }
                    cues.push(Cue {
                        start,
                        end: stop,
                        lines: block[t + 1..end].to_vec(),
                    });
                }
                None => warnings.push(
                    line_no(t),
                    format!(
                        "malformed timing line `{}`, cue skipped",
                        shorten(block[t].trim())
                    ),
                ),
            }
        }
    }
    cues
}

/// Keeps text found outside any cue with the cue before it, or drops it
/// when no cue came before.
fn orphan_text<'a>(cues: &mut [Cue<'a>], lines: &[&'a str], line: usize, warnings: &mut Warnings) {
    match cues.last_mut() {
        Some(cue) => {
            warnings.push(
                line,
                "text without a timing line, kept with the cue before it",
            );
            cue.lines.extend_from_slice(lines);
        }
        None => warnings.push(
            line,
            format!(
                "text before the first cue skipped: `{}`",
                shorten(lines[0].trim())
            ),
        ),
    }
}

/// Warns when an SRT cue number is missing or out of sequence.
fn check_number(
    id: Option<(&str, usize)>,
    timing_line: usize,
    expected: &mut usize,
    warnings: &mut Warnings,
) {
    let Some((text, line)) = id else {
        // The number is missing: the next cue may well carry this one's.
        warnings.push(timing_line, "cue without a number");
        return;
    };
    if let Ok(n) = text.parse::<usize>() {
        if n != *expected {
            warnings.push(
                line,
                format!("cue number {n} out of sequence, expected {expected}"),
            );
        }
        *expected = n.saturating_add(1);
    } else {
        warnings.push(
            line,
            format!("expected a cue number, found `{}`", shorten(text)),
        );
        *expected = expected.saturating_add(1);
    }
}

/// Start and end seconds of a timing line `start --> end [settings]`.
fn parse_timing(line: &str) -> Option<(f64, f64)> {
    let (left, right) = line.split_once("-->")?;
    let end = right.split_whitespace().next()?;
    // `parse_timestamp` takes bare seconds too; a cue time has a colon.
    let time = |s: &str| {
        if s.contains(':') {
            parse_timestamp(s)
        } else {
            None
        }
    };
    Some((time(left.trim())?, time(end)?))
}

/// Splits one cue into pieces of one speaker each.
fn cue_pieces(cue: &Cue<'_>) -> Vec<Piece> {
    let raw = cue.lines.join("\n");
    let (spans, voiced) = strip_markup(&raw);
    let mut out = Vec::new();
    let mut push = |speaker: Option<String>, text: &str| {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push(Piece {
                speaker,
                text,
                start: cue.start,
                end: cue.end,
            });
        }
    };
    if voiced {
        for (speaker, text) in spans {
            push(speaker, &text);
        }
        return out;
    }
    // No voice tags: a `Name: text` line starts a new speaker.
    let text: String = spans.into_iter().map(|(_, t)| t).collect();
    let mut speaker = None;
    let mut current = String::new();
    for line in text.split('\n') {
        if let Some((label, rest)) = speaker_prefix(line) {
            push(speaker.take(), &current);
            current.clear();
            speaker = Some(label.to_owned());
            current.push_str(rest);
        } else {
            current.push(' ');
            current.push_str(line);
        }
    }
    push(speaker, &current);
    out
}

/// Removes tags and decodes entities. Returns the text as spans, each with
/// the voice (`<v Name>`) it is spoken in, and whether any voice tag was
/// seen.
fn strip_markup(raw: &str) -> (Vec<(Option<String>, String)>, bool) {
    let mut spans: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let mut voiced = false;
    let mut in_ruby_text = false;
    let mut rest = raw;
    while let Some(i) = rest.find(['<', '{', '&']) {
        let (before, from) = rest.split_at(i);
        if !in_ruby_text && let Some(last) = spans.last_mut() {
            last.1.push_str(before);
        }
        if from.starts_with('<') {
            if let Some((tag, after)) = markup_tag(from) {
                rest = after;
                let closing = tag.starts_with('/');
                let tag = tag.trim_start_matches('/');
                let name_end = tag
                    .find(|c: char| c == '.' || c.is_whitespace())
                    .unwrap_or(tag.len());
                let name = &tag[..name_end];
                match (name, closing) {
                    ("v", false) => {
                        voiced = true;
                        let annotation = tag[name_end..]
                            .trim_start_matches(|c: char| !c.is_whitespace())
                            .trim();
                        let speaker = (!annotation.is_empty()).then(|| decode_entities(annotation));
                        spans.push((speaker, String::new()));
                    }
                    ("v", true) => spans.push((None, String::new())),
                    ("rt", false) => in_ruby_text = true,
                    ("rt", true) => in_ruby_text = false,
                    // A tag between words stands for a space; the builder
                    // collapses any run of them.
                    ("br", _) => {
                        if let Some(last) = spans.last_mut() {
                            last.1.push(' ');
                        }
                    }
                    _ => {}
                }
                continue;
            }
        } else if from.starts_with("{\\") {
            // SSA/ASS override blocks some SRT files carry (`{\an8}`).
            // Stop at the next brace or line so that scanning stays linear.
            if let Some(close) = from[1..].find(['}', '{', '\n']).map(|i| i + 1)
                && from.as_bytes()[close] == b'}'
            {
                rest = &from[close + 1..];
                continue;
            }
        } else if from.starts_with('&')
            && let Some((decoded, after)) = entity(from)
        {
            if !in_ruby_text && let Some(last) = spans.last_mut() {
                last.1.push_str(decoded.as_str());
            }
            rest = after;
            continue;
        }
        // Not markup: keep the character.
        let c_len = from.chars().next().map_or(1, char::len_utf8);
        if !in_ruby_text && let Some(last) = spans.last_mut() {
            last.1.push_str(&from[..c_len]);
        }
        rest = &from[c_len..];
    }
    if !in_ruby_text && let Some(last) = spans.last_mut() {
        last.1.push_str(rest);
    }
    (spans, voiced)
}

/// A tag at the start of `s` (`<i>`, `</c>`, `<v.loud Ann>`, `<00:01.000>`):
/// its content and the text after it. `None` when `<` does not open a tag.
fn markup_tag(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('<')?;
    let first = inner.trim_start_matches('/').chars().next()?;
    if !first.is_ascii_alphanumeric() {
        return None;
    }
    let close = inner.find(['>', '\n', '<'])?;
    if inner.as_bytes()[close] != b'>' {
        return None;
    }
    Some((&inner[..close], &inner[close + 1..]))
}

/// Decodes the entity at the start of `s` (`&amp;`, `&#233;`): its text
/// and what follows. Direction marks (`&lrm;`, `&rlm;`) decode to nothing:
/// they are invisible and would only hinder search.
fn entity(s: &str) -> Option<(String, &str)> {
    let window = s.char_indices().nth(12).map_or(s.len(), |(i, _)| i);
    let semi = s[..window].find(';')?;
    let name = &s[1..semi];
    let text = match name {
        "amp" => "&".to_owned(),
        "lt" => "<".to_owned(),
        "gt" => ">".to_owned(),
        "quot" => "\"".to_owned(),
        "apos" => "'".to_owned(),
        "nbsp" => " ".to_owned(),
        "lrm" | "rlm" => String::new(),
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code).filter(|c| *c != '\0')?.to_string()
        }
    };
    Some((text, &s[semi + 1..]))
}

/// `s` with its entities decoded.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        if let Some((text, after)) = entity(&rest[i..]) {
            out.push_str(&text);
            rest = after;
        } else {
            out.push('&');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// A `Speaker Name: text` prefix: the label and the text after the colon.
///
/// The label is one to four words, each starting with a capital letter or a
/// digit, or a short lower-case particle after the first (`María de la
/// Cruz`, `Speaker 2`, `SPEAKER_01`, `Dr. Ruiz`), 40 characters at most,
/// and the colon is followed by a space or the end of the line, so `10:30`,
/// URLs and `he said: go` are not read as speakers.
fn speaker_prefix(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let (label, rest) = (line[..colon].trim(), &line[colon + 1..]);
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) || label.chars().count() > 40 {
        return None;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let allowed = |c: char| {
        c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '\'' | '\u{2019}' | '(' | ')')
    };
    if !label.chars().all(|c| allowed(c) || c.is_whitespace()) {
        return None;
    }
    if !words[0].chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let capitalised = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    let particle = |w: &str| w.chars().count() <= 3 && w.chars().all(char::is_lowercase);
    let ok = words
        .iter()
        .enumerate()
        .all(|(i, w)| capitalised(w) || (i > 0 && particle(w)));
    ok.then_some((label, rest.trim_start()))
}

/// Adds a piece to the turns: to the last one when it is of the same
/// speaker (or both have none), else as a new turn.
fn merge(turns: &mut Vec<Turn>, piece: Piece) {
    if let Some(last) = turns.last_mut()
        && last.speaker == piece.speaker
    {
        last.text.push(' ');
        last.text.push_str(&piece.text);
        last.end_time = Some(last.end_time.map_or(piece.end, |e| e.max(piece.end)));
        return;
    }
    turns.push(Turn {
        speaker: piece.speaker,
        text: piece.text,
        start_time: Some(piece.start),
        end_time: Some(piece.end),
        ..Turn::default()
    });
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_number(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// Lines of `text`, split at `\n`, `\r\n` or a lone `\r`.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
        lines.push(&rest[..i]);
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

/// At most 60 characters of `s`, for messages.
pub(crate) fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

/// Warnings of one file, `line N: message`, capped at [`MAX_WARNINGS`].
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    list: Vec<String>,
    more: usize,
}

impl Warnings {
    /// Adds a warning about 1-based `line`.
    pub(crate) fn push(&mut self, line: usize, message: impl Into<String>) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(format!("line {line}: {}", message.into()));
        } else {
            self.more += 1;
        }
    }

    /// The warnings, with a last one counting those left out.
    pub(crate) fn finish(mut self) -> Vec<String> {
        if self.more > 0 {
            self.list
                .push(format!("{} more warnings not shown", self.more));
        }
        self.list
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use voces_corpus::{IngestConfig, ProjectConfig};

    use super::*;
    use crate::ReadOptions;

    fn run(
        reader: fn(&Input<'_>) -> Result<Transcript>,
        name: &str,
        bytes: &[u8],
    ) -> Result<Transcript> {
        let options =
            ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap();
        let input = Input {
            path: Path::new(name),
            bytes,
            options: &options,
        };
        reader(&input)
    }

    fn vtt(text: &str) -> Transcript {
        run(read_vtt, "t.vtt", text.as_bytes()).unwrap()
    }

    fn srt(text: &str) -> Transcript {
        run(read_srt, "t.srt", text.as_bytes()).unwrap()
    }

    fn vtt_error(bytes: &[u8]) -> String {
        run(read_vtt, "t.vtt", bytes).unwrap_err().to_string()
    }

    fn srt_error(bytes: &[u8]) -> String {
        run(read_srt, "t.srt", bytes).unwrap_err().to_string()
    }

    /// Speaker and text of each turn.
    fn said(t: &Transcript) -> Vec<(Option<&str>, &str)> {
        t.turns
            .iter()
            .map(|t| (t.speaker.as_deref(), t.text.as_str()))
            .collect()
    }

    fn times(t: &Transcript) -> Vec<(f64, f64)> {
        t.turns
            .iter()
            .map(|t| (t.start_time.unwrap(), t.end_time.unwrap()))
            .collect()
    }

    #[test]
    fn vtt_voice_tags_and_merged_cues() {
        let t = vtt("WEBVTT\n\n\
            1\n00:00:01.000 --> 00:00:04.000\n<v Entrevistadora>¿Cuándo salió de Honduras?\n\n\
            2\n00:00:04.500 --> 00:00:07.000\n<v Rosa>En 2019,\ncon mi hija.\n\n\
            00:00:07.000 --> 00:00:09.250 align:start line:90%\n<v Rosa>Cruzamos por Tapachula.</v>\n\n\
            00:00:10.000 --> 00:00:11.000\n<v Entrevistadora>¿Sola?\n");
        assert_eq!(
            said(&t),
            [
                (Some("Entrevistadora"), "¿Cuándo salió de Honduras?"),
                (
                    Some("Rosa"),
                    "En 2019, con mi hija. Cruzamos por Tapachula."
                ),
                (Some("Entrevistadora"), "¿Sola?"),
            ]
        );
        assert_eq!(times(&t), [(1.0, 4.0), (4.5, 9.25), (10.0, 11.0)]);
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        assert_eq!(t.encoding, "UTF-8");
        assert!(t.speakers.is_empty() && t.title.is_none());
    }

    #[test]
    fn vtt_voice_classes_and_two_voices_in_a_cue() {
        let t = vtt(
            "WEBVTT\n\n00:01.000 --> 00:03.000\n<v.loud.first Ana María>Hola.</v> <v Luis>Buenas.\n<v Ana María>¿Y usted?\n",
        );
        assert_eq!(
            said(&t),
            [
                (Some("Ana María"), "Hola."),
                (Some("Luis"), "Buenas."),
                (Some("Ana María"), "¿Y usted?"),
            ]
        );
        assert_eq!(times(&t), [(1.0, 3.0); 3]);
    }

    #[test]
    fn vtt_header_is_lenient_but_required() {
        let t = vtt(
            "\u{feff}\n  WEBVTT - Interview 3: leaving Aleppo\nKind: captions\nLanguage: en\n\n00:00:00.000 --> 00:00:01.000\nHello.\n",
        );
        assert_eq!(t.title.as_deref(), Some("Interview 3: leaving Aleppo"));
        assert_eq!(said(&t), [(None, "Hello.")]);
        // A cue right after the header line, without a blank line.
        let t = vtt("WEBVTT\n00:00:00.000 --> 00:00:01.000\nHi.\n");
        assert_eq!(said(&t), [(None, "Hi.")]);
        let t = vtt("WEBVTT\nKind: captions\nc1\n00:00:00.000 --> 00:00:01.000\nHi.\n");
        assert_eq!(said(&t), [(None, "Hi.")]);

        let e = vtt_error(b"Interviewer: where from?\n\n00:00:00.000 --> 00:00:01.000\nHi.\n");
        assert_eq!(e, "t.vtt:1: missing the `WEBVTT` header on the first line");
        let e = vtt_error(b"1\n00:00:00,000 --> 00:00:01,000\nHi.\n");
        assert!(e.contains("hint: this looks like SubRip"), "{e}");
        // `WEBVTTX` is not the header.
        assert!(
            vtt_error(b"WEBVTTX\n\n00:00.000 --> 00:01.000\nHi.\n")
                .contains("missing the `WEBVTT` header")
        );
    }

    #[test]
    fn vtt_note_style_region_blocks_are_skipped() {
        let t = vtt(
            "WEBVTT\n\nNOTE this is a note\n00:00:00.000 --> 00:00:01.000 is not a cue here\n\n\
            STYLE\n::cue { color: red }\n\nREGION\nid:fred width:40%\n\n\
            NOTE\nmulti\nline\n\n00:00:02.000 --> 00:00:03.000\n<v A>Real cue.\n",
        );
        assert_eq!(said(&t), [(Some("A"), "Real cue.")]);
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn vtt_markup_is_stripped_and_entities_decoded() {
        let t = vtt("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n\
            <v Ana><c.yellow>Vine</c> <i>sola</i>, <b>sin</b> <u>papeles</u> <lang en>and scared</lang>\n\
            <00:00:03.000><c>&amp; &lt;luego&gt;&nbsp;más&lrm;&rlm; &#233; &#xE9; &quot;ok&quot; &bogus; a & b</c>\n\
            <ruby>漢<rt>kan</rt></ruby> 3 < 4\n");
        assert_eq!(
            said(&t),
            [(
                Some("Ana"),
                "Vine sola, sin papeles and scared & <luego> más é é \"ok\" &bogus; a & b 漢 3 < 4"
            )]
        );
    }

    #[test]
    fn vtt_speaker_prefix_without_voice_tags() {
        let t = vtt(
            "WEBVTT\n\n1\n00:00:00.480 --> 00:00:03.120\nMaria Lopez: So, when did you leave?\n\n\
            2\n00:00:03.600 --> 00:00:07.950\nJosé Pérez: In 2017.\n\n\
            3\n00:00:07.950 --> 00:00:10.020\nJosé Pérez: The inflation was terrible.\n\n\
            4\n00:00:10.020 --> 00:00:12.000\nMaría de la Cruz: Yes.\nSPEAKER_01: And?\n",
        );
        assert_eq!(
            said(&t),
            [
                (Some("Maria Lopez"), "So, when did you leave?"),
                (Some("José Pérez"), "In 2017. The inflation was terrible."),
                (Some("María de la Cruz"), "Yes."),
                (Some("SPEAKER_01"), "And?"),
            ]
        );
        assert_eq!(times(&t)[1], (3.6, 10.02));
    }

    #[test]
    fn speaker_prefix_rules() {
        for (line, speaker) in [
            ("Maria Lopez: text", Some("Maria Lopez")),
            ("Speaker 2: text", Some("Speaker 2")),
            ("Dr. Ruiz: text", Some("Dr. Ruiz")),
            ("ENTREVISTADOR: texto", Some("ENTREVISTADOR")),
            ("Interviewer:", Some("Interviewer")),
            ("he said: go away", None),
            ("At 10:30 we left", None),
            ("See https://example.org", None),
            ("Why? Because: reasons", None),
            ("One Two Three Four Five: too long", None),
            ("[Crosstalk]: no", None),
            ("1st: no", None),
            ("", None),
        ] {
            assert_eq!(speaker_prefix(line).map(|p| p.0), speaker, "{line}");
        }
    }

    #[test]
    fn unlabelled_cues_start_their_own_turn() {
        let t = vtt("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>Hola.\n\n\
            00:01.000 --> 00:02.000\n[In Spanish] (inaudible)\n\n\
            00:02.000 --> 00:03.000\n[laughs]\n\n\
            00:03.000 --> 00:04.000\n<v Ana>Sí.\n");
        assert_eq!(
            said(&t),
            [
                (Some("Ana"), "Hola."),
                (None, "[In Spanish] (inaudible) [laughs]"),
                (Some("Ana"), "Sí."),
            ]
        );
        assert_eq!(times(&t)[1], (1.0, 3.0));
    }

    #[test]
    fn malformed_timings_warn_and_skip_the_cue() {
        let t = vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>One.\n\n\
            00:00:02.000 --> banana\n<v A>Skipped.\n\n\
            00:00:61.000 --> 00:00:62.000\n<v A>Skipped too.\n\n\
            00:00:05.000 --> 00:00:04.000\n<v A>Backwards.\n");
        assert_eq!(said(&t), [(Some("A"), "One. Backwards.")]);
        assert_eq!(times(&t), [(1.0, 5.0)]);
        assert_eq!(
            t.warnings,
            [
                "line 6: malformed timing line `00:00:02.000 --> banana`, cue skipped",
                "line 9: malformed timing line `00:00:61.000 --> 00:00:62.000`, cue skipped",
                "line 12: cue ends before it starts; end time set to its start",
            ]
        );
        let e = vtt_error(b"WEBVTT\n\nxx --> yy\nText.\n");
        assert_eq!(
            e,
            "t.vtt: no cues found\nhint: a cue is a timing line `00:00:01.000 --> 00:00:04.000` followed by its text"
        );
        assert!(vtt_error(b"WEBVTT\n").starts_with("t.vtt: no cues found"));
        assert!(
            vtt_error(b"WEBVTT\n\n00:00.000 --> 00:01.000\n<i></i>\n")
                .contains("every cue is empty")
        );
    }

    #[test]
    fn refuses_empty_and_binary_files() {
        assert_eq!(vtt_error(b""), "t.vtt: empty file");
        assert_eq!(
            srt_error(b"  \n"),
            "t.srt: no text in the file (only whitespace)"
        );
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(vtt_error(&junk).contains("binary"));
        assert!(srt_error(&junk).contains("binary"));
    }

    #[test]
    fn line_endings_and_encodings() {
        let t = vtt("WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\n<v A>Uno\r\ndos\r\n");
        assert_eq!(said(&t), [(Some("A"), "Uno dos")]);
        let t = srt(
            "1\r00:00:00,000 --> 00:00:01,000\rA: Uno\r\r2\r00:00:01,000 --> 00:00:02,000\rA: dos\r",
        );
        assert_eq!(said(&t), [(Some("A"), "Uno dos")]);
        // Windows-1252 SRT.
        let t = run(
            read_srt,
            "t.srt",
            b"1\n00:00:00,000 --> 00:00:01,000\nMigraci\xf3n: \xbfpor qu\xe9?\n",
        )
        .unwrap();
        assert_eq!(said(&t), [(Some("Migración"), "¿por qué?")]);
        assert_eq!(t.encoding, "windows-1252");
    }

    #[test]
    fn srt_cues_speakers_and_markup() {
        let t = srt(
            "1\n00:00:00,500 --> 00:00:03,000\nEntrevistadora: ¿Por qué salió?\n\n\
            2\n00:00:03,400 --> 00:00:06,900\nParticipante: Por las maras.\nNos pedían la renta.\n\n\
            3\n00:00:06,900 --> 00:00:09,000\nParticipante: <i>No había</i> <font color=\"#ff0\">otra</font> salida.\n\n\
            4\n00:00:09,500 --> 00:00:12,000\n{\\an8}[Rosa] - ¿Y su familia?\n- Se quedó.\n",
        );
        assert_eq!(
            said(&t),
            [
                (Some("Entrevistadora"), "¿Por qué salió?"),
                (
                    Some("Participante"),
                    "Por las maras. Nos pedían la renta. No había otra salida."
                ),
                (None, "[Rosa] - ¿Y su familia? - Se quedó."),
            ]
        );
        assert_eq!(times(&t), [(0.5, 3.0), (3.4, 9.0), (9.5, 12.0)]);
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn srt_numbering_problems_warn() {
        let t = srt("1\n00:00:01,000 --> 00:00:02,000\nA: one\n\n\
            3\n00:00:02,000 --> 00:00:03,000\nA: two\n\n\
            00:00:03,000 --> 00:00:04,000\nB: three\n4\n00:00:04,000 --> 00:00:05,000\nA: four\n\n\
            five\n00:00:05,000 --> 00:00:06,000\nA: five\n\n\
            6\n00:00:06:000 --> 00:00:07,000\nA: broken\n\n\
            7\n00:00:07,000 --> 00:00:08,000\nA: seven\n\nafter a blank line\n");
        assert_eq!(
            said(&t),
            [
                (Some("A"), "one two"),
                (Some("B"), "three"),
                (Some("A"), "four five seven after a blank line"),
            ]
        );
        assert_eq!(
            t.warnings,
            [
                "line 5: cue number 3 out of sequence, expected 2",
                "line 9: cue without a number",
                "line 15: expected a cue number, found `five`",
                "line 20: malformed timing line `00:00:06:000 --> 00:00:07,000`, cue skipped",
                "line 27: text without a timing line, kept with the cue before it",
            ]
        );
        let t = srt(
            "1\n00:00:01,000 --> 00:00:02,000\nA: one\n00:00:02,000 --> 00:00:03,000\nB: two\n",
        );
        assert_eq!(said(&t), [(Some("A"), "one"), (Some("B"), "two")]);
        assert_eq!(t.warnings, ["line 4: cue without a number"]);
        let e = srt_error(b"1\nA: no timing\n\n2\nB: none\n");
        assert!(e.starts_with("t.srt: no cues found\nhint:"), "{e}");
        let t = srt("Title of the file\n\n1\n00:00:00,000 --> 00:00:01,000\nHi.\n");
        assert_eq!(
            t.warnings,
            ["line 1: text before the first cue skipped: `Title of the file`"]
        );
    }

    #[test]
    fn warnings_are_capped() {
        let mut text = String::from("WEBVTT\n\n00:00.000 --> 00:01.000\nok\n");
        for _ in 0..80 {
            text.push_str("\nbad --> worse\nx\n");
        }
        let t = vtt(&text);
        assert_eq!(t.warnings.len(), MAX_WARNINGS + 1);
        assert_eq!(t.warnings.last().unwrap(), "30 more warnings not shown");
    }

    #[test]
    fn never_panics_on_truncated_or_odd_input() {
        let sample = "WEBVTT é\n\nNOTE ñ\n\nid ü\n00:00.000 --> 00:01.000 x\n<v.c Ana ñ>&amp;&#x1F600;&#0;&#xD800;&#99999999; <c.ñ>añ</c> {\\an8}{\\ñ\n\
                      <00:00.500><ruby>字<rt>ji</rt></ruby><lang es>sí</lang></v>\n\n\
                      00:01.000 --> 00:02.000\nSeñora Pérez: ¿qué?\n-->\n\n9\n00:02,000 --> 00:03,000\n< & { <v\n";
        for (i, _) in sample.char_indices() {
            let prefix = &sample[..i];
            let _ = run(read_vtt, "t.vtt", prefix.as_bytes());
            let _ = run(read_srt, "t.srt", prefix.as_bytes());
            let _ = run(read_srt, "t.srt", &sample.as_bytes()[i..]);
        }
    }

    #[test]
    fn real_corpus_boder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/boder-vtt");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("skipped: {} is absent", dir.display());
            }
            return;
        };
        let mut files = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "vtt") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let t = run(read_vtt, "boder.vtt", &bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            files += 1;
            let name = path.display();
            assert!(t.turns.len() >= 10, "{name}");
            assert!(
                t.turns
                    .iter()
                    .any(|t| t.speaker.as_deref() == Some("David Boder")),
                "{name}"
            );
            assert!(t.turns.iter().all(|t| t.speaker.is_some()), "{name}");
            // Merging leaves no two consecutive turns of one speaker.
            assert!(
                t.turns.windows(2).all(|w| w[0].speaker != w[1].speaker),
                "{name}"
            );
            for turn in &t.turns {
                assert!(
                    !turn.text.contains("<v") && !turn.text.contains("</"),
                    "{name}: {}",
                    turn.text
                );
                assert!(turn.start_time <= turn.end_time, "{name}");
            }
        }
        assert_eq!(files, 42);
    }
}

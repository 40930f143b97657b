//! Plain text and Markdown transcripts.
//!
//! A turn starts at a line that begins with a speaker label and a colon:
//! `Interviewer:`, `I:`, `P3:`, `E:`, `Entrevistador(a):`, `**NAME:**`,
//! `**Name**:`, `[00:12:31] Name:` (the time is kept). Lines that follow
//! without a label belong to the same turn, wrapped lines and paragraphs
//! alike. A label counts as a speaker when voces knows it for a role, or
//! when it opens at least two turns and looks like a name or a code
//! (`María`, `DR. SMITH`, `P12`); so `Note: ...` once in a text is text, not
//! a speaker. A file without speakers is read as paragraphs (blank-line
//! separated), one segment each.
//!
//! Lines of the form `Date: ...` before the first turn are header
//! attributes. A leading block of XML-like header elements (as the PRESEEA
//! corpus has: `<Hablante codigo_hab="E" papel="entrevistador" .../>`)
//! gives attributes, the date and declared speakers; inline annotation tags
//! (`<risas/>`, `<simultáneo>...</simultáneo>`) are removed from the text.
//!
//! The label pattern can be replaced with `speaker_pattern` in `voces.toml`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use voces_corpus::{AttrValue, Role};

use crate::{DeclaredSpeaker, Input, ReadOptions, Result, Transcript, Turn, parse_timestamp};

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^[\ \t]*
        (?: \[ (?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?) \] [\ \t]*
          | (?P<bare>\d{1,2}:\d{2}:\d{2}) [\ \t]+ )?
        (?:\*\*|__)?
        (?P<speaker>[\p{L}][\p{L}\p{M}\p{N}.'’()\-]*(?:\ [\p{L}\p{N}][\p{L}\p{M}\p{N}.'’()\-]*){0,3})
        [\ \t]*(?:\*\*|__)?[\ \t]*:(?:\*\*|__)?
        (?P<text>.*)$",
    )
    .expect("valid label pattern")
});

/// Labels that introduce header fields, never speakers.
const HEADER_KEYS: &[&str] = &[
    "date",
    "fecha",
    "time",
    "hora",
    "location",
    "lugar",
    "place",
    "duration",
    "duración",
    "duracion",
    "title",
    "título",
    "titulo",
    "country",
    "país",
    "pais",
    "city",
    "ciudad",
    "language",
    "idioma",
    "note",
    "notes",
    "nota",
    "notas",
    "transcriber",
    "transcriptor",
    "transcriptora",
    "interview",
    "entrevista",
    "file",
    "archivo",
    "http",
    "https",
];

/// Reads a plain-text or Markdown transcript.
pub fn read(input: &Input<'_>) -> Result<Transcript> {
    let decoded = super::text_of(input)?;
    let mut transcript = parse(&decoded.text, input.options);
    decoded.encoding.clone_into(&mut transcript.encoding);
    if transcript.turns.iter().all(|t| t.text.trim().is_empty()) {
        return Err(input.error(None, "no transcript text found"));
    }
    Ok(transcript)
}

/// The turns of a text (lines separated by `\n`, paragraphs by blank
/// lines); the other readers render their documents to such text and call
/// this, so speaker labels mean the same in every format.
pub fn parse_turns(text: &str, options: &ReadOptions) -> Vec<Turn> {
    parse(text, options).turns
}

/// Parses a whole text: header block, header fields, turns.
pub fn parse(text: &str, options: &ReadOptions) -> Transcript {
    let mut transcript = Transcript {
        encoding: "UTF-8".to_owned(),
        ..Transcript::default()
    };
    // `\n`, `\r\n` and a lone `\r` (old Mac files) end a line, as in the
    // line limits of `decode::check_lines`.
    let lines = super::subtitles::split_lines(text);
    let body_start = xml_header(&lines, &mut transcript);
    let body = &lines[body_start..];

    let pattern = options.speaker_pattern.as_ref().unwrap_or(&LABEL);
    // First pass: candidate labels and how many turns each opens.
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    let mut labels = LabelMatcher::new(pattern);
    let matches: Vec<Option<Label<'_>>> = body
        .iter()
        .map(|line| {
            let l = labels.find(line)?;
            // A marked label counts as a recurring one.
            *counts.entry(l.speaker).or_default() += if l.marked { 2 } else { 1 };
            Some(l)
        })
        .collect();
    let declared: Vec<String> = transcript
        .speakers
        .iter()
        .map(|s| s.label.clone())
        .collect();
    // Each distinct label is judged once (a transcript has a few, on
    // thousands of lines).
    let speakers: FxHashSet<&str> = counts
        .iter()
        .filter(|&(label, &count)| {
            options.speaker_pattern.is_some() || accepted(label, count, options, &declared)
        })
        .map(|(label, _)| *label)
        .collect();
    let accept = |label: &str| speakers.contains(label);
    let has_speakers = !speakers.is_empty();

    let mut current: Option<Turn> = None;
    let mut started = false;
    for (line, m) in body.iter().zip(&matches) {
        let label = m.as_ref().filter(|l| accept(l.speaker));
        if let Some(l) = label {
            started = true;
            transcript.turns.extend(current.take());
            current = Some(Turn {
                speaker: Some(l.speaker.trim().to_owned()),
                text: clean_line(l.text).into_owned(),
                start_time: l.time.and_then(parse_timestamp),
                ..Turn::default()
            });
            continue;
        }
        let trimmed = line.trim();
        if has_speakers && !started {
            // Before the first turn: header fields, a title, a preamble.
            if let Some(m) = m
                && header_field(m.speaker, m.text, &mut transcript)
            {
                continue;
            }
            if transcript.title.is_none()
                && let Some(title) = trimmed.strip_prefix('#')
            {
                transcript.title = Some(title.trim_start_matches('#').trim().to_owned());
                continue;
            }
        }
        if !has_speakers {
            if trimmed.is_empty() {
                transcript.turns.extend(current.take());
                continue;
            }
            if transcript.title.is_none()
                && transcript.turns.is_empty()
                && current.is_none()
                && trimmed.starts_with("# ")
            {
                transcript.title = Some(trimmed.trim_start_matches('#').trim().to_owned());
                continue;
            }
        }
        if trimmed.is_empty() {
            continue;
        }
        let turn = current.get_or_insert_with(Turn::default);
        if !turn.text.is_empty() {
            turn.text.push('\n');
        }
        turn.text.push_str(&clean_line(trimmed));
    }
    transcript.turns.extend(current);
    transcript.turns.retain(|t| !t.text.trim().is_empty());
    transcript
}

struct Label<'a> {
    speaker: &'a str,
    /// In bold or after a timestamp: a label even when used once.
    marked: bool,
    time: Option<&'a str>,
    text: &'a str,
}

/// Finds speaker labels at the start of lines.
struct LabelMatcher<'p> {
    pattern: &'p Regex,
    /// The built-in pattern: it needs a `:` near the start, so it is
    /// matched on [`label_key`] of the line only, and the match is
    /// remembered by that key (most lines of a transcript start with one of
    /// a few labels). A pattern from voces.toml sees the whole line.
    builtin: bool,
    memo: FxHashMap<Box<str>, Option<Found>>,
}

/// Where the label pattern matched in a line, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    speaker: std::ops::Range<usize>,
    time: Option<std::ops::Range<usize>>,
    /// Start of the text after the label.
    text: usize,
}

/// Most label keys remembered by one [`LabelMatcher`].
const MEMO_KEYS: usize = 4096;

impl<'p> LabelMatcher<'p> {
    fn new(pattern: &'p Regex) -> LabelMatcher<'p> {
        LabelMatcher {
            pattern,
            builtin: std::ptr::eq(pattern, &raw const *LABEL),
            memo: FxHashMap::default(),
        }
    }

    fn find<'a>(&mut self, line: &'a str) -> Option<Label<'a>> {
        let found = if self.builtin {
            let key = label_key(line)?;
            if let Some(found) = self.memo.get(key) {
                found.clone()
            } else {
                let found = self.matched(key);
                if self.memo.len() < MEMO_KEYS {
                    self.memo.insert(key.into(), found.clone());
                }
                found
            }
        } else {
            self.matched(line)
        }?;
        let speaker = line[found.speaker].trim();
        // The text is the rest of the line, wherever the pattern stopped.
        let text = &line[found.text..];
        if speaker.is_empty() || speaker.chars().count() > 40 || text.starts_with("//") {
            return None;
        }
        let time = found.time.map(|r| &line[r]);
        let marked = time.is_some() || line.trim_start().starts_with(['*', '_']);
        Some(Label {
            speaker,
            marked,
            time,
            text,
        })
    }

    /// The pattern's match on `hay` (a line or the start of one).
    fn matched(&self, hay: &str) -> Option<Found> {
        let c = self.pattern.captures(hay)?;
        Some(Found {
            speaker: c.name("speaker")?.range(),
            time: c.name("time").or_else(|| c.name("bare")).map(|m| m.range()),
            text: c.name("text").map_or(hay.len(), |m| m.start()),
        })
    }
}

/// The start of `line` the built-in label pattern depends on: through the
/// first `:` that is not inside a time (`[00:12:31] Name:`), and a `**` or
/// `__` right after it (`**Name:**`); `None` when there is no such `:` near
/// the start. The pattern takes everything after as the text, so its match
/// on this key is its match on the line.
fn label_key(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let (colon, _) = bytes.iter().enumerate().take(160).find(|&(i, &b)| {
        b == b':'
            && !(i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })?;
    let after = &bytes[colon + 1..];
    let end = if after.starts_with(b"**") || after.starts_with(b"__") {
        colon + 3
    } else {
        colon + 1
    };
    Some(&line[..end])
}

/// Whether a candidate label is a speaker.
fn accepted(label: &str, count: usize, options: &ReadOptions, declared: &[String]) -> bool {
    let lower = label.to_lowercase();
    if HEADER_KEYS.contains(&lower.as_str()) {
        return false;
    }
    if declared.iter().any(|d| d == label) || crate::roles::is_known_label(label, options) {
        return true;
    }
    if lower == "i" {
        return true;
    }
    let words: Vec<&str> = label.split(' ').collect();
    let name_like = words.iter().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    (count >= 2 && name_like) || (count >= 5 && words.len() <= 2)
}

/// A `Key: value` line before the first turn; true when taken as a field.
fn header_field(key: &str, value: &str, transcript: &mut Transcript) -> bool {
    let value = value.trim();
    if value.is_empty() || key.split(' ').count() > 3 {
        return false;
    }
    let key = key.to_lowercase();
    if matches!(key.as_str(), "date" | "fecha") && transcript.date.is_none() {
        transcript.date = Some(value.to_owned());
    }
    if matches!(key.as_str(), "title" | "título" | "titulo") {
        transcript.title = Some(value.to_owned());
    }
    transcript
        .attributes
        .entry(key)
        .or_insert_with(|| AttrValue::Text(value.to_owned()));
    true
}

/// `line` trimmed, without inline tags ([`strip_tags`]) and `**`/`__`
/// emphasis marks; borrowed when it has neither (most lines).
fn clean_line(line: &str) -> Cow<'_, str> {
    let line = line.trim();
    if memchr::memchr3(b'<', b'*', b'_', line.as_bytes()).is_none() {
        return Cow::Borrowed(line);
    }
    let line = if memchr::memchr(b'<', line.as_bytes()).is_some() {
        Cow::Owned(strip_tags(line))
    } else {
        Cow::Borrowed(line)
    };
    let emphasis = memchr::memchr2(b'*', b'_', line.as_bytes()).is_some()
        && (line.contains("**") || line.contains("__"));
    let line = if emphasis {
        Cow::Owned(line.replace("**", "").replace("__", ""))
    } else {
        line
    };
    match line {
        Cow::Borrowed(line) => Cow::Borrowed(line.trim()),
        Cow::Owned(line) if line.trim().len() == line.len() => Cow::Owned(line),
        Cow::Owned(line) => Cow::Owned(line.trim().to_owned()),
    }
}

/// Longest inline annotation tag removed, in bytes.
const MAX_TAG: usize = 400;

/// `line` without inline annotation tags: `<risas/>`, `<simultáneo>`,
/// `</simultáneo>`, `<observación = "...">`. A `<` that does not open a
/// tag (`a < b`, `<3`) stays. A tag between two spaces leaves one.
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name_start = after.strip_prefix('/').unwrap_or(after);
        let opens = name_start
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_');
        let end = opens.then(|| tag_end(after)).flatten();
        if let Some(end) = end {
            rest = &after[end + 1..];
            if out.ends_with(' ') && rest.starts_with(' ') {
                rest = &rest[1..];
            }
        } else {
            out.push('<');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Byte index of the `>` closing a tag whose text starts at `s` (after the
/// `<`); quoted attribute values may hold anything but `<`, `>` and `"`.
fn tag_end(s: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate().take(MAX_TAG) {
        match b {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return Some(i),
            b'<' | b'>' => return None,
            _ => {}
        }
    }
    None
}

/// Reads a leading block of XML-like header elements; returns the index of
/// the first body line.
fn xml_header(lines: &[&str], transcript: &mut Transcript) -> usize {
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first) = first else { return 0 };
    if !lines[first].trim_start().starts_with('<') {
        return 0;
    }
    let mut in_tag = false;
    let mut end = first;
    let mut block = String::new();
    for (i, line) in lines.iter().enumerate().skip(first) {
        let t = line.trim();
        if !(in_tag || t.is_empty() || t.starts_with('<')) {
            break;
        }
        for c in t.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ => {}
            }
        }
        block.push_str(t);
        block.push('\n');
        end = i + 1;
    }
    header_elements(&block, transcript);
    end
}

/// The `name="value"` attributes of an element's text, left to right: a
/// name starts with a letter or `_` and goes on with letters, digits, `_`,
/// `:`, `.` and `-`; white space may surround the `=`; the value is
/// everything up to the next `"`. Text between attributes is skipped
/// (`<Relaciones rel = "x" broken=1 a="b"/>` has `rel` and `a`).
fn xml_attributes(body: &str) -> impl Iterator<Item = (&str, &str)> {
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-');
    let mut search = 0;
    std::iter::from_fn(move || {
        loop {
            let eq = search + memchr::memchr(b'=', &body.as_bytes()[search..])?;
            search = eq + 1;
            let after = body[eq + 1..].trim_start();
            let Some(quoted) = after.strip_prefix('"') else {
                continue;
            };
            let Some(close) = memchr::memchr(b'"', quoted.as_bytes()) else {
                // No `"` after this one: no later `=` has a quoted value
                // either (and looking again for each would be quadratic).
                search = body.len();
                return None;
            };
            let before = body[..eq].trim_end();
            let run = before.len()
                - before
                    .chars()
                    .rev()
                    .take_while(|&c| is_name(c))
                    .map(char::len_utf8)
                    .sum::<usize>();
            let Some((start, _)) = before[run..]
                .char_indices()
                .find(|&(_, c)| c.is_alphabetic() || c == '_')
            else {
                continue;
            };
            search = body.len() - quoted.len() + close + 1;
            return Some((&before[run + start..], &quoted[..close]));
        }
    })
}

/// Attributes and speakers from header elements. An element with a speaker
/// code (`codigo_hab`, `code`, `label`) is a declared speaker; its role comes
/// from `papel`/`role`/`rol`; the participant's other attributes become
/// interview attributes. Other elements' attributes become attributes, the
/// first date-like one the interview date.
fn header_elements(block: &str, transcript: &mut Transcript) {
    for element in block.split('<').skip(1) {
        let Some(body) = element.split('>').next() else {
            continue;
        };
        let attrs: Vec<(String, String)> = xml_attributes(body)
            .map(|(name, value)| (name.to_lowercase(), value.trim().to_owned()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if attrs.is_empty() {
            continue;
        }
        let get = |keys: &[&str]| {
            attrs
                .iter()
                .find(|(k, _)| keys.contains(&k.as_str()))
                .map(|(_, v)| v.clone())
        };
        if let Some(code) = get(&["codigo_hab", "code", "label", "codigo"]) {
            let role = get(&["papel", "role", "rol"]).map(|r| {
                let r = r.to_lowercase();
                if r.starts_with("entrevistador") || r.starts_with("interviewer") {
                    Role::Interviewer
                } else if r.starts_with("informante")
                    || r.starts_with("participant")
                    || r.starts_with("entrevistad")
                    || r.starts_with("interviewee")
                {
                    Role::Participant
                } else {
                    Role::Other
                }
            });
            if role == Some(Role::Participant) {
                for (k, v) in &attrs {
                    if !matches!(
                        k.as_str(),
                        "id" | "nombre" | "name" | "codigo_hab" | "code" | "papel" | "role"
                    ) {
                        transcript
                            .attributes
                            .entry(k.clone())
                            .or_insert_with(|| AttrValue::Text(v.clone()));
                    }
                }
            }
            transcript.speakers.push(DeclaredSpeaker {
                label: code,
                name: get(&["nombre", "name"]),
                role,
            });
            continue;
        }
        for (k, v) in attrs {
            if transcript.date.is_none()
                && (k.starts_with("fecha_grab") || k == "date" || k == "fecha")
            {
                transcript.date = Some(v.clone());
            }
            transcript.attributes.entry(k).or_insert(AttrValue::Text(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ReadOptions {
        ReadOptions::new(&Default::default(), &Default::default()).unwrap()
    }

    fn speakers_and_texts(text: &str) -> Vec<(Option<String>, String)> {
        parse(text, &options())
            .turns
            .into_iter()
            .map(|t| (t.speaker, t.text))
            .collect()
    }

    #[allow(clippy::unnecessary_wraps)]
    fn s(x: &str) -> Option<String> {
        Some(x.to_owned())
    }

    #[test]
    fn label_conventions() {
        let text = "Interviewer: Where did you cross?\nP3: Through the\njungle.\n\nIt took days.\n\
                    **MARÍA:** Yo también.\n**María López**: Y yo.\n[00:12:31] Entrevistador(a): ¿Y luego?\n\
                    E: Bien.\nI: Sí.\n";
        let got = speakers_and_texts(text);
        assert_eq!(
            got,
            vec![
                (s("Interviewer"), "Where did you cross?".into()),
                (s("P3"), "Through the\njungle.\nIt took days.".into()),
                (s("MARÍA"), "Yo también.".into()),
                (s("María López"), "Y yo.".into()),
                (s("Entrevistador(a)"), "¿Y luego?".into()),
                (s("E"), "Bien.".into()),
                (s("I"), "Sí.".into()),
            ]
        );
        let t = parse(
            "[00:12:31] Ana: hola\n[00:12:40] Ana: otra vez\n",
            &options(),
        );
        assert_eq!(t.turns[0].start_time, Some(751.0));
    }

    #[test]
    fn inline_tags_are_stripped_and_other_angles_kept() {
        for (line, want) in [
            ("sí <risas/> claro", "sí claro"),
            ("sí <risas/>  claro <b/>", "sí  claro "),
            ("<simultáneo>no</simultáneo> ya", "no ya"),
            (
                r#"me han coyoteado <observación_complementaria = "asaltar a alguien"/> una vez"#,
                "me han coyoteado una vez",
            ),
            ("a < b and 3 <4", "a < b and 3 <4"),
            ("<unclosed tag", "<unclosed tag"),
            ("x <a>< y", "x < y"),
        ] {
            assert_eq!(strip_tags(line), want, "{line}");
        }
    }

    #[test]
    fn labels_are_found_on_long_lines() {
        let long = format!("I: {}", "palabra ".repeat(5000));
        let t = speakers_and_texts(&format!("E: ¿Y?\n{long}\nE: ¿Y luego?\nI: Nada.\n"));
        assert_eq!(t.len(), 4);
        assert_eq!(t[1].0.as_deref(), Some("I"));
        assert_eq!(t[1].1.len(), long.trim().len() - 3);
    }

    /// What the built-in pattern finds on the whole line, the reference
    /// for [`LabelMatcher`], which matches on [`label_key`] and remembers.
    fn reference(line: &str) -> Option<(String, bool, Option<String>, String)> {
        let c = LABEL.captures(line)?;
        let speaker = c.name("speaker")?.as_str().trim();
        let text = c.name("text").map_or("", |m| &line[m.start()..]);
        if speaker.is_empty() || speaker.chars().count() > 40 || text.starts_with("//") {
            return None;
        }
        let time = c
            .name("time")
            .or_else(|| c.name("bare"))
            .map(|m| m.as_str());
        let marked = time.is_some() || line.trim_start().starts_with(['*', '_']);
        Some((speaker.into(), marked, time.map(Into::into), text.into()))
    }

    proptest::proptest! {
        #[test]
        fn remembered_labels_match_the_pattern_on_whole_lines(
            lines in proptest::collection::vec(
                r"[ \t]{0,2}(\[[0-9]{1,2}:[0-9]{2}\] )?([*_]{0,2})[A-Za-zÁé0-9 .()'-]{0,12}[*_]{0,2}[ ]?:{1,2}[*_:]{0,3}[ a-z:/]{0,6}",
                1..12,
            )
        ) {
            let mut matcher = LabelMatcher::new(&LABEL);
            // Twice: the second time from memory.
            for line in lines.iter().chain(&lines) {
                let got = matcher
                    .find(line)
                    .map(|l| (l.speaker.into(), l.marked, l.time.map(Into::into), l.text.into()));
                proptest::prop_assert_eq!(got, reference(line), "{:?}", line);
            }
        }
    }

    proptest::proptest! {
        /// Attributes are what the pattern
        /// `([\p{L}_][\p{L}\p{N}_:.\-]*)\s*=\s*"([^"]*)"` finds, left to right.
        #[test]
        fn attributes_match_their_pattern(body in r#"([a-zé_1:.\- \t\n]{0,4}[= "<>/]{0,2}){0,12}"#) {
            let pattern =
                Regex::new(r#"([\p{L}_][\p{L}\p{N}_:.\-]*)\s*=\s*"([^"]*)""#).unwrap();
            let want: Vec<(&str, &str)> = pattern
                .captures_iter(&body)
                .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()))
                .collect();
            let got: Vec<(&str, &str)> = xml_attributes(&body).collect();
            proptest::prop_assert_eq!(got, want, "{:?}", body);
        }
    }

    #[test]
    fn one_off_colon_is_not_a_speaker() {
        let text = "Ana: We waited.\nBen: How long?\nAna: Months. The officer said: come back later.\nBen: And?\n\
                    Reason: none given.\n";
        let got = speakers_and_texts(text);
        assert_eq!(got.len(), 4);
        assert_eq!(got[3], (s("Ben"), "And?\nReason: none given.".into()));
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        let got = speakers_and_texts("I: hola\rE: ¿qué tal?\r\rI: bien\r\nE: ya");
        assert_eq!(
            got,
            vec![
                (s("I"), "hola".into()),
                (s("E"), "¿qué tal?".into()),
                (s("I"), "bien".into()),
                (s("E"), "ya".into()),
            ]
        );
    }

    #[test]
    fn paragraphs_without_speakers() {
        let got = speakers_and_texts("# Notes\n\nFirst paragraph\nwrapped.\n\nSecond one.\n");
        assert_eq!(
            got,
            vec![
                (None, "First paragraph\nwrapped.".into()),
                (None, "Second one.".into())
            ]
        );
        assert_eq!(
            parse("# Notes\n\nx\n", &options()).title.as_deref(),
            Some("Notes")
        );
    }

    #[test]
    fn header_fields_before_first_turn() {
        let t = parse(
            "Date: 2024-03-12\nLocation: Bogotá\n[Synthetic interview]\n\nI: Hello?\nP: Hi.\n",
            &options(),
        );
        assert_eq!(t.date.as_deref(), Some("2024-03-12"));
        assert_eq!(t.attributes["location"], AttrValue::Text("Bogotá".into()));
        assert_eq!(t.turns[0].speaker, None);
        assert_eq!(t.turns[0].text, "[Synthetic interview]");
        assert_eq!(t.turns.len(), 3);
    }

    #[test]
    fn xml_header_and_inline_tags() {
        let text = "<Trans xml:lang=\"español\">\n<Datos clave_texto=\"X_1\"/>\n\
            <Grabacion lugar=\"desc\"\nfecha_grab=\"1998-06-25\"/>\n<Hablantes>\n\
            <Hablante id=\"hab1\" nombre=\" X\" codigo_hab=\"I\" sexo=\"hombre\" edad=\"33\" papel=\"informante\"/>\n\
            <Hablante id=\"hab2\" nombre=\"Florentino\" codigo_hab=\"E\" sexo=\"hombre\" papel=\"entrevistador\"/>\n\
            </Hablantes> </Trans>\n\n\
            E: <tiempo = \"00:04\"/> bueno ¿de <vacilación/> dónde?\n\
            I: <simultáneo> de </simultáneo> gente<alargamiento/> de aquí\n";
        let t = parse(text, &options());
        assert_eq!(t.date.as_deref(), Some("1998-06-25"));
        assert_eq!(t.attributes["sexo"], AttrValue::Text("hombre".into()));
        assert_eq!(t.attributes["clave_texto"], AttrValue::Text("X_1".into()));
        assert_eq!(t.speakers.len(), 2);
        assert_eq!(t.speakers[1].role, Some(Role::Interviewer));
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "bueno ¿de dónde?");
        assert_eq!(t.turns[1].text, "de gente de aquí");
    }

    #[test]
    fn user_pattern() {
        let mut o = options();
        o.speaker_pattern = Some(Regex::new(r"^>>\s*(?P<speaker>\w+)\s+(?P<text>.*)$").unwrap());
        let t = parse(">> ana hola\nsigue\n>> ben adiós\n", &o);
        let got: Vec<_> = t
            .turns
            .iter()
            .map(|t| (t.speaker.clone(), t.text.clone()))
            .collect();
        assert_eq!(
            got,
            vec![(s("ana"), "hola\nsigue".into()), (s("ben"), "adiós".into())]
        );
    }
}

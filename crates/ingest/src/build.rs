//! From a reader's raw [`Transcript`] to a corpus [`Interview`]: the steps
//! every format shares, done once here.
//!
//! 1. Each turn's text is put in Unicode NFC and its whitespace (line breaks
//!    of wrapped lines included) collapsed to single spaces; empty turns go.
//! 2. Speakers get roles ([`crate::roles`]).
//! 3. The interview text is laid out, one paragraph per turn
//!    (`LABEL: text`), and each segment records the character span of its
//!    text in it.
//! 4. Sentences (UAX #29 sentence boundaries) and words (UAX #29 words with
//!    a letter or digit) are recorded per segment.
//! 5. Languages: a turn the source marks keeps that language; a turn with at
//!    least `min_detect_chars` letters is detected among the project's
//!    languages ([`crate::language`]: the function words among the words of
//!    step 4, counted in the same pass, else whatlang); shorter turns (`Sí.`, `Yeah`) take the
//!    interview's language, which is the language holding most detected
//!    letters. An interview is mixed when a second language holds at least
//!    15% of the detected letters in at least two turns.

use std::borrow::Cow;
use std::path::Path;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use voces_corpus::{Interview, Role, Segment, Source, SourceFormat, Speaker, id};

use crate::language::Detector;
use crate::segment::{Segmenter, SentenceText};
use crate::{Input, Result, Transcript, roles};

/// Share of detected letters a second language needs to count as present
/// (with at least [`MIXED_TURNS`] turns), making the interview mixed.
/// Code-switching conversations (Bangor Miami) run from 4% to 40% of the
/// minority language; a stray misdetected turn stays far below 5%.
const MIXED_SHARE: f64 = 0.05;
/// Turns a second language needs to count as present.
const MIXED_TURNS: usize = 3;

/// Builds the interview for `input` from its reader's transcript.
pub fn build(input: &Input<'_>, format: SourceFormat, t: Transcript) -> Result<Interview> {
    let options = input.options;
    let mut turns = t.turns;
    for turn in &mut turns {
        turn.text = normalize_owned(std::mem::take(&mut turn.text));
        turn.speaker = turn
            .speaker
            .take()
            .map(normalize_owned)
            .filter(|s| !s.is_empty());
    }
    turns.retain(|t| !t.text.is_empty());
    if turns.is_empty() {
        return Err(input.error(None, "no transcript text found"));
    }

    let roles = roles::assign(&t.speakers, &turns, options);
    let mut speakers: Vec<Speaker> = Vec::new();
    for turn in &turns {
        if let Some(label) = &turn.speaker
            && !speakers.iter().any(|s| &s.label == label)
        {
            let declared = t.speakers.iter().find(|d| &d.label == label);
            speakers.push(Speaker {
                label: label.clone(),
                name: declared.and_then(|d| d.name.clone()).map(|n| normalize(&n)),
                role: roles.get(label).copied().unwrap_or(Role::Participant),
            });
        }
    }

    let interview_id = crate::interview_id(input.path);

    // Lay out the text and the segments.
    let mut text = String::with_capacity(
        turns
            .iter()
            .map(|t| t.text.len() + t.speaker.as_ref().map_or(0, |s| s.len() + 4))
            .sum(),
    );
    let mut chars = 0usize;
    let mut segments = Vec::with_capacity(turns.len());
    let mut marked = Vec::with_capacity(turns.len());
    let mut segmenter = Segmenter::new();
    let detector = options.detector();
    let mut counts = Counts::new(detector.word_lists());
    for (index, turn) in turns.into_iter().enumerate() {
        if index > 0 {
            text.push_str("\n\n");
            chars += 2;
        }
        if let Some(label) = &turn.speaker {
            text.push_str(label);
            text.push_str(": ");
            chars += label.chars().count() + 2;
        }
        let start = chars;
        text.push_str(&turn.text);
        let b = segmenter.split(&turn.text, start);
        chars += b.chars;
        counts.add_segment(
            &turn.text,
            b.letters,
            segmenter.sentence_texts(),
            segmenter.word_bytes(),
            detector,
        );
        marked.push(turn.language);
        segments.push(Segment {
            id: id::segment_id(&interview_id, index),
            index,
            role: turn.speaker.as_ref().map_or(Role::Other, |s| {
                roles.get(s).copied().unwrap_or(Role::Participant)
            }),
            speaker: turn.speaker,
            start,
            end: chars,
            text: turn.text,
            language: String::new(),
            language_detected: false,
            sentences: b.sentences,
            words: b.words,
            start_time: turn.start_time,
            end_time: turn.end_time,
            annotations: turn.annotations,
        });
    }

    let (language, languages) =
        detect_languages(&mut segments, &marked, &counts, detector, options);
    let mixed_language = languages.len() > 1;
    let mut warnings = t.warnings;
    let stats = voces_corpus::Stats::of(&segments);
    if !detector.surely(&language, &counts.total(), stats.words)
        && let Some(other) = crate::language::outside_project(&text, &options.languages)
    {
        warnings.push(format!(
            "the text looks like {other}, which is not among the project's languages ({}); \
             add it to `languages` in voces.toml and re-ingest with --force",
            options.languages.join(", ")
        ));
    }
    let title = t
        .title
        .map(|s| normalize(&s))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| normalize(&crate::stem_of(input.path)));
    let path = absolute(input.path);
    Ok(Interview {
        format: voces_corpus::FORMAT_VERSION,
        id: interview_id,
        title,
        source: Source {
            file_name: input
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path,
            sha256: voces_corpus::id::sha256_hex(input.bytes),
            bytes: input.bytes.len() as u64,
            format,
            encoding: t.encoding,
            fingerprint: options.fingerprint().to_owned(),
        },
        language,
        languages,
        mixed_language,
        date: t.date.map(|d| normalize(&d)).filter(|d| !d.is_empty()),
        attributes: t.attributes,
        speakers,
        stats,
        text,
        segments,
        warnings,
    })
}

/// NFC, whitespace runs collapsed to one space, trimmed.
///
/// The text is copied in runs of words joined by single spaces. A space is
/// a starter that composes with nothing, so NFC of such a run is NFC of
/// each of its words joined by spaces; a run of characters below U+0300
/// (UTF-8 lead bytes below 0xCC, NFC-stable whatever follows) alone is
/// already in NFC.
pub fn normalize(s: &str) -> String {
    normalized(s).into_owned()
}

/// [`normalize`], borrowing `s` when it is already normalized: one run
/// that is the whole text and in NFC.
///
/// The runs are found by [`first_odd`], which skips what is plainly
/// normalized many bytes at a time; only the bytes it stops at are looked
/// at one by one. Most turns of a transcript are one plain run.
fn normalized(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    loop {
        while let Some(len) = space_at(s, i) {
            i += len;
        }
        if i >= bytes.len() {
            return Cow::Owned(out);
        }
        let start = i;
        let mut below_combining = true;
        // Through the plain stretches and the odd bytes that do not end
        // the run, up to white space (or the end).
        loop {
            i = first_odd(bytes, i);
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if space_at(s, i).is_some() {
                break;
            }
            // A control character or a character from U+0300 on.
            below_combining &= b < 0xCC;
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
        // A plain stretch keeps single spaces: one before white space (or
        // the end) is not part of the run.
        let end = if bytes[i - 1] == b' ' { i - 1 } else { i };
        let run = &s[start..end];
        let nfc = below_combining
            || unicode_normalization::is_nfc_quick(run.chars())
                == unicode_normalization::IsNormalized::Yes;
        if nfc && run.len() == s.len() {
            return Cow::Borrowed(s);
        }
        if out.is_empty() {
            out.reserve(s.len());
        } else {
            out.push(' ');
        }
        if nfc {
            out.push_str(run);
        } else {
            out.extend(run.nfc());
        }
    }
}

/// 1 when the byte `x`, followed by `y` (0 at the end of the text), may
/// break a plain stretch of [`first_odd`]; without a branch.
#[inline]
fn odd(x: u8, y: u8) -> u8 {
    u8::from(!(b' '..0xCC).contains(&x))
        | u8::from(x == b' ') & u8::from(y == b' ')
        | u8::from(x == 0xC2) & (u8::from(y == 0x85) | u8::from(y == 0xA0))
}

/// The first byte from `from` on where the UTF-8 text `bytes` stops being
/// plainly normalized (`bytes.len()` when it does not): a control
/// character, a Latin-1 white space (NEL, NBSP), a character from U+0300
/// on (text below U+0300 is always NFC; the other white space characters
/// are all above it), or a space followed by a space. What comes before it
/// is words of NFC text joined by single spaces (but for a space at the
/// very end). Looked at in chunks the compiler vectorizes.
fn first_odd(bytes: &[u8], from: usize) -> usize {
    /// Bytes looked at between two early exits.
    const CHUNK: usize = 64;
    let mut at = from;
    while at < bytes.len() {
        let end = (at + CHUNK).min(bytes.len());
        // Each byte with the one after it; the text's last byte is paired
        // with 0 below.
        let pairs = || bytes[at..end].iter().zip(&bytes[at + 1..]);
        // First whether the chunk has one (vectorized), then where.
        if pairs().fold(0, |any, (&x, &y)| any | odd(x, y)) != 0 {
            let k = pairs().position(|(&x, &y)| odd(x, y) != 0);
            return at + k.expect("the fold found one");
        }
        if end == bytes.len() {
            let last = bytes.len() - 1;
            return if odd(bytes[last], 0) == 0 {
                bytes.len()
            } else {
                last
            };
        }
        at = end;
    }
    bytes.len()
}

/// [`normalize`] of `s`, returning `s` itself when it is already
/// normalized (a turn of one line, the common case): no copy.
pub fn normalize_owned(s: String) -> String {
    match normalized(&s) {
        Cow::Owned(changed) => Some(changed),
        Cow::Borrowed(_) => None,
    }
    .unwrap_or(s)
}

/// The length of the white-space character at byte `i` of `s`, if there is
/// one.
fn space_at(s: &str, i: usize) -> Option<usize> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return matches!(b, b' ' | b'\t'..=b'\r').then_some(1);
    }
    let c = s[i..].chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// Letters and function-word counts of every segment and sentence, for
/// language detection.
struct Counts {
    /// Counts per segment or sentence ([`Detector::word_lists`]).
    lists: usize,
    /// Letters of each segment.
    segment_letters: Vec<usize>,
    /// Function words of each segment, `lists` each (the sums of its
    /// sentences').
    segment_words: Vec<usize>,
    /// Letters of each sentence.
    sentence_letters: Vec<usize>,
    /// Function words of each sentence, `lists` each.
    sentence_words: Vec<usize>,
}

impl Counts {
    fn new(lists: usize) -> Counts {
        Counts {
            lists,
            segment_letters: Vec::new(),
            segment_words: Vec::new(),
            sentence_letters: Vec::new(),
            sentence_words: Vec::new(),
        }
    }

    /// Counts the segment `text` with `letters` letters, these sentences
    /// and these words (start and end bytes, flattened, as
    /// [`Segmenter::word_bytes`] gives them). A word counts in the sentence
    /// it starts in.
    fn add_segment(
        &mut self,
        text: &str,
        letters: usize,
        sentences: &[SentenceText],
        words: &[u32],
        detector: &Detector,
    ) {
        let n = self.lists;
        let segment = self.segment_words.len();
        self.segment_words.resize(segment + n, 0);
        self.segment_letters.push(letters);
        let mut words = words;
        for (i, sentence) in sentences.iter().enumerate() {
            let at = self.sentence_words.len();
            self.sentence_words.resize(at + n, 0);
            let these = &mut self.sentence_words[at..];
            // Up to the next sentence's start; the last takes the rest.
            let end = sentences.get(i + 1).map_or(usize::MAX, |s| s.bytes.start);
            let inside = words
                .chunks_exact(2)
                .take_while(|w| (w[0] as usize) < end)
                .count();
            let (these_words, rest) = words.split_at(2 * inside);
            detector.add_words(text, these_words, these);
            words = rest;
            for (sum, n) in self.segment_words[segment..].iter_mut().zip(these) {
                *sum += *n;
            }
            self.sentence_letters.push(sentence.letters);
        }
    }

    /// Function words of the whole text, `lists` of them.
    fn total(&self) -> Vec<usize> {
        let mut total = vec![0; self.lists];
        for segment in self.segment_words.chunks_exact(self.lists.max(1)) {
            for (sum, n) in total.iter_mut().zip(segment) {
                *sum += n;
            }
        }
        total
    }

    /// Letters and function words of each segment.
    fn segments(&self) -> impl Iterator<Item = (usize, &[usize])> {
        self.segment_letters
            .iter()
            .enumerate()
            .map(|(i, &letters)| (letters, self.words(&self.segment_words, i)))
    }

    /// Letters and function words of each sentence.
    fn sentences(&self) -> impl Iterator<Item = (usize, &[usize])> {
        self.sentence_letters
            .iter()
            .enumerate()
            .map(|(i, &letters)| (letters, self.words(&self.sentence_words, i)))
    }

    fn words<'a>(&self, all: &'a [usize], i: usize) -> &'a [usize] {
        &all[i * self.lists..(i + 1) * self.lists]
    }
}

/// Sets each segment's language (`marked` is the one its source gives,
/// if any); returns the interview's primary language and the languages
/// present.
fn detect_languages(
    segments: &mut [Segment],
    marked: &[Option<String>],
    counts: &Counts,
    detector: &Detector,
    options: &crate::ReadOptions,
) -> (String, Vec<String>) {
    let allowed = |code: &str| options.languages.iter().any(|l| l == code);
    let mut letters_by_lang: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
    for ((seg, marked), (letters, words)) in segments.iter_mut().zip(marked).zip(counts.segments())
    {
        let found = match marked.as_deref() {
            Some(code) if allowed(code) => Some(code),
            _ if letters >= options.min_detect_chars => {
                detector.detect_counted(&seg.text, words).map(|(c, _)| c)
            }
            _ => None,
        };
        if let Some(code) = found {
            let e = letters_by_lang.entry(code).or_default();
            e.0 += letters;
            e.1 += 1;
            code.clone_into(&mut seg.language);
            seg.language_detected = true;
        }
    }
    let total: usize = letters_by_lang.values().map(|v| v.0).sum();
    let mut ranked: Vec<(&str, (usize, usize))> = letters_by_lang.into_iter().collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    let primary = if let Some((code, _)) = ranked.first() {
        (*code).to_owned()
    } else {
        // Nothing long enough alone: detect the whole interview.
        let all: String = segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        detector
            .detect(&all)
            .map_or_else(|| options.languages[0].clone(), |(c, _)| c.to_owned())
    };
    let mut languages = vec![primary.clone()];
    for (code, (letters, turns)) in &ranked {
        if *code != primary
            && *letters as f64 >= MIXED_SHARE * total as f64
            && *turns >= MIXED_TURNS
        {
            languages.push((*code).to_owned());
        }
    }
    // Code-switching inside turns ("Pero mira, la idea cambió. We went by
    // bus...") leaves every turn with one majority language; sentences
    // show it.
    for (code, (letters, sentences)) in sentence_languages(counts.sentences(), detector) {
        if !languages.iter().any(|l| l == code)
            && letters as f64 >= MIXED_SHARE * total.max(1) as f64
            && sentences >= MIXED_TURNS
        {
            languages.push(code.to_owned());
        }
    }
    for seg in segments.iter_mut().filter(|s| !s.language_detected) {
        seg.language.clone_from(&primary);
    }
    (primary, languages)
}

/// Letters and sentence counts per language, over the sentences whose
/// function words name a language.
fn sentence_languages<'a>(
    sentences: impl Iterator<Item = (usize, &'a [usize])>,
    detector: &Detector,
) -> Vec<(&'static str, (usize, usize))> {
    let mut found: Vec<(&'static str, (usize, usize))> = Vec::new();
    for (letters, counts) in sentences {
        if let Some((code, _)) = detector.by_counts(counts) {
            match found.iter_mut().find(|f| f.0 == code) {
                Some(f) => {
                    f.1.0 += letters;
                    f.1.1 += 1;
                }
                None => found.push((code, (letters, 1))),
            }
        }
    }
    found
}

fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ReadOptions, Turn};

    fn build_turns(turns: &[(Option<&str>, &str)]) -> Interview {
        let options = ReadOptions::new(&Default::default(), &Default::default()).unwrap();
        let input = Input {
            path: Path::new("dir/Entrevista 3.txt"),
            bytes: b"x",
            options: &options,
        };
        let t = Transcript {
            turns: turns
                .iter()
                .map(|(s, text)| Turn {
                    speaker: s.map(str::to_owned),
                    text: (*text).to_owned(),
                    ..Turn::default()
                })
                .collect(),
            ..Transcript::default()
        };
        build(&input, SourceFormat::Text, t).unwrap()
    }

    #[test]
    fn offsets_are_characters_into_the_text() {
        let i = build_turns(&[
            (Some("E"), "¿Cuándo  llegó\n a Bogotá?"),
            (
                Some("I"),
                "En 2023. Después de la fecha límite, así que no calificamos.",
            ),
            (None, "   "),
        ]);
        assert_eq!(i.id, "Entrevista-3");
        assert_eq!(i.segments.len(), 2);
        assert_eq!(
            i.text,
            "E: ¿Cuándo llegó a Bogotá?\n\nI: En 2023. Después de la fecha límite, así que no calificamos."
        );
        let chars: Vec<char> = i.text.chars().collect();
        for s in &i.segments {
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
            for w in s.word_spans() {
                assert!(chars[w.start..w.end].iter().all(|c| c.is_alphanumeric()));
            }
        }
        let s1 = &i.segments[1];
        assert_eq!(s1.id, "Entrevista-3#2");
        assert_eq!(s1.role, Role::Participant);
        assert_eq!(i.segments[0].role, Role::Interviewer);
        let sentences: Vec<String> = s1
            .sentences
            .iter()
            .map(|sp| chars[sp.start..sp.end].iter().collect())
            .collect();
        assert_eq!(
            sentences,
            [
                "En 2023.",
                "Después de la fecha límite, así que no calificamos."
            ]
        );
        assert_eq!(s1.word_count(), 11);
    }

    #[test]
    fn nfc_normalization() {
        // "e" + combining acute accent becomes "é".
        assert_eq!(normalize("cafe\u{301}  \n con"), "café con");
        assert_eq!(normalize("\u{A0}Å\u{2003}Ω\u{3000}x\u{85}"), "Å Ω x");
    }

    #[test]
    fn first_odd_stops_where_the_text_may_not_be_normalized() {
        let long = "a".repeat(63);
        for (text, from, want) in [
            ("", 0, 0),
            ("ab cd ef", 0, 8),
            ("ab  cd", 0, 2),
            // A space at the end is left to the caller.
            ("abc ", 0, 4),
            ("ab\tcd", 0, 2),
            ("ab\u{1}cd", 0, 2),
            ("café con", 0, 9),
            ("cafe\u{301}", 0, 4),
            ("a\u{A0}b", 0, 1),
            ("a\u{85}", 0, 1),
            ("a\u{2003}b", 0, 1),
            ("a\tb\tc", 2, 3),
            // Across the chunks: a double space at bytes 63-64, 64-65.
            (&format!("{long}  b"), 0, 63),
            (&format!("{long}a  b"), 0, 64),
            (&format!("{long}a b\n"), 0, 66),
        ] {
            assert_eq!(first_odd(text.as_bytes(), from), want, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Normalizing is NFC word by word, with words split at any white
        /// space and joined by one space.
        #[test]
        fn normalize_is_nfc_of_each_word(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Bo", "ñ", "é", "e\u{301}", "\u{301}", "\u{327}c", "A\u{30A}", "\u{212B}",
                "\u{2126}", "ǅ", "\u{1E9B}\u{323}", "日本", "\u{AC00}", "\u{1100}\u{1161}",
                " ", "  ", "\t", "\n", "\r\n", "\u{B}", "\u{85}", "\u{A0}", "\u{1680}",
                "\u{2003}", "\u{2028}", "\u{202F}", "\u{3000}", "\u{200B}", ".", "¿", "’",
                "…", "—", "\u{2010}", "\u{2027}", "\u{2029}", "¡", "ü", "\u{C}", "\u{1F}",
                "\u{2027}\u{301}", "\u{7F}",
            ]), 0..30)
        ) {
            let text = pieces.concat();
            let want = text
                .split_whitespace()
                .map(|w| w.nfc().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(&normalize(&text), &want);
            // Borrowed only when unchanged; always when unchanged and
            // below U+0300 (above, NFC may be checked by composing).
            let borrowed = matches!(normalized(&text), Cow::Borrowed(_));
            if borrowed {
                proptest::prop_assert_eq!(&text, &want);
            }
            if text == want && !text.is_empty() && text.bytes().all(|b| b < 0xCC) {
                proptest::prop_assert!(borrowed);
            }
            proptest::prop_assert_eq!(normalize_owned(text), want);
        }
    }

    #[test]
    fn short_turns_inherit_the_interview_language() {
        let i = build_turns(&[
            (
                Some("E"),
                "¿Usted tuvo que pagarle a alguien para cruzar la frontera con su familia?",
            ),
            (Some("I"), "Sí."),
            (
                Some("I"),
                "Le pagamos a un coyote casi dos mil dólares y nos dejó en la trocha, sin nada.",
            ),
        ]);
        assert_eq!(i.language, "es");
        assert_eq!(i.languages, ["es"]);
        assert!(!i.mixed_language);
        assert_eq!(i.segments[1].language, "es");
        assert!(!i.segments[1].language_detected);
        assert!(i.segments[2].language_detected);
    }

    #[test]
    fn code_switching_inside_turns_is_mixed() {
        let i = build_turns(&[
            (Some("Interviewer"), "How was the trip through the jungle?"),
            (
                Some("Participant"),
                "Horrible. Cinco días en la selva, sin comida y con los niños. We paid a guy for the boat. \
                 Pero mira, la idea cambió en el camino. We wanted to go north. Y el guía nos dejó solos.",
            ),
            (Some("Interviewer"), "And then?"),
            (
                Some("Participant"),
                "Then we arrived in Panama and took the buses to the border with Costa Rica.",
            ),
        ]);
        assert!(i.mixed_language, "{:?}", i.languages);
        let mut both = i.languages.clone();
        both.sort();
        assert_eq!(both, ["en", "es"]);
    }

    #[test]
    fn mixed_language_flagged() {
        let i = build_turns(&[
            (
                Some("I"),
                "Can you tell me how long you waited for the appointment at the office?",
            ),
            (
                Some("P"),
                "Esperamos ocho meses y nunca nos llamaron, la cita nunca llegó a pesar de todo.",
            ),
            (
                Some("I"),
                "And did anyone explain to you why your application was not accepted?",
            ),
            (
                Some("P"),
                "Nadie nos explicó nada, solo que no calificábamos por la fecha de llegada al país.",
            ),
            (Some("I"), "What did you do after that?"),
            (
                Some("P"),
                "Nos quedamos en San José con mi prima, buscando trabajo.",
            ),
        ]);
        assert!(i.mixed_language);
        assert_eq!(i.languages.len(), 2);
    }

    #[test]
    fn an_interview_in_a_language_outside_the_project_is_named() {
        let outside = |i: &Interview| {
            i.warnings
                .iter()
                .any(|w| w.contains("not among the project's"))
        };
        // French and Portuguese in an en/es project: warned, whatever share
        // of Spanish function words they hold.
        let fr = build_turns(&[
            (
                Some("E"),
                "Combien de temps avez-vous attendu le rendez-vous à la préfecture ?",
            ),
            (
                Some("P"),
                "Nous avons attendu huit mois, et puis on nous a dit que le dossier était \
                 incomplet. C'était très dur pour les enfants, nous n'avions plus rien.",
            ),
        ]);
        assert!(outside(&fr), "{:?}", fr.warnings);
        let pt = build_turns(&[
            (
                Some("E"),
                "Quanto tempo vocês esperaram pela entrevista no escritório?",
            ),
            (
                Some("P"),
                "Nós esperamos oito meses e depois disseram que não tínhamos os papéis \
                 necessários. A minha irmã ficou em Bogotá com as crianças, porque não havia \
                 como passar sem pagar um coiote.",
            ),
        ]);
        assert!(outside(&pt), "{:?}", pt.warnings);
        // Spanish is a project language: no warning.
        let es = build_turns(&[
            (Some("E"), "¿Cuánto tiempo esperaron la cita en la oficina?"),
            (
                Some("P"),
                "Esperamos ocho meses y luego nos dijeron que faltaban papeles, entonces \
                 pues nos quedamos con mi prima en la casa de ella.",
            ),
        ]);
        assert!(!outside(&es), "{:?}", es.warnings);
    }
}

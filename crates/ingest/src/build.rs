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
//!    least `min_detect_chars` letters is detected (whatlang, among the
//!    project's languages); shorter turns (`Sí.`, `Yeah`) take the
//!    interview's language, which is the language holding most detected
//!    letters. An interview is mixed when a second language holds at least
//!    15% of the detected letters in at least two turns.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use voces_corpus::{Interview, Role, Segment, Source, SourceFormat, Span, Speaker, id};

use crate::language::Detector;
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
        turn.text = normalize(&turn.text);
        turn.speaker = turn
            .speaker
            .as_deref()
            .map(normalize)
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

    let stem = input
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let interview_id = id::slug(&stem.nfc().collect::<String>());

    // Lay out the text and the segments.
    let mut text = String::new();
    let mut chars = 0usize;
    let mut segments = Vec::with_capacity(turns.len());
    for (index, turn) in turns.iter().enumerate() {
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
        chars += turn.text.chars().count();
        let (sentences, words) = boundaries(&turn.text, start);
        segments.push(Segment {
            id: id::segment_id(&interview_id, index),
            index,
            speaker: turn.speaker.clone(),
            role: turn.speaker.as_ref().map_or(Role::Other, |s| {
                roles.get(s).copied().unwrap_or(Role::Participant)
            }),
            start,
            end: chars,
            text: turn.text.clone(),
            language: String::new(),
            language_detected: false,
            sentences,
            words,
            start_time: turn.start_time,
            end_time: turn.end_time,
            annotations: turn.annotations.clone(),
        });
    }

    let (language, languages) = detect_languages(&mut segments, &turns, options);
    let mixed_language = languages.len() > 1;
    let mut warnings = t.warnings;
    if let Some(other) = crate::language::outside_project(&text, &options.languages) {
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
        .unwrap_or_else(|| stem.clone());
    let path = absolute(input.path);
    let stats = voces_corpus::Stats::of(&segments);
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
            sha256: crate::sha256(input.bytes),
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
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii()
            || unicode_normalization::is_nfc_quick(word.chars())
                == unicode_normalization::IsNormalized::Yes
        {
            out.push_str(word);
        } else {
            out.extend(word.nfc());
        }
    }
    out
}

/// Sentence spans (absolute, from `base`) and word offsets (relative) of a
/// segment's text.
fn boundaries(text: &str, base: usize) -> (Vec<Span>, Vec<u32>) {
    let mut sentences = Vec::new();
    let mut pos = base;
    for sentence in text.split_sentence_bounds() {
        let n = sentence.chars().count();
        let trimmed = sentence.trim_end().chars().count();
        if sentence.chars().any(char::is_alphanumeric) {
            sentences.push(Span {
                start: pos,
                end: pos + trimmed,
            });
        } else if let Some(last) = sentences.last_mut() {
            // Trailing punctuation alone (`...`, `?!`) joins the sentence before.
            last.end = pos + trimmed;
        }
        pos += n;
    }
    let mut words = Vec::new();
    let mut at = 0u32;
    for w in text.split_word_bounds() {
        let n = w.chars().count() as u32;
        if w.chars().any(char::is_alphanumeric) {
            words.push(at);
            words.push(at + n);
        }
        at += n;
    }
    (sentences, words)
}

/// Sets each segment's language; returns the interview's primary language
/// and the languages present.
fn detect_languages(
    segments: &mut [Segment],
    turns: &[crate::Turn],
    options: &crate::ReadOptions,
) -> (String, Vec<String>) {
    let detector = Detector::new(&options.languages);
    let allowed = |code: &str| options.languages.iter().any(|l| l == code);
    let mut letters_by_lang: HashMap<String, (usize, usize)> = HashMap::new();
    // Letters and function-word counts of every sentence, for the
    // code-switching test below; a segment's counts are their sum.
    let mut sentence_counts: Vec<(usize, Vec<usize>)> = Vec::new();
    for (seg, turn) in segments.iter_mut().zip(turns) {
        let first = sentence_counts.len();
        sentence_counts.extend(sentence_texts(seg).map(|sentence| {
            let letters = sentence.chars().filter(|c| c.is_alphabetic()).count();
            (letters, detector.word_counts(sentence))
        }));
        let mut counts: Vec<usize> = Vec::new();
        for (_, c) in &sentence_counts[first..] {
            counts.resize(c.len(), 0);
            for (sum, n) in counts.iter_mut().zip(c) {
                *sum += n;
            }
        }
        let letters = seg.text.chars().filter(|c| c.is_alphabetic()).count();
        let found = match turn.language.as_deref() {
            Some(code) if allowed(code) => Some(code.to_owned()),
            _ if letters >= options.min_detect_chars => detector
                .detect_counted(&seg.text, &counts)
                .map(|(c, _)| c.to_owned()),
            _ => None,
        };
        if let Some(code) = found {
            let e = letters_by_lang.entry(code.clone()).or_default();
            e.0 += letters;
            e.1 += 1;
            seg.language = code;
            seg.language_detected = true;
        }
    }
    let total: usize = letters_by_lang.values().map(|v| v.0).sum();
    let mut ranked: Vec<(String, (usize, usize))> = letters_by_lang.into_iter().collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    let primary = if let Some((code, _)) = ranked.first() {
        code.clone()
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
            languages.push(code.clone());
        }
    }
    // Code-switching inside turns ("Pero mira, la idea cambió. We went by
    // bus...") leaves every turn with one majority language; sentences
    // show it.
    for (code, (letters, sentences)) in sentence_languages(&sentence_counts, &detector) {
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
fn sentence_languages(
    sentences: &[(usize, Vec<usize>)],
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
                None => found.push((code, (*letters, 1))),
            }
        }
    }
    found
}

/// The texts of a segment's sentences.
fn sentence_texts(seg: &Segment) -> impl Iterator<Item = &str> {
    // Character → byte offsets of this segment's text.
    let bytes: Vec<usize> = seg
        .text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(seg.text.len()))
        .collect();
    seg.sentences.iter().filter_map(move |span| {
        let a = *bytes.get(span.start.checked_sub(seg.start)?)?;
        let b = *bytes.get(span.end.checked_sub(seg.start)?)?;
        seg.text.get(a..b)
    })
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
}

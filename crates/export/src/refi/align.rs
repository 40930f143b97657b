//! From positions in a source's plain text to offsets in the interview
//! voces builds from it.
//!
//! The builder changes the text: Unicode NFC, whitespace runs made one
//! space, wrapped lines joined, turns laid out as `LABEL: text` separated
//! by a blank line, markup such as `**NAME:**` or inline tags dropped. The
//! letters, digits and punctuation stay, in order. So the two texts are
//! aligned on their non-whitespace characters: equal characters are
//! matched in order, and where they differ the shortest skip on either
//! side that lets them agree again is taken (a local search for short
//! differences, an index of 8-character runs for long ones). A position
//! then maps to the offset of the nearest matched character: a start
//! forward, an end backward. Text the builder dropped maps to nothing.

#![allow(
    clippy::many_single_char_names,
    reason = "`a`, `b` are the two texts and `i`, `j` their cursors, as in any alignment"
)]

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{IsNormalized, is_nfc_quick};

/// Characters of a run that anchors a long skip.
const ANCHOR: usize = 8;
/// Longest skip tried by the local search, and the run that must agree
/// after it.
const LOCAL_SKIP: usize = 16;
const LOCAL_RUN: usize = 3;

/// A position map from a source text to a target text.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Source position of each non-whitespace source character, ascending.
    positions: Vec<usize>,
    /// For each of them, the nearest matched target offset at or after it
    /// (for starts) ...
    forward: Vec<Option<usize>>,
    /// ... and at or before it, plus one (for ends).
    backward: Vec<Option<usize>>,
    matched: usize,
    identity: Option<usize>,
}

impl Alignment {
    /// Aligns `source` (positions counted in characters, with each `\r\n`
    /// counted as one when `crlf_as_one`) with `target` (offsets in
    /// characters).
    pub fn new(source: &str, target: &str, crlf_as_one: bool) -> Alignment {
        if source == target && !(crlf_as_one && source.contains("\r\n")) {
            let n = target.chars().count();
            return Alignment {
                positions: Vec::new(),
                forward: Vec::new(),
                backward: Vec::new(),
                matched: n,
                identity: Some(n),
            };
        }
        let a = source_chars(source, crlf_as_one);
        let b: Vec<(char, usize)> = target
            .chars()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, c)| (c, i))
            .collect();
        let pairs = match_chars(
            &a.iter().map(|x| x.0).collect::<Vec<_>>(),
            &b.iter().map(|x| x.0).collect::<Vec<_>>(),
        );
        let mut target_of: Vec<Option<usize>> = vec![None; a.len()];
        for &(i, j) in &pairs {
            target_of[i] = Some(b[j].1);
        }
        let mut forward = vec![None; a.len()];
        let mut next = None;
        for i in (0..a.len()).rev() {
            if target_of[i].is_some() {
                next = target_of[i];
            }
            forward[i] = next;
        }
        let mut backward = vec![None; a.len()];
        let mut previous = None;
        for i in 0..a.len() {
            if let Some(t) = target_of[i] {
                previous = Some(t + 1);
            }
            backward[i] = previous;
        }
        Alignment {
            positions: a.iter().map(|x| x.1).collect(),
            forward,
            backward,
            matched: pairs.len(),
            identity: None,
        }
    }

    /// Share of the source's non-whitespace characters found in the
    /// target (1 when they are the same text).
    pub fn matched_share(&self) -> f64 {
        if self.identity.is_some() || self.positions.is_empty() {
            1.0
        } else {
            self.matched as f64 / self.positions.len() as f64
        }
    }

    /// The target span of the source span `start..end`, or `None` when
    /// nothing of it is in the target.
    pub fn span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if let Some(n) = self.identity {
            let (s, e) = (start.min(n), end.min(n));
            return (s < e).then_some((s, e));
        }
        // First character at or after `start`, last before `end`.
        let first = self.positions.partition_point(|&p| p < start);
        let last = self.positions.partition_point(|&p| p < end);
        if first >= last {
            return None;
        }
        let s = self.forward[first]?;
        let e = self.backward[last - 1]?;
        (s < e).then_some((s, e))
    }
}

/// Non-whitespace characters of the source in NFC, each with the position
/// of the character it came from (a word that NFC changes spreads its
/// characters over the original ones).
fn source_chars(source: &str, crlf_as_one: bool) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(source.len());
    let mut word: Vec<(char, usize)> = Vec::new();
    let mut pos = 0usize;
    let mut previous = '\0';
    let flush = |word: &mut Vec<(char, usize)>, out: &mut Vec<(char, usize)>| {
        if word.is_empty() {
            return;
        }
        if is_nfc_quick(word.iter().map(|w| w.0)) == IsNormalized::Yes {
            out.append(word);
        } else {
            let nfc: Vec<char> = word.iter().map(|w| w.0).nfc().collect();
            for (k, c) in nfc.into_iter().enumerate() {
                out.push((c, word[k.min(word.len() - 1)].1));
            }
            word.clear();
        }
    };
    for c in source.chars() {
        if crlf_as_one && previous == '\r' && c == '\n' {
            previous = c;
            continue;
        }
        if c.is_whitespace() {
            flush(&mut word, &mut out);
        } else {
            word.push((c, pos));
        }
        pos += 1;
        previous = c;
    }
    flush(&mut word, &mut out);
    out
}

/// Pairs `(i, j)` of equal characters of `a` and `b`, increasing in both.
fn match_chars(a: &[char], b: &[char]) -> Vec<(usize, usize)> {
    let index_a = anchors(a);
    let index_b = anchors(b);
    let mut pairs = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
            continue;
        }
        if let Some((di, dj)) =
            local_skip(a, b, i, j).or_else(|| far_skip(a, b, i, j, &index_a, &index_b))
        {
            i += di;
            j += dj;
        } else {
            // A character changed on both sides: step over both.
            i += 1;
            j += 1;
        }
    }
    pairs
}

fn agree(a: &[char], b: &[char], i: usize, j: usize, n: usize) -> bool {
    i + n <= a.len() && j + n <= b.len() && a[i..i + n] == b[j..j + n]
}

/// The smallest skip of up to [`LOCAL_SKIP`] characters on one side after
/// which [`LOCAL_RUN`] characters agree.
fn local_skip(a: &[char], b: &[char], i: usize, j: usize) -> Option<(usize, usize)> {
    let run = LOCAL_RUN.min(a.len() - i).min(b.len() - j).max(1);
    (1..=LOCAL_SKIP).find_map(|d| {
        if agree(a, b, i + d, j, run) {
            Some((d, 0))
        } else if agree(a, b, i, j + d, run) {
            Some((0, d))
        } else {
            None
        }
    })
}

/// The smaller of: skipping `b` to the next place where the run of
/// [`ANCHOR`] characters at `a[i..]` occurs, and the converse.
fn far_skip(
    a: &[char],
    b: &[char],
    i: usize,
    j: usize,
    index_a: &HashMap<u64, Vec<usize>>,
    index_b: &HashMap<u64, Vec<usize>>,
) -> Option<(usize, usize)> {
    // Where the run starting at `run_at` of `run_text` occurs next in
    // `text`, from `from` on.
    let next = |index: &HashMap<u64, Vec<usize>>,
                text: &[char],
                from: usize,
                run_text: &[char],
                run_at: usize| {
        let run = run_text.get(run_at..run_at + ANCHOR)?;
        let list = index.get(&hash(run))?;
        let first = list.partition_point(|&p| p < from);
        list[first..]
            .iter()
            .copied()
            .find(|&p| text[p..p + ANCHOR] == *run)
    };
    let skip_b = next(index_b, b, j, a, i).map(|p| (0, p - j));
    let skip_a = next(index_a, a, i, b, j).map(|p| (p - i, 0));
    match (skip_a, skip_b) {
        (Some(x), Some(y)) => Some(if x.0 <= y.1 { x } else { y }),
        (x, y) => x.or(y),
    }
}

/// Start positions of every run of [`ANCHOR`] characters, by hash.
fn anchors(text: &[char]) -> HashMap<u64, Vec<usize>> {
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    if text.len() >= ANCHOR {
        for p in 0..=text.len() - ANCHOR {
            index.entry(hash(&text[p..p + ANCHOR])).or_default().push(p);
        }
    }
    index
}

/// FNV-1a over the characters.
fn hash(run: &[char]) -> u64 {
    run.iter().fold(0xcbf2_9ce4_8422_2325, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(target: &str, span: Option<(usize, usize)>) -> Option<String> {
        span.map(|(s, e)| target.chars().skip(s).take(e - s).collect())
    }

    #[test]
    fn identical_texts_map_to_themselves() {
        let a = Alignment::new("abc def", "abc def", false);
        assert_eq!(a.span(1, 5), Some((1, 5)));
        assert_eq!(a.span(5, 50), Some((5, 7)));
        assert_eq!(a.span(7, 9), None);
    }

    #[test]
    fn whitespace_and_markup_differences() {
        let source = "**María:**   Hola,\r\nqué tal.\n\nI: Bien.\n";
        let target = "María: Hola, qué tal.\n\nI: Bien.";
        let a = Alignment::new(source, target, false);
        let find = |s: &str| {
            let start = source.find(s).unwrap();
            let cs = source[..start].chars().count();
            (cs, cs + s.chars().count())
        };
        let (s, e) = find("Hola,\r\nqué tal.");
        assert_eq!(
            quote(target, a.span(s, e)).as_deref(),
            Some("Hola, qué tal.")
        );
        let (s, e) = find("Bien.\n");
        assert_eq!(quote(target, a.span(s, e)).as_deref(), Some("Bien."));
        // Only markup the builder dropped: nothing.
        assert_eq!(a.span(0, 2), None);
        assert!(a.matched_share() > 0.8);
    }

    #[test]
    fn decomposed_accents_and_crlf_counting() {
        let source = "Jose\u{301} dijo:\r\nsí";
        let target = "José dijo: sí";
        let a = Alignment::new(source, target, false);
        assert_eq!(quote(target, a.span(0, 5)).as_deref(), Some("José"));
        // With CRLF counted as one character, `sí` starts at 12, not 13.
        let a = Alignment::new(source, target, true);
        assert_eq!(quote(target, a.span(12, 14)).as_deref(), Some("sí"));
    }

    #[test]
    fn long_dropped_block() {
        let header = "Date: 2024-01-01\nPlace: somewhere far away from here\n".repeat(20);
        let source = format!("{header}Interviewer: why did you go?\nAna: because of the border.");
        let target = "Interviewer: why did you go?\n\nAna: because of the border.";
        let a = Alignment::new(&source, target, false);
        let start = source.find("because").unwrap();
        let s = source[..start].chars().count();
        assert_eq!(
            quote(target, a.span(s, s + "because of the border".len())).as_deref(),
            Some("because of the border")
        );
    }
}

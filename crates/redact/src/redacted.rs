//! A redacted text and the map from the original's character offsets to
//! the redacted text's.

use serde::Serialize;

/// One replaced span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// First replaced character of the original text.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Where the pseudonym starts in the redacted text (characters).
    pub new_start: usize,
    /// One past its end.
    pub new_end: usize,
    /// The entity's kind (`person`, `place`, `email`...).
    pub kind: String,
    /// The pseudonym put in its place.
    pub pseudonym: String,
}

/// A text with its personal data replaced by pseudonyms, and the map from
/// offsets of the original text to offsets of this one. Offsets are
/// characters, like every offset in voces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The redacted text.
    pub text: String,
    /// The replacements, in text order, not overlapping.
    pub replacements: Vec<Replacement>,
    /// Byte offset of every [`STEP`]th character of `text`.
    checkpoints: Vec<usize>,
}

const STEP: usize = 64;

impl Redacted {
    pub(crate) fn new(text: String, replacements: Vec<Replacement>) -> Redacted {
        let checkpoints = text.char_indices().step_by(STEP).map(|(b, _)| b).collect();
        Redacted {
            text,
            replacements,
            checkpoints,
        }
    }

    /// True when nothing was replaced.
    pub fn is_unchanged(&self) -> bool {
        self.replacements.is_empty()
    }

    /// Where original offset `offset` lands in the redacted text. An offset
    /// inside a replaced span lands on the start of its pseudonym.
    pub fn map(&self, offset: usize) -> usize {
        let i = self.replacements.partition_point(|r| r.start <= offset);
        match i.checked_sub(1).map(|i| &self.replacements[i]) {
            None => offset,
            Some(r) if offset < r.end => r.new_start,
            Some(r) => offset - r.end + r.new_end,
        }
    }

    /// Where the original span `[start, end)` lands. A span that starts or
    /// ends inside a replaced name grows to take its whole pseudonym, so a
    /// quote cut through a name shows the pseudonym, never part of the name.
    pub fn map_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map(start);
        let i = self.replacements.partition_point(|r| r.start < end);
        let e = match i.checked_sub(1).map(|i| &self.replacements[i]) {
            None => end,
            Some(r) if end <= r.end => r.new_end,
            Some(r) => end - r.end + r.new_end,
        };
        (s, e.max(s))
    }

    /// The redacted text of the original span `[start, end)` (see
    /// [`Redacted::map_span`]).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let (s, e) = self.map_span(start, end);
        &self.text[self.byte(s)..self.byte(e)]
    }

    /// Byte offset of character `c` of the redacted text (its length past
    /// the end).
    fn byte(&self, c: usize) -> usize {
        let Some(&from) = self.checkpoints.get(c / STEP) else {
            return self.text.len();
        };
        self.text[from..]
            .char_indices()
            .nth(c % STEP)
            .map_or(self.text.len(), |(b, _)| from + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Redacted {
        // "Soy María Pérez, de Maracay." → "Soy [P01], de [PLACE-1]."
        let text = "Soy [P01], de [PLACE-1].".to_owned();
        Redacted::new(
            text,
            vec![
                Replacement {
                    start: 4,
                    end: 15,
                    new_start: 4,
                    new_end: 9,
                    kind: "person".into(),
                    pseudonym: "[P01]".into(),
                },
                Replacement {
                    start: 20,
                    end: 27,
                    new_start: 14,
                    new_end: 23,
                    kind: "place".into(),
                    pseudonym: "[PLACE-1]".into(),
                },
            ],
        )
    }

    #[test]
    fn offsets_map_around_and_into_replacements() {
        let r = sample();
        assert_eq!(r.map(0), 0);
        assert_eq!(r.map(4), 4);
        assert_eq!(r.map(10), 4);
        assert_eq!(r.map(15), 9);
        assert_eq!(r.map(17), 11);
        assert_eq!(r.map(28), 24);
        assert_eq!(r.slice(0, 3), "Soy");
        assert_eq!(r.slice(17, 28), "de [PLACE-1].");
        // A quote that cuts a name takes the whole pseudonym.
        assert_eq!(r.slice(10, 19), "[P01], de");
        assert_eq!(r.slice(0, 7), "Soy [P01]");
        assert_eq!(r.slice(22, 24), "[PLACE-1]");
    }

    #[test]
    fn slices_past_checkpoints() {
        let text: String = "ñ".repeat(200);
        let r = Redacted::new(text, Vec::new());
        assert_eq!(r.slice(130, 133), "ñññ");
        assert_eq!(r.slice(198, 200), "ññ");
        assert_eq!(r.slice(200, 200), "");
    }
}

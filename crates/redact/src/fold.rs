//! Case and accent folding for matching names, with a way back from the
//! folded text to the original characters.
//!
//! Folding lower-cases, drops accents (`María` → `maria`, `Muñoz` →
//! `munoz`), reads hyphens and underscores as spaces (`Pérez-Gómez` matches
//! `Pérez Gómez`, and names inside ids such as `maria-perez` are found),
//! makes every run of spaces or tabs one space, unifies apostrophes, and
//! keeps line breaks, so that a name never matches across two lines (turns).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Text folded for matching.
#[derive(Debug)]
pub(crate) struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, the original character it came from.
    origin: Vec<u32>,
}

impl Folded {
    /// Folds `chars`.
    pub fn new(chars: &[char]) -> Folded {
        let mut text = String::with_capacity(chars.len());
        let mut origin = Vec::with_capacity(chars.len());
        let mut last_space = false;
        for (i, &c) in chars.iter().enumerate() {
            fold_char(c, &mut |f| {
                if f == ' ' {
                    if last_space {
                        return;
                    }
                    last_space = true;
                } else {
                    last_space = false;
                }
                text.push(f);
                origin.extend(std::iter::repeat_n(i as u32, f.len_utf8()));
            });
        }
        Folded { text, origin }
    }

    /// The original characters `[start, end)` that the folded bytes
    /// `[a, b)` came from, or `None` when the bytes begin or end inside the
    /// folding of one character.
    pub fn origin(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        if a >= b || b > self.origin.len() {
            return None;
        }
        let start = self.origin[a];
        let end = self.origin[b - 1];
        if a > 0 && self.origin[a - 1] == start {
            return None;
        }
        if b < self.origin.len() && self.origin[b] == end {
            return None;
        }
        Some((start as usize, end as usize + 1))
    }
}

/// Folds a name, term or word the way [`Folded`] folds text, without
/// leading or trailing spaces.
pub(crate) fn fold(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    Folded::new(&chars).text.trim().to_owned()
}

fn fold_char(c: char, push: &mut impl FnMut(char)) {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => push('\n'),
        '-' | '_' | '\u{2010}' | '\u{2011}' => push(' '),
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => push('\''),
        c if c.is_whitespace() => push(' '),
        c if c.is_ascii() => push(c.to_ascii_lowercase()),
        c => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                for l in d.to_lowercase() {
                    push(l);
                }
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_spacing() {
        assert_eq!(fold(" María  José\tPÉREZ-Gómez "), "maria jose perez gomez");
        assert_eq!(fold("Muñoz O’Brien"), "munoz o'brien");
    }

    #[test]
    fn maps_back_to_characters() {
        let chars: Vec<char> = "¡Hola,  María!".chars().collect();
        let f = Folded::new(&chars);
        assert_eq!(f.text, "¡hola, maria!");
        let a = f.text.find("maria").unwrap();
        assert_eq!(f.origin(a, a + 5), Some((8, 13)));
        let s: String = chars[8..13].iter().collect();
        assert_eq!(s, "María");
    }
}

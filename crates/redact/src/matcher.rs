//! Matching known names and terms in text: case- and accent-insensitive,
//! whole words, one pass over the folded text (Aho-Corasick).

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use crate::fold::Folded;

/// What a pattern stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    /// The entities (indices) it names; more than one when two people
    /// share a first name, say.
    pub targets: Vec<usize>,
    /// A full name, alias or term, rather than one part of a name. A full
    /// form of one entity hides the same word as a part of another.
    pub full: bool,
    /// Matched only when written with a capital (a common word that is
    /// also a name: `Rosa`, `Hope`).
    pub capital: bool,
}

/// Builds a [`Matcher`].
#[derive(Debug, Default)]
pub(crate) struct MatcherBuilder {
    patterns: HashMap<String, Pattern>,
}

impl MatcherBuilder {
    /// Adds the folded form `folded` for entity `target`.
    pub fn add(&mut self, folded: String, target: usize, full: bool, capital: bool) {
        if folded.is_empty() {
            return;
        }
        let new = Pattern {
            targets: vec![target],
            full,
            capital,
        };
        match self.patterns.get_mut(&folded) {
            None => {
                self.patterns.insert(folded, new);
            }
            Some(old) if old.full && !full => {}
            Some(old) if full && !old.full => *old = new,
            Some(old) => {
                if !old.targets.contains(&target) {
                    old.targets.push(target);
                    old.targets.sort_unstable();
                }
                // Match in any case if any form asks for it: the safer side.
                old.capital &= capital;
            }
        }
    }

    pub fn build(self) -> Matcher {
        let mut entries: Vec<(String, Pattern)> = self.patterns.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let ac = if entries.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::new(entries.iter().map(|(k, _)| k.as_str()))
                    .expect("patterns of folded names build"),
            )
        };
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        let (keys, patterns) = entries.into_iter().unzip();
        Matcher {
            ac,
            patterns,
            keys,
            index,
        }
    }
}

/// The names and terms of a redactor.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    ac: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    /// The folded form of each pattern.
    keys: Vec<String>,
    index: HashMap<String, usize>,
}

/// A match: original characters `[start, end)` and the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameHit {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

impl Matcher {
    pub fn pattern(&self, i: usize) -> &Pattern {
        &self.patterns[i]
    }

    /// The folded form of pattern `i`.
    pub fn key(&self, i: usize) -> &str {
        &self.keys[i]
    }

    /// The pattern of exactly this folded form.
    pub fn lookup(&self, folded: &str) -> Option<&Pattern> {
        self.index.get(folded).map(|&i| &self.patterns[i])
    }

    /// Every whole-word match in the text, overlapping ones included.
    pub fn find(&self, chars: &[char], folded: &Folded) -> Vec<NameHit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in ac.find_overlapping_iter(&folded.text) {
            let Some((start, end)) = folded.origin(m.start(), m.end()) else {
                continue;
            };
            let bounded = (start == 0 || !chars[start - 1].is_alphanumeric())
                && (end == chars.len() || !chars[end].is_alphanumeric());
            if !bounded {
                continue;
            }
            let pattern = m.pattern().as_usize();
            if self.patterns[pattern].capital && !chars[start].is_uppercase() {
                continue;
            }
            out.push(NameHit {
                start,
                end,
                pattern,
            });
        }
        out
    }
}

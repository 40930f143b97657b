//! The checked codebook: codes, rules and their settings.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use voces_corpus::Role;

use super::pattern::Pattern;

/// Text in several languages, by ISO 639-1 code (`en`, `es`).
pub type LangText = BTreeMap<String, String>;

/// A checked codebook: metadata and codes in file order, each code with its
/// auto-coding rules. Built by [`Codebook::parse`] or [`Codebook::load`].
///
/// [`Codebook::parse`]: crate::Codebook::parse
/// [`Codebook::load`]: crate::Codebook::load
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Codebook {
    /// Version of the codebook file format ([`super::FORMAT`]).
    pub format: u32,
    /// Name of the codebook, for reports.
    pub name: String,
    /// The codebook's own version, as the researchers number it.
    pub version: String,
    /// Languages the codebook has rules and labels for (ISO 639-1).
    pub languages: Vec<String>,
    /// What the codebook is for.
    pub description: String,
    /// Codes in file order. A sub-code may come before or after its parent;
    /// [`Codebook::themes`] and [`Codebook::children`] walk the tree.
    pub codes: Vec<Code>,
}

/// A code: a theme (no parent) or a sub-code of another code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Code {
    /// Stable id: lower-case ASCII letters, digits, `_` and `-`, in parts
    /// joined by `.` (`smuggling`, `smuggling.payment`).
    pub id: String,
    /// Id of the parent code; `None` for a theme.
    pub parent: Option<String>,
    /// Short name per language.
    pub labels: LangText,
    /// What the code means, per language.
    pub definition: LangText,
    /// When to apply it, per language.
    pub include: LangText,
    /// When not to apply it (and what to use instead), per language.
    pub exclude: LangText,
    /// Example quotes per language.
    pub examples: BTreeMap<String, Vec<String>>,
    /// Display colour, `#rrggbb` in lower case (REFI-QDA export).
    pub color: Option<String>,
    /// Auto-coding rules that apply this code.
    pub rules: Vec<Rule>,
    /// Line of the code's `id` in the codebook file (not part of the hash).
    #[serde(skip)]
    pub line: usize,
}

impl Code {
    /// True for a top-level code.
    pub fn is_theme(&self) -> bool {
        self.parent.is_none()
    }

    /// The label in `lang`, else the first label, else the id.
    pub fn label(&self, lang: &str) -> &str {
        self.labels
            .get(lang)
            .or_else(|| self.labels.values().next())
            .map_or(&self.id, String::as_str)
    }
}

/// An auto-coding rule: when it matches a unit (a sentence or a segment) of
/// a transcript in its language, the unit gets the rule's code.
///
/// A rule matches a unit when **any** of its `terms`, `phrases`, `near` or
/// `regex` matches there, and **none** of its `not` entries occurs in the
/// same unit; with `negation`, a match preceded within
/// [`crate::NEGATION_WINDOW`] words by a negator ([`crate::is_negated`])
/// does not count; with `roles`, only segments spoken by those roles are
/// looked at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Stable id, unique in the codebook (`smuggling/es/coyote`): what a
    /// coded excerpt records as the rule that made it.
    pub id: String,
    /// Language of the transcripts the rule applies to (ISO 639-1): a rule
    /// runs only on segments in that language, and its terms go through
    /// that language's stemmer.
    pub lang: String,
    /// Single words, matched through the language's stemmer (`pagamos`
    /// matches `pagar`, `pagaron`...), ignoring case.
    pub terms: Vec<String>,
    /// Word sequences matched exactly, word for word, ignoring case, not
    /// stemmed (`sin papeles`).
    pub phrases: Vec<String>,
    /// Proximity: an entry of `a` and an entry of `b` within so many words.
    pub near: Option<Near>,
    /// Regular expressions, case-insensitive, anchored to word boundaries.
    pub regex: Vec<Pattern>,
    /// Vetoes: when one of these occurs in the same unit, the rule does not
    /// match there. An entry of one word is a term (stemmed), of several
    /// words a phrase (exact).
    pub not: Vec<String>,
    /// Skip matches preceded within [`crate::NEGATION_WINDOW`] words by a
    /// negator of the rule's language.
    pub negation: bool,
    /// Speaker roles whose segments the rule looks at; empty means every
    /// role.
    pub roles: Vec<Role>,
    /// What a match codes, and the extent of `near` and `not`.
    pub unit: Unit,
    /// Line of the rule's `id` in the codebook file (not part of the hash).
    #[serde(skip)]
    pub line: usize,
}

/// Proximity condition: a word or phrase of `a` and one of `b`, in either
/// order, with at most `within` other words between them, in the same unit.
/// An entry of one word is a term (stemmed), of several words a phrase
/// (exact); with `exact`, every entry is matched word for word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Near {
    /// One side.
    pub a: Vec<String>,
    /// The other side.
    pub b: Vec<String>,
    /// Largest number of words between the two (0: adjacent).
    pub within: u32,
    /// Match one-word entries exactly too (ignoring case and accents), not
    /// through the stemmer. Left out of the hash when false, so codebooks
    /// that do not use it keep their hash.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exact: bool,
}

/// The stretch of text a rule codes, and the extent of `near` and `not`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// The sentence holding the match.
    #[default]
    Sentence,
    /// The whole segment (speaker turn) holding the match.
    Segment,
}

impl Unit {
    /// The lower-case name used in the codebook and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Sentence => "sentence",
            Unit::Segment => "segment",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

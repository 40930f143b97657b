//! Codebooks: themes, sub-codes and the rules that apply them, read from a
//! TOML file.
//!
//! # The file
//!
//! ```toml
//! [codebook]
//! name = "SMO study"
//! version = "1.0"
//! languages = ["en", "es"]
//! description = "Themes of the Safe Mobility Offices study"
//!
//! [defaults]                      # optional: what every rule gets unless it says otherwise
//! roles = ["participant", "other"]  # speaker roles looked at; [] = all
//! unit = "sentence"               # "sentence" or "segment"
//! negation = false
//!
//! [[code]]                        # a theme: a code with no parent
//! id = "smuggling"
//! labels = { en = "Smuggling", es = "Tráfico de migrantes" }
//! color = "#d62728"
//! definition = { en = "Paying or relying on smugglers...", es = "Pagar o recurrir a..." }
//! include = { en = "...", es = "..." }
//! exclude = { en = "...", es = "..." }
//! examples = { en = ["the man we paid to take us across"], es = ["le pagamos al coyote"] }
//!
//! [[code.rule]]                   # a rule of the code just above
//! id = "smuggling/es/coyote"      # stable: coded excerpts record it
//! lang = "es"
//! terms = ["coyote", "pollero"]   # one word each, through the Spanish stemmer
//! phrases = ["pasador de gente"]  # exact word sequences
//! not = ["coyote de monte"]       # vetoes in the same unit
//!
//! [[code]]                        # a sub-code
//! id = "smuggling.payment"
//! parent = "smuggling"
//! labels = { en = "Paying smugglers", es = "Pago a coyotes" }
//!
//! [[code.rule]]
//! id = "smuggling.payment/es/cobro"
//! lang = "es"
//! near = { a = ["coyote", "pollero"], b = ["pagar", "cobrar", "dólares"], within = 6 }
//! regex = ['(?:mil|miles de) d[oó]lares? por (?:cabeza|persona)']
//! ```
//!
//! Every key is checked: a misspelt key is an error, not a silently
//! ignored line.
//!
//! `[codebook]` (required): `name`, `version` (free text), `languages` (ISO
//! 639-1 codes), `description`, and `format` (this is format [`FORMAT`]).
//!
//! `[defaults]` (optional): `roles`, `unit` and `negation` for rules that do
//! not set them. Without it rules look at every role, code sentences, and
//! ignore negation.
//!
//! `[[code]]`, once per code: `id` (lower-case letters, digits, `_`, `-`,
//! in parts joined by `.`), `parent` (another code's id; none for a
//! theme), `labels`, `definition`, `include`, `exclude` (each a table of
//! text by language), `examples` (a table of lists of quotes by language),
//! `color` (`#rrggbb`), and the code's rules.
//!
//! `[[code.rule]]`, after its code: `id` (unique in the codebook; by
//! convention `code/lang/name`), `lang`, and at least one of
//!
//! - `terms`: single words, matched through the stemmer of `lang`
//!   (`deportaron` and `deportar` share a stem), ignoring case and
//!   accents. A term is one word of letters and digits; anything else goes
//!   in `phrases`. Stemming also joins unrelated words (Spanish `deporte`,
//!   sport, and `deportar`): use `phrases` or `regex` for such words.
//! - `phrases`: word sequences matched word for word, ignoring case and
//!   accents, not stemmed; only spaces, hyphens, apostrophes, `.` and `/`
//!   may separate the words (not a comma or other punctuation), and a
//!   phrase never reaches across a sentence end. A one-word phrase is an
//!   exact word.
//! - `near = { a = [...], b = [...], within = N }`: an entry of `a` and one
//!   of `b`, in either order, with at most `N` (0 to [`MAX_NEAR_WITHIN`])
//!   words between them, in the same unit. An entry of one word is a
//!   term, stemmed; of several words, a phrase. With `exact = true`, every
//!   entry is a phrase: one-word entries are exact words, for words the
//!   stemmer joins with others (`negocio`/`negociar`, `smuggler`/`smuggle`).
//! - `regex`: regular expressions, case-insensitive, anchored to word
//!   boundaries (`\b(?:...)\b`), refused when they can match the empty
//!   string or exceed size limits (see [`Pattern`]).
//!
//! and optionally `not` (vetoes: words or phrases that, anywhere in the
//! same unit, stop the rule there), `negation` (skip matches preceded
//! within three words by a negator in the same clause, see
//! [`crate::is_negated`]), `roles` and `unit`. A rule matches when any of its matchers matches and no veto
//! applies.
//!
//! # Why flat `[[code]]` tables with `parent`
//!
//! TOML can nest (`[[code.sub]]`, `[[code.sub.sub]]`), but a nested table
//! belongs to whichever code happens to come last above it, so moving a
//! block or adding a level silently re-parents codes, and the header of a
//! third-level code no longer says what it is. A flat list where every
//! code names its parent reads the same anywhere in the file, can be
//! reordered, cut and pasted, and diffs cleanly; the dotted id
//! (`smuggling.payment`) keeps the hierarchy visible at a glance. Rules,
//! in contrast, are nested (`[[code.rule]]`): a rule right under its code
//! is where a reader looks for it.
//!
//! # Hierarchy and coverage
//!
//! A unit coded with a sub-code also counts for its theme
//! ([`Codebook::theme_of`], [`Codebook::ancestors`]). Every theme must
//! have, itself or through a sub-code, a rule in every language of the
//! project; [`Codebook::parse`] takes those languages.
//!
//! # The hash
//!
//! [`Codebook::hash`] is the SHA-256 of a canonical serialization of the
//! checked codebook ([`Codebook::canonical_json`]): text normalized (NFC,
//! trimmed), defaults resolved into each rule, comments, whitespace, key
//! order and line numbers left out. Reformatting the file or editing its
//! comments keeps the hash; changing any code, text, rule or setting
//! changes it. Moving a setting between `[defaults]` and the rules that
//! use it changes nothing. Codings record the hash of the codebook that
//! made them.

mod check;
mod model;
mod pattern;
mod raw;

use std::borrow::Cow;
use std::path::Path;

use voces_corpus::id::Sha256;

pub use check::edit_distance;
pub use model::{Code, Codebook, LangText, Near, Rule, Unit};
pub use pattern::{MAX_PATTERN_CHARS, Pattern};

use crate::{Diagnostic, Error, Result};

/// Version of the codebook file format this crate reads and writes.
pub const FORMAT: u32 = 1;

/// Largest `within` of a `near` condition.
pub const MAX_NEAR_WITHIN: u32 = 50;

/// Largest codebook file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 << 20;

impl Codebook {
    /// Reads and checks a codebook file; see [`Codebook::parse`].
    pub fn load(path: &Path, project_languages: &[String]) -> Result<Codebook> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_FILE_BYTES {
            return Err(user_error(
                path,
                format!(
                    "codebook of {size} bytes is larger than the {MAX_FILE_BYTES} bytes voces reads"
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            user_error(
                path,
                "not UTF-8 text\nhint: save the codebook as UTF-8".to_owned(),
            )
        })?;
        Codebook::parse(&text, path, project_languages)
    }

    /// Parses and checks a codebook; `path` only names the file in error
    /// messages. Every problem found is reported, in line order, as
    /// `file:line: message` ([`Error::Codebook`]): unknown keys, bad values,
    /// duplicate code or rule ids, bad regexes, empty terms, bad colours,
    /// missing parents, parent cycles, and themes without a rule for one of
    /// `project_languages` (the `[project] languages` of `voces.toml`; an
    /// empty slice skips that check).
    pub fn parse(text: &str, path: &Path, project_languages: &[String]) -> Result<Codebook> {
        check::parse(text, path, project_languages)
    }

    /// The canonical serialization the hash is computed on: compact JSON,
    /// fields in a fixed order, maps sorted by key, defaults resolved, no
    /// line numbers.
    pub fn canonical_json(&self) -> String {
        // Serializing plain structs, strings and maps cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Lower-case hex SHA-256 of `voces-codebook/FORMAT\n` followed by
    /// [`Codebook::canonical_json`].
    pub fn hash(&self) -> String {
        sha256_hex(&[
            format!("voces-codebook/{FORMAT}\n").as_bytes(),
            self.canonical_json().as_bytes(),
        ])
    }

    /// The code with this id.
    pub fn code(&self, id: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    /// Top-level codes, in file order.
    pub fn themes(&self) -> impl Iterator<Item = &Code> {
        self.codes.iter().filter(|c| c.is_theme())
    }

    /// Direct sub-codes of a code, in file order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes
            .iter()
            .filter(move |c| c.parent.as_deref() == Some(id))
    }

    /// The parent, grandparent... of a code, nearest first; empty for a
    /// theme or an unknown id.
    pub fn ancestors(&self, id: &str) -> Vec<&Code> {
        let mut out: Vec<&Code> = Vec::new();
        let mut at = self.code(id).and_then(|c| c.parent.as_deref());
        // A checked codebook has no cycles; the bound only guards
        // hand-built ones.
        while let Some(parent) = at {
            let Some(code) = self.code(parent) else { break };
            if out.len() > self.codes.len() {
                break;
            }
            out.push(code);
            at = code.parent.as_deref();
        }
        out
    }

    /// The theme a code belongs to: itself for a theme.
    pub fn theme_of(&self, id: &str) -> Option<&Code> {
        self.ancestors(id).last().copied().or_else(|| self.code(id))
    }

    /// Every rule with its code, in file order.
    pub fn rules(&self) -> impl Iterator<Item = (&Code, &Rule)> {
        self.codes
            .iter()
            .flat_map(|c| c.rules.iter().map(move |r| (c, r)))
    }

    /// The rule with this id, with its code.
    pub fn rule(&self, id: &str) -> Option<(&Code, &Rule)> {
        self.rules().find(|(_, r)| r.id == id)
    }
}

fn user_error(path: &Path, message: String) -> Error {
    Error::Codebook(vec![Diagnostic {
        path: path.to_owned(),
        line: None,
        message,
    }])
}

/// Text from the file as it is quoted in a one-line message
/// ([`voces_corpus::escape_controls`]).
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    voces_corpus::escape_controls(text)
}

/// Lower-case hex SHA-256 of `parts`, one after the other.
pub(crate) fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    voces_corpus::id::hex(&hasher.finish())
}

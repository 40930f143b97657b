//! Project settings, `voces.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The name of the settings file that marks a project's root.
pub const CONFIG_FILE: &str = "voces.toml";

/// Settings of a project, read from `voces.toml`. Every field has a default,
/// so an empty file is a valid project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `[project]`
    pub project: ProjectConfig,
    /// `[ingest]`
    pub ingest: IngestConfig,
    /// `[metadata]`
    pub metadata: MetadataConfig,
    /// `[code]`
    pub code: CodeConfig,
    /// `[privacy]`
    pub privacy: PrivacyConfig,
}

/// `[project]`: what the corpus is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectConfig {
    /// A name for reports.
    pub name: String,
    /// ISO 639-1 codes of the languages the interviews are in; language
    /// detection chooses among these only. Any language whatlang knows.
    pub languages: Vec<String>,
}

/// `[ingest]`: how transcripts are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// A regular expression for a speaker label at the start of a line of a
    /// plain-text transcript. It must have a named group `speaker` and may
    /// have `time` (a timestamp) and `text` (the rest of the line). Empty
    /// means the built-in pattern.
    pub speaker_pattern: String,
    /// Extra labels (case-insensitive) that mean the interviewer.
    pub interviewer_labels: Vec<String>,
    /// Extra labels (case-insensitive) that mean a participant.
    pub participant_labels: Vec<String>,
    /// Largest transcript file read, in MiB; larger files are refused.
    pub max_file_mb: u64,
    /// Turns with fewer letters than this inherit the interview's language.
    pub min_detect_chars: usize,
}

/// `[metadata]`: how attribute sheets join interviews.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetadataConfig {
    /// Column whose values are interview ids or file names. Empty means the
    /// first column named like `id`, `interview`, `file`...; failing that,
    /// the first column.
    pub key: String,
}

/// `[code]`: how the corpus is coded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodeConfig {
    /// The codebook `voces code` applies, relative to the project folder.
    /// Empty means `codebooks/smo-study.toml` in the project folder, when
    /// there is one.
    pub codebook: String,
}

/// `[privacy]`: pseudonymization of names and personal data in what
/// leaves the project (see the `voces-redact` crate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacyConfig {
    /// The mapping file of real names and their pseudonyms, relative to the
    /// project folder; it must be outside it. Empty means no mapping:
    /// pseudonyms are numbered afresh on each run.
    pub mapping: String,
    /// Attribute-sheet columns that hold names or aliases of people. Empty
    /// means the columns whose header looks like one (`name`, `alias`,
    /// `nombre`, `apellidos`, `seudónimo`...).
    pub name_columns: Vec<String>,
    /// Words and phrases to pseudonymize, by kind (`person`, `place`,
    /// `org`, or any other lower-case word); `a | b` makes aliases of one
    /// entity.
    pub terms: BTreeMap<String, Vec<String>>,
    /// Files of more terms (one `kind: term` a line), relative to the
    /// project folder.
    pub term_files: Vec<String>,
    /// Detectors to run: `email`, `phone`, `id`.
    pub detect: Vec<String>,
    /// Words and numbers never pseudonymized on their own (false positives
    /// of the detectors, or name parts that are common words here).
    pub keep: Vec<String>,
    /// Name parts that are also common words here: replaced alone only
    /// when capitalized (`Mira` but not `mira`), like the built-in list
    /// (`Rosa`, `Paz`, `Hope`...).
    pub common_words: Vec<String>,
}

/// The detectors `[privacy] detect` may name.
pub const PRIVACY_DETECTORS: [&str; 3] = ["email", "phone", "id"];

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            mapping: String::new(),
            name_columns: Vec::new(),
            terms: BTreeMap::new(),
            term_files: Vec::new(),
            detect: PRIVACY_DETECTORS.iter().map(|&d| d.to_owned()).collect(),
            keep: Vec::new(),
            common_words: Vec::new(),
        }
    }
}

impl Default for ProjectConfig {
    fn default() -> Self {
        ProjectConfig {
            name: String::new(),
            languages: vec!["en".to_owned(), "es".to_owned()],
        }
    }
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            speaker_pattern: String::new(),
            interviewer_labels: Vec::new(),
            participant_labels: Vec::new(),
            max_file_mb: 64,
            min_detect_chars: 40,
        }
    }
}

impl Config {
    /// Reads and checks a settings file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    /// Parses settings; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_owned(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().to_owned(),
        })?;
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<()> {
        let bad = |message: String| Error::Config {
            path: path.to_owned(),
            line: None,
            message,
        };
        if self.project.languages.is_empty() {
            return Err(bad(
                "[project] languages must name at least one language".into()
            ));
        }
        for lang in &self.project.languages {
            if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(bad(format!(
                    "[project] languages: `{lang}` is not a two-letter ISO 639-1 code such as `en` or `es`"
                )));
            }
        }
        if self.ingest.max_file_mb == 0 {
            return Err(bad("[ingest] max_file_mb must be at least 1".into()));
        }
        for d in &self.privacy.detect {
            if !PRIVACY_DETECTORS.contains(&d.as_str()) {
                return Err(bad(format!(
                    "[privacy] detect: `{d}` is not a detector (email, phone, id)"
                )));
            }
        }
        for kind in self.privacy.terms.keys() {
            let mut chars = kind.chars();
            if !chars.next().is_some_and(|c| c.is_ascii_lowercase())
                || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(bad(format!(
                    "[privacy] terms: `{kind}` is not a kind: use a lower-case word such as person, place or org"
                )));
            }
        }
        Ok(())
    }

    /// The settings file written by `voces init`: every setting, commented.
    pub fn template(name: &str) -> String {
        let d = IngestConfig::default();
        format!(
            r#"# voces project settings. Every line is optional; shown are the defaults.

[project]
name = "{name}"
# Languages of the interviews (ISO 639-1). Language detection picks among these;
# each needs a stemmer for search (en, es, fr, de, it, pt, nl, sv, ... ).
languages = ["en", "es"]

[ingest]
# Regular expression for a speaker label at the start of a line in .txt/.md
# transcripts, with a named group `speaker` (and optionally `time`, `text`).
# Empty: the built-in pattern (`Interviewer:`, `I:`, `P3:`, `**NAME:**`,
# `[00:12:31] Name:`, `Entrevistador(a):` ...).
speaker_pattern = ""
# Labels (case-insensitive) that name the interviewer or a participant,
# added to the built-in ones.
interviewer_labels = []
participant_labels = []
# Files larger than this (MiB) are refused.
max_file_mb = {max}
# Turns with fewer letters than this take the interview's language.
min_detect_chars = {min}

[metadata]
# Column of the attribute sheet whose values are interview ids or file names.
# Empty: the first column called id, interview, file, ... or else the first.
key = ""

[code]
# The codebook `voces code` applies (TOML, see codebooks/README.md), relative
# to this folder. Empty: codebooks/smo-study.toml here, if present.
codebook = ""

[privacy]
# Pseudonym mapping (real names and their pseudonyms such as [P07]) that
# `voces redact` and every export use. Keep it OUTSIDE this folder (a path
# inside it is refused), e.g. "../my-study-private/mapping.json". Empty: no
# mapping; exports are still redacted, but pseudonyms are numbered afresh on
# each run.
mapping = ""
# Attribute columns holding names or aliases. Empty: columns named like
# name, full name, alias, nickname, nombre, apellidos, apodo, seudónimo...
name_columns = []
# Words to pseudonymize, by kind (person, place, org or any other word);
# "Juan Pérez | Juancho" gives aliases of one entity. For example:
# terms = {{ place = ["Albergue San José"], org = ["Fundación Ejemplo"] }}
# Files of terms, one `kind: term` a line (keep them outside this folder).
term_files = []
# Detectors of personal data: e-mail addresses, phone numbers, ID numbers.
detect = ["email", "phone", "id"]
# Words and numbers never pseudonymized on their own.
keep = []
# Name parts that are also common words in these interviews (`voces redact`
# suggests them): replaced alone only when capitalized, like Rosa, Paz, Hope.
common_words = []
"#,
            max = d.max_file_mb,
            min = d.min_detect_chars,
        )
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .split(|&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_to_defaults() {
        let c = Config::parse(&Config::template(""), Path::new("voces.toml")).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn unknown_key_names_line() {
        let err = Config::parse(
            "[project]\nname = \"x\"\nlangs = []\n",
            Path::new("voces.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("voces.toml:3: unknown field `langs`"),
            "{err}"
        );
    }

    #[test]
    fn bad_language_code() {
        let err = Config::parse(
            "[project]\nlanguages = [\"english\"]\n",
            Path::new("v.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`english` is not a two-letter"), "{err}");
    }
}

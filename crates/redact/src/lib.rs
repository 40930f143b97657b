//! Pseudonymization for voces: what leaves the project carries pseudonyms,
//! not names.
//!
//! A [`Redactor`] replaces, in any text voces exports:
//!
//! - **people**: the names and aliases of the attribute sheets' name
//!   columns (`name`, `full name`, `alias`, `nickname`, `nombre`,
//!   `apellido(s)`, `apodo`, `seudónimo`...; `[privacy] name_columns`
//!   chooses them), speaker labels that are names (`Lena:`, not
//!   `Interviewer:`, `P3:`, `Entrevistadora:`), declared speaker names, and
//!   `person` terms, by `[P07]`: the participant number the sheet gives
//!   (`P07` in a `participant`, `code` or `case` column), else the next
//!   number in order of first appearance (interviews in id order);
//! - **terms** of `[privacy] terms` and term files (`place`, `org`, any
//!   kind) by `[PLACE-3]`, `[ORG-2]`...;
//! - **e-mail addresses, phone numbers and ID numbers** found by the
//!   detectors (see [`Detector`]) by `[EMAIL-1]`, `[PHONE-1]`, `[ID-1]`.
//!
//! # Matching policy
//!
//! Names and terms match as whole words, ignoring case and accents
//! (`MARÍA`, `maria`, `María` alike; `Muñoz` and `Munoz`), across hyphens
//! and runs of spaces but never across lines; a possessive keeps its
//! ending (`María's` → `[P01]'s`). A person also matches by each
//! distinctive part of their names (first name alone, surname alone): a
//! part of three letters or more that is not a particle (`de`, `van`), a
//! title (`Sra.`, `Dr.`), a role word or an initial. A part that is also a
//! common English or Spanish word (`Rosa`, `Paz`, `Blanca`, `Hope`,
//! `Grace`, nicknames like `Flaco`) matches only when capitalized, so `una
//! camisa rosa` stays while `Rosa me dijo` does not; the same holds for a
//! one-word alias. A part shared by two people gives both pseudonyms
//! (`[P01/P02]`): voces cannot tell which is meant. A full name or term
//! wins over another person's part. Parts next to each other give one
//! pseudonym (`María José` → `[P01]`). `[privacy] keep` lists words and
//! numbers never replaced on their own.
//!
//! No model guesses names that no sheet, label or list gives: a relative
//! or a smuggler named only in the text needs a `person` term.
//!
//! # Stability
//!
//! With `[privacy] mapping` (a file outside the project folder, see
//! [`mapping`]), every pseudonym is written down and never changes; new
//! people and values get new numbers. Without one, pseudonyms are numbered
//! from the corpus on each run ([`Redactor::persistent`] is false).
//!
//! # Offsets
//!
//! [`Redacted`] maps character offsets of the original text to the
//! redacted one, so codings and quotes follow: a quote is cut from the
//! redacted interview ([`RedactedInterview::quote`]), and a name cut by
//! the quote's edges is replaced whole.
//!
//! ```
//! # fn main() -> voces_redact::Result<()> {
//! let dir = tempfile::tempdir().unwrap();
//! let project = voces_corpus::Project::init(&dir.path().join("study"))?;
//! let redactor = voces_redact::Redactor::load(&project)?;
//! let r = redactor.redact("Escríbame a maria.perez@example.org o al +57 310 555 1234, desde 2023.");
//! assert_eq!(r.text, "Escríbame a [EMAIL-1] o al [PHONE-1], desde 2023.");
//! assert_eq!(r.slice(12, 20), "[EMAIL-1]");
//! # Ok(()) }
//! ```

mod detect;
mod error;
mod fold;
mod gather;
pub mod mapping;
mod matcher;
pub mod pseudonym;
mod redacted;
mod redactor;
mod settings;
mod words;

pub use detect::Detector;
pub use error::{Error, Result};
pub use mapping::{MAPPING_FORMAT, MappedEntity, Mapping};
pub use redacted::{Redacted, Replacement};
pub use redactor::{
    EntityReport, InterviewReport, LowercaseWord, Options, RULES_VERSION, RedactedInterview,
    Redactor, Report,
};
pub use settings::set_mapping;

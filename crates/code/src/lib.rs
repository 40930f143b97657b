//! The voces coding stage: codebooks (themes, sub-codes and auto-coding
//! rules, read from TOML and checked), auto-coding through the search
//! index, manual codings, and their counts and agreement.
//!
//! - [`Codebook`] parses and checks a codebook file (format in the
//!   [`codebook`] module) and gives its [`hash`](Codebook::hash), which
//!   codings record.
//! - [`AutoCoder`] ([`engine`]) applies a whole codebook to a corpus: one
//!   index query per language finds the candidate segments, then every
//!   rule is checked precisely on them (stemmed terms, phrases, proximity,
//!   regexes, vetoes, negation, roles, sentence or segment units).
//! - [`Coding`] and [`CodingStore`] ([`coding`]) are the coded excerpts and
//!   where they live: `.voces/codings/auto.jsonl`, rewritten by each run,
//!   and one append-only log per manual coder.
//! - [`import`] turns a CSV or spreadsheet of codings made elsewhere into
//!   manual codings, finding each quote in its interview.
//! - [`tally`] counts units per code and code co-occurrence;
//!   [`reliability`] computes agreement between coders at segment level
//!   with the coefficients of [`agreement`] (percent, Cohen, Fleiss,
//!   Krippendorff).
//! - [`is_negated`] is the negation test rules with `negation = true` use.
//!
//! The crate never prints; the `voces` binary drives it (`voces code`,
//! `voces themes`, `voces agree`).
//!
//! ```
//! use std::path::Path;
//! use voces_code::Codebook;
//!
//! let text = r#"
//! [codebook]
//! name = "demo"
//! version = "1"
//! languages = ["en"]
//!
//! [[code]]
//! id = "smuggling"
//! labels = { en = "Smuggling" }
//!
//! [[code.rule]]
//! id = "smuggling/en/smuggler"
//! lang = "en"
//! terms = ["smuggler"]
//! phrases = ["the man we paid to take us across"]
//! "#;
//! let languages = vec!["en".to_owned()];
//! let codebook = Codebook::parse(text, Path::new("demo.toml"), &languages)?;
//! assert_eq!(codebook.themes().count(), 1);
//! assert_eq!(codebook.rule("smuggling/en/smuggler").unwrap().1.terms, ["smuggler"]);
//! assert_eq!(codebook.hash().len(), 64);
//!
//! // Problems are reported as `file:line: message`.
//! let err = Codebook::parse(&text.replace("terms", "term"), Path::new("demo.toml"), &languages)
//!     .unwrap_err();
//! assert!(err.to_string().starts_with("demo.toml:14: unknown field `term`"));
//! # Ok::<(), voces_code::Error>(())
//! ```

pub mod agreement;
pub mod codebook;
pub mod coding;
pub mod engine;
mod error;
pub mod import;
mod negation;
pub mod reliability;
pub mod tally;

pub use codebook::{Code, Codebook, LangText, Near, Pattern, Rule, Unit};
pub use coding::{AUTO_CODER, Coding, CodingStore};
pub use engine::AutoCoder;
pub use error::{Diagnostic, Error, Result};
pub use negation::{NEGATION_WINDOW, is_negated};

//! The voces coding stage, the parts that do not need the index: codebooks
//! (themes, sub-codes and auto-coding rules, read from TOML and checked),
//! their hash, negation, and intercoder agreement.
//!
//! - [`Codebook`] parses and checks a codebook file (format in the
//!   [`codebook`] module) and gives its [`hash`](Codebook::hash), which
//!   codings record.
//! - [`is_negated`] is the negation test rules with `negation = true` use.
//! - [`agreement`] computes percent agreement, Cohen's kappa, Fleiss' kappa
//!   and Krippendorff's alpha, and the per-code binary view of coders'
//!   codings.
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
mod error;
mod negation;

pub use codebook::{Code, Codebook, LangText, Near, Pattern, Rule, Unit};
pub use error::{Diagnostic, Error, Result};
pub use negation::{NEGATION_WINDOW, is_negated};

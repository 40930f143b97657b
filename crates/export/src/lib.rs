//! The export stage of voces: what leaves the project.
//!
//! - [`excerpts`]: coded excerpts, one row each, with the interview's
//!   attributes, speaker, language, quote, code path and coder or rule, as
//!   CSV, XLSX, JSON Lines or Markdown.
//! - [`refi`]: REFI-QDA exchange with NVivo, ATLAS.ti, MAXQDA and
//!   QualCoder: `.qdpx` projects and `.qdc` codebooks, written and read.
//! - [`report`]: one self-contained HTML file with charts.
//!
//! Like every library crate of voces, this one never prints: it returns
//! values and [`Error`]s, and the binary decides what to show.

pub mod excerpts;
pub mod refi;
pub mod report;

mod error;

pub use error::{Error, Result};

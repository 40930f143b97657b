//! The voces corpus: the data model every stage reads, its JSON form, and
//! the on-disk project store.
//!
//! A [`Project`] is a folder with `voces.toml` ([`Config`]) and a `.voces/`
//! data folder. Its [`Store`] holds one [`Interview`] per transcript, each a
//! list of [`Segment`]s with character offsets into the interview's
//! normalized text, and the attribute tables ([`MetadataTable`]) that
//! [`Attributes`] joins to interviews.
//!
//! ```
//! # fn main() -> voces_corpus::Result<()> {
//! let dir = tempfile::tempdir().unwrap();
//! let project = voces_corpus::Project::init(dir.path())?;
//! assert_eq!(project.config().project.languages, ["en", "es"]);
//! assert!(project.store().interview_ids()?.is_empty());
//! # Ok(()) }
//! ```

mod config;
mod error;
pub mod id;
mod lock;
mod model;
mod store;

pub use config::{
    CONFIG_FILE, CodeConfig, Config, IngestConfig, MetadataConfig, PRIVACY_DETECTORS,
    PrivacyConfig, ProjectConfig,
};
pub use error::{Error, Result};
pub use lock::{LOCK_FILE, WriteLock};
pub use model::{
    Annotation, AttrValue, Column, FORMAT_VERSION, Interview, MetadataTable, Participant, Role,
    Segment, Source, SourceFormat, Span, Speaker, Stats,
};
pub use store::{
    Attributes, DATA_DIR, InterviewHead, InterviewPart, Project, Store, write_atomic,
    write_atomic_private,
};

/// Text from a user's file as a one-line message quotes it: control
/// characters (a line break in a quoted id or a zip entry name, a tab, a
/// terminal escape) escaped as `\n`, `\t`, `\u{1b}`, the rest as written.
/// Every crate that quotes file text in an error or warning uses it, so that
/// no input can split a message over lines or reach the terminal raw.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_controls_keeps_text_on_one_line() {
        assert_eq!(super::escape_controls("año, ñandú"), "año, ñandú");
        assert_eq!(
            super::escape_controls("a\nb\tc\u{1b}[31m"),
            "a\\nb\\tc\\u{1b}[31m"
        );
    }
}

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
    Attributes, DATA_DIR, InterviewHead, Project, Store, write_atomic, write_atomic_private,
};

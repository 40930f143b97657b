//! The one error type of `voces-corpus`.

use std::path::PathBuf;

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong reading or writing a project.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A stored JSON file does not parse: the store was changed by hand or
    /// by another program.
    #[error("{}: not a valid voces record: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What `serde_json` says.
        source: serde_json::Error,
    },
    /// `voces.toml` is wrong (user error).
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        /// The settings file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// No `voces.toml` in the folder or its parents.
    #[error(
        "no voces project in {} or any parent folder\nhint: run `voces init` to create one, or pass `--project DIR`",
        start.display()
    )]
    NoProject {
        /// Where the search started.
        start: PathBuf,
    },
    /// `voces init` on a folder that already is a project.
    #[error("{} is already a voces project", path.display())]
    AlreadyProject {
        /// The existing settings file.
        path: PathBuf,
    },
    /// A stored record was written by a newer voces.
    #[error("{}: written by a newer voces (format {found}, this voces reads up to {supported})", path.display())]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// Its format number.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// No interview with that id is stored.
    #[error("no interview with id `{0}`\nhint: `voces corpus list` shows the ids")]
    UnknownInterview(String),
    /// A stored record breaks an invariant of the model (internal error or
    /// hand-edited file).
    #[error("{}: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The broken invariant.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

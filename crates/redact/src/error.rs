//! The one error type of `voces-redact`.

use std::path::PathBuf;

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong building a redactor or keeping its mapping file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written (system error).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The mapping file is configured inside the project folder, where it
    /// would travel with the project (user error).
    #[error(
        "{}: the pseudonym mapping must be kept outside the project folder {}, so that sharing the project never shares it\nhint: use a folder beside the project, such as \"../{}-private/mapping.json\"",
        path.display(),
        project.display(),
        project.file_name().map_or_else(|| "study".into(), |n| n.to_string_lossy().into_owned())
    )]
    MappingInsideProject {
        /// The mapping file.
        path: PathBuf,
        /// The project folder.
        project: PathBuf,
    },
    /// The folder of the mapping file does not exist (user error: a moved
    /// project, or an unmounted drive).
    #[error(
        "{}: the folder of the pseudonym mapping does not exist\nhint: create it, or fix `mapping` under [privacy] in voces.toml (a relative path starts at the project folder)",
        path.display()
    )]
    MappingFolderMissing {
        /// The mapping file.
        path: PathBuf,
    },
    /// The mapping file does not parse or breaks its rules (a hand-edited
    /// or damaged file).
    #[error("{}: not a valid voces pseudonym mapping: {message}", path.display())]
    Mapping {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A term file has a bad line (user error).
    #[error("{}:{line}: {message}", path.display())]
    TermFile {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A request that cannot be done as asked (user error); the message may
    /// end with `hint:` lines.
    #[error("{0}")]
    User(String),
    /// Reading the project store failed.
    #[error(transparent)]
    Corpus(#[from] voces_corpus::Error),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

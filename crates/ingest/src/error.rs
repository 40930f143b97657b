//! The one error type of `voces-ingest`.

use std::path::PathBuf;

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong reading a transcript or an attribute sheet. Every
/// variant names the file; [`Error::Read`] also the line where it helps.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file's content is not what its format requires (user error: a
    /// corrupt, empty, binary or truncated file).
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Read {
        /// The file.
        path: PathBuf,
        /// 1-based line, when it helps.
        line: Option<usize>,
        /// What is wrong, lower case, no final stop.
        message: String,
    },
    /// The file is larger than the configured limit.
    #[error("{}: file is {} MiB, over the {} MiB limit\nhint: raise `max_file_mb` in voces.toml to read it", path.display(), size / (1024 * 1024), limit / (1024 * 1024))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// No reader handles this kind of file.
    #[error("{}: unsupported file type{}", path.display(), if ext.is_empty() { String::new() } else { format!(" `.{ext}`") })]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Its extension.
        ext: String,
    },
    /// A project setting that drives ingest is wrong (a bad speaker pattern).
    #[error("voces.toml: {0}")]
    Config(String),
}

impl Error {
    /// A [`Error::Read`] for `path`.
    pub fn read(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Error {
        Error::Read {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

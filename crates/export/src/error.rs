//! The one error type of `voces-export`.

use std::path::PathBuf;

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong exporting or importing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written (system error).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A request that cannot be done as asked: an unknown code, coder or
    /// attribute (user error). The message may end with `hint:` lines.
    #[error("{0}")]
    User(String),
    /// A file to import is wrong: not a zip, bad XML, a refused entry
    /// (user error).
    #[error("{}: {message}", path.display())]
    Input {
        /// The file (for a zip entry: `FILE.qdpx!entry`).
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing the project store failed.
    #[error(transparent)]
    Corpus(#[from] voces_corpus::Error),
    /// Reading codings or the codebook failed.
    #[error(transparent)]
    Code(#[from] voces_code::Error),
    /// The XLSX writer failed (an Excel limit the caller did not check, or
    /// an internal error of the writer).
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// Building a transcript from an imported source failed.
    #[error(transparent)]
    Ingest(#[from] voces_ingest::Error),
    /// voces made something it should not have (a bug): an export that
    /// fails its own structural check, a zip that cannot be written.
    #[error("internal error: {0}")]
    Internal(String),
}

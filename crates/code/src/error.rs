//! The one error type of `voces-code`.

use std::fmt;
use std::path::PathBuf;

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong reading a codebook, coding, importing codings or
/// computing agreement.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A codebook, codings or table file could not be read or written
    /// (system error).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The codebook is wrong (user error): one or more problems, each with
    /// the file and line, in line order.
    #[error("{}", display_lines(.0))]
    Codebook(Vec<Diagnostic>),
    /// Reliability data that a coefficient cannot be computed on, such as
    /// Cohen's kappa over three coders (user error).
    #[error("{0}")]
    Reliability(String),
    /// A request that cannot be done as asked: an unknown segment or code,
    /// a bad coder name or span (user error). The message may end with
    /// `hint:` lines.
    #[error("{0}")]
    User(String),
    /// A table of codings to import cannot be read (user error).
    #[error("{}: {message}", path.display())]
    Table {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A stored codings file does not parse (a hand-edited or damaged
    /// file).
    #[error("{}:{line}: {message}", path.display())]
    Codings {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing the project store failed.
    #[error(transparent)]
    Corpus(#[from] voces_corpus::Error),
    /// Searching the index failed.
    #[error(transparent)]
    Index(#[from] voces_index::Error),
}

impl Error {
    /// The problems of a [`Error::Codebook`] error; empty for the others.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Codebook(d) => d,
            _ => &[],
        }
    }
}

/// One problem in a codebook, shown as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The codebook file, as given to the parser.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong: lower case, no final full stop, possibly followed by
    /// `hint:` lines.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

fn display_lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

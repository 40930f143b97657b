//! The one error type of `voces-index`.

use std::fmt;
use std::path::PathBuf;

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong building or searching the index.
///
/// User errors (a bad query, an unknown attribute, an empty index, a bad
/// language code) say what to change; [`Error::is_user_error`] tells them
/// apart from internal ones (the disk, tantivy, a broken store).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query text is wrong: a syntax error, an unknown field, a bad
    /// field value (user error).
    #[error("{0}")]
    Query(QueryError),
    /// An attribute filter or `--by` names an attribute no interview has
    /// (user error).
    #[error("{}", unknown_attribute(name, known))]
    UnknownAttribute {
        /// The name asked for.
        name: String,
        /// The attribute names the indexed interviews have, sorted.
        known: Vec<String>,
    },
    /// Searching an index that holds no segment (user error).
    #[error(
        "the index is empty\nhint: run `voces ingest FILE...` to add transcripts, then search again"
    )]
    EmptyIndex,
    /// A project language is not an ISO 639-1 code (user error).
    #[error(
        "`{0}` is not a language code\nhint: [project] languages in voces.toml takes ISO 639-1 codes such as \"en\", \"es\""
    )]
    InvalidLanguage(String),
    /// No language was given for the index (user error).
    #[error(
        "no language for the search index\nhint: list the interview languages in [project] languages in voces.toml"
    )]
    NoLanguage,
    /// The index folder holds files that are not a voces index; voces does
    /// not delete what it did not write (user error).
    #[error(
        "{} is not a voces index, refusing to overwrite it\nhint: move the folder away; the index is rebuilt from the corpus",
        path.display()
    )]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
    },
    /// Another process is updating the index (user error: try again).
    #[error(
        "{} is being updated by another voces process\nhint: wait for it to finish and run the command again",
        path.display()
    )]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// Reading the corpus store failed (internal or a hand-edited store).
    #[error(transparent)]
    Corpus(#[from] voces_corpus::Error),
    /// tantivy failed (internal).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file or folder of the index could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The index manifest does not parse; the index is rebuilt when opened
    /// again after the file is deleted (internal).
    #[error("{}: not a valid index manifest: {source}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What `serde_json` says.
        source: serde_json::Error,
    },
}

impl Error {
    /// True for errors the user can fix by changing the query, the
    /// settings or the corpus; false for internal errors.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Query(_)
                | Error::UnknownAttribute { .. }
                | Error::EmptyIndex
                | Error::InvalidLanguage(_)
                | Error::NoLanguage
                | Error::NotAnIndex { .. }
                | Error::Locked { .. }
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

fn unknown_attribute(name: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!(
            "unknown attribute \"{name}\": no interview has attributes\nhint: attach a sheet with `voces ingest --metadata FILE`"
        )
    } else {
        format!(
            "unknown attribute \"{name}\"; attributes are: {}",
            known.join(", ")
        )
    }
}

/// What kind of mistake a [`QueryError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryErrorKind {
    /// Unbalanced quotes or parentheses, a dangling operator...
    Syntax,
    /// `name:value` with a name that is not a field.
    UnknownField,
    /// A field value that cannot match, such as `role:boss`.
    BadValue,
    /// The query has no word with a letter or digit.
    NothingToSearch,
}

/// A mistake in a query, with its place: 1-based line and column, counted
/// in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What kind of mistake.
    pub kind: QueryErrorKind,
    /// The query as typed.
    pub query: String,
    /// 1-based line of the mistake.
    pub line: usize,
    /// 1-based column (in characters) of the mistake.
    pub column: usize,
    /// What is wrong, lower case, no final full stop.
    pub message: String,
    /// How to fix it, when known.
    pub hint: Option<String>,
}

impl QueryError {
    /// A mistake at character `at` (0-based) of `query`.
    pub(crate) fn new(
        kind: QueryErrorKind,
        query: &str,
        at: usize,
        message: impl Into<String>,
    ) -> QueryError {
        let mut line = 1;
        let mut column = 1;
        for c in query.chars().take(at) {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        QueryError {
            kind,
            query: query.to_owned(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> QueryError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for QueryError {
    /// `query:LINE:COL: message`, then the query line with a caret under the
    /// mistake, then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query:{}:{}: {}", self.line, self.column, self.message)?;
        if let Some(text) = self.query.lines().nth(self.line - 1) {
            let pad: String = text
                .chars()
                .take(self.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n  {text}\n  {pad}^")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

impl From<QueryError> for Error {
    fn from(e: QueryError) -> Error {
        Error::Query(e)
    }
}

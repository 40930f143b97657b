//! REFI-QDA exchange: `.qdpx` projects and `.qdc` codebooks, the formats
//! NVivo, ATLAS.ti, MAXQDA and QualCoder exchange (REFI-QDA standard 1.5,
//! schema `Project-mrt2019.xsd`, namespace `urn:QDA-XML:project:1.0`;
//! codebooks `urn:QDA-XML:codebook:1.0`).
//!
//! - [`export::build`] turns a project into the REFI-QDA [`model`];
//!   [`Export::qdpx`] and [`Export::qdc`] write it (deterministic bytes,
//!   checked by [`check`] before anything is returned).
//! - [`import::import`] reads a `.qdpx` or `.qdc` ([`read`], through
//!   [`zipsafe`] and the limited XML reader of `voces_ingest`) into a
//!   project.
//!
//! # The mapping
//!
//! | voces | REFI-QDA |
//! | --- | --- |
//! | project name (`[project] name`, else the folder) | `Project name`; `origin` = `voces VERSION` |
//! | coder (`auto` and each manual coder with codings) | `User` (`name` = coder) |
//! | code of the codebook, with `parent` | `Code` nested under its parent, `isCodable="true"` |
//! | code label in the project's first language | `Code name` |
//! | code `definition` in that language | `Code/Description` |
//! | code `color` | `Code color` |
//! | code used by codings but in no codebook | top-level `Code` named by its id |
//! | interview (id, `text`) | `TextSource name` = id, `plainTextPath="internal://GUID.txt"`, the text in `Sources/GUID.txt` |
//! | interview attributes of the transcript itself | `TextSource/VariableValue` |
//! | codings of one span (`start..end`, characters) | one `PlainTextSelection startPosition/endPosition`, `name` = start of the quote |
//! | coding (code, coder; manual: when it was added) | `Coding` with `CodeRef`, `creatingUser`; `creationDateTime` from the coder's log |
//! | attribute-table column (not the key) | `Variable`, typed from its values: all booleans `Boolean`, whole numbers `Integer`, other numbers `Float`, ISO dates `Date`, date-times `DateTime`, else `Text` |
//! | attribute-table row (participant) | `Case name` = key value, its `VariableValue`s, `SourceRef` to each interview it joins |
//!
//! Not exported, since REFI-QDA has no place for them: labels in other
//! languages, `include`/`exclude`/`examples`, rules, and the rule and
//! matched words of auto-codings.
//!
//! **Positions.** REFI-QDA selections count Unicode code points from 0 in
//! the source's plain text (standard §10.2), end excluded (as every tool
//! writes them: consecutive lines share the boundary). voces offsets count
//! Unicode scalar values in the interview's NFC text, and the exported
//! plain text *is* that text, so exported positions are voces offsets
//! unchanged. On import the plain text goes through the same builder as
//! any transcript ([`voces_ingest::ingest_bytes`]: speaker turns,
//! segments, sentences, languages), which normalizes it; positions are
//! mapped onto the built text by [`align`], and a selection across several
//! segments becomes one coding per segment
//! ([`voces_code::import::split_by_segment`]). ATLAS.ti counts a CRLF line
//! end as one position: for files it wrote, `\r\n` counts as one.
//!
//! **GUIDs.** Name-based UUID v5 in one voces namespace ([`guid`]) from
//! voces ids (`source:ID`, `code:ID`, `user:CODER`, `case:TABLE/ROW`,
//! `variable:NAME`; selections and codings from the GUIDs they join), so
//! exports are stable across runs and machines. An import remembers the
//! GUIDs of what it creates in `.voces/refi/identities.json`
//! ([`identity`]), and exports use them, so REFI objects keep their
//! identity through voces. Exports carry no dates but those stored with
//! manual codings: exporting the same project twice gives the same bytes.
//!
//! # Importing
//!
//! - Sources: `TextSource`s with a plain text (a file in the sources
//!   folder, `Sources/` or `sources/`, or `PlainTextContent`), else a
//!   `.docx` (through voces' Word reader, positions then taken on the text
//!   it reads). External files (`relative://`, `absolute://`) are not
//!   read; PDF, picture, audio and video sources, notes, sets, links and
//!   graphs are reported as left out. A source without text is skipped
//!   with a warning. The interview id is the slug of the source name
//!   without its extension.
//! - Codes: a new codebook `codebooks/imported-NAME.toml` with the whole
//!   tree (ids made of the names, joined to their parent's id with `.`;
//!   label and definition in the project's first language; colours).
//!   Export includes the codebooks imports wrote.
//! - Codings: manual codings, one log per REFI user (the user's name made
//!   a valid coder name; voces' own `auto` becomes `auto-imported`;
//!   codings without a user go to `imported`), dated as in the file.
//! - Cases and variables: one attribute table named like the file (one
//!   row per case and interview, keyed by interview id, a column per
//!   variable); case names and grouping are remembered for export.
//!
//! **Ids that are taken.** An object whose GUID is one the project already
//! has (from an earlier import, or voces' own GUID of that id) is that
//! object: a code or coder is reused, an interview is reused when its text
//! is the same. Otherwise a new id is made from the name; when it is taken
//! by a different object, the import gets the first free `-2`, `-3`...
//! suffix (and says so). Codings already stored are not added twice. So
//! importing never changes what the project had, and importing the same
//! file twice adds nothing the second time.
//!
//! **Hostile files.** Zip entries whose names leave the archive (`..`,
//! absolute paths, drive letters, backslashes) make the whole file
//! refused; entries read are capped at [`zipsafe::DEFAULT_LIMITS`] (64 MiB
//! each, 512 MiB in all, on the declared and the actual decompressed size);
//! XML nests at most 256 levels and no DTD entity is ever expanded. Each
//! refusal is one line naming the file and the entry.

pub mod align;
pub mod check;
pub mod export;
pub mod guid;
pub mod identity;
pub mod import;
pub mod model;
pub mod read;
pub mod write;
pub mod xml;
pub mod zipsafe;

pub use export::{Export, ExportOptions, build};
pub use import::{ImportOptions, ImportReport, SourceOutcome, SourceReport, import};
pub use model::RefiProject;
pub use zipsafe::{DEFAULT_LIMITS, Limits};

/// The start of a quote on one line: whitespace runs made one space, at
/// most `n` characters, `…` when cut.
fn shorten(s: &str, n: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(n) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// Longest name an error message quotes whole.
const SHOWN_NAME_CHARS: usize = 120;

/// A name from the file (zip entry, source) as a message quotes it: on one
/// line with control characters escaped ([`escape_controls`]), cut after
/// [`SHOWN_NAME_CHARS`] characters.
fn shown(name: &str) -> String {
    match name.char_indices().nth(SHOWN_NAME_CHARS) {
        Some((cut, _)) => format!("{}…", escape_controls(&name[..cut])),
        None => escape_controls(name),
    }
}

/// `s` with its control characters escaped
/// ([`voces_corpus::escape_controls`]).
fn escape_controls(s: &str) -> String {
    voces_corpus::escape_controls(s).into_owned()
}

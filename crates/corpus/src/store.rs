//! The on-disk project: `voces.toml` and the `.voces/` folder beside it.
//!
//! ```text
//! voces.toml                      settings (Config)
//! .voces/corpus/interviews/ID.json  one Interview per file
//! .voces/corpus/metadata/NAME.json  one MetadataTable per attribute sheet
//! ```
//!
//! Every file is written whole to a temporary file in the same folder,
//! synced, then renamed over the old one, so a reader (or a crash) sees the
//! old file or the new one, never a mix.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::config::{CONFIG_FILE, Config};
use crate::model::{
    AttrValue, FORMAT_VERSION, Interview, MetadataTable, Participant, Segment, Source,
};
use crate::{Error, Result};

/// Name of the folder holding a project's data, beside `voces.toml`.
pub const DATA_DIR: &str = ".voces";

/// An opened project.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
    config: Config,
}

impl Project {
    /// Creates a project in `dir` (made if missing): writes `voces.toml` and
    /// the data folder. Refuses a folder that already has `voces.toml`.
    pub fn init(dir: &Path) -> Result<Project> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let root = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        let config_path = root.join(CONFIG_FILE);
        if config_path.exists() {
            return Err(Error::AlreadyProject { path: config_path });
        }
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        write_atomic(&config_path, Config::template(&name).as_bytes())?;
        let project = Project::open(&root)?;
        project.store().create_dirs()?;
        Ok(project)
    }

    /// Opens the project whose `voces.toml` is in `root`.
    pub fn open(root: &Path) -> Result<Project> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let config_path = root.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(Error::NoProject { start: root });
        }
        let config = Config::load(&config_path)?;
        Ok(Project { root, config })
    }

    /// Finds the project containing `start`, the way git finds a repository:
    /// `start` itself, then each parent, until a folder has `voces.toml`.
    pub fn discover(start: &Path) -> Result<Project> {
        let start = start.canonicalize().map_err(|e| Error::io(start, e))?;
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            if d.join(CONFIG_FILE).is_file() {
                return Project::open(d);
            }
            dir = d.parent();
        }
        Err(Error::NoProject { start })
    }

    /// The folder holding `voces.toml`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The project's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The folder of derived and stored data, `.voces/`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join(DATA_DIR)
    }

    /// The corpus store.
    pub fn store(&self) -> Store {
        Store {
            dir: self.data_dir().join("corpus"),
        }
    }
}

/// What `corpus list` needs of an interview, read without its text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InterviewHead {
    /// Format version.
    pub format: u32,
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Provenance.
    pub source: Source,
    /// Primary language.
    pub language: String,
    /// Languages present.
    pub languages: Vec<String>,
    /// More than one language.
    pub mixed_language: bool,
    /// Date, when known.
    #[serde(default)]
    pub date: Option<String>,
    /// Attributes found in the transcript.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttrValue>,
    /// Speakers.
    pub speakers: Vec<crate::Speaker>,
    /// Counts.
    pub stats: crate::Stats,
}

/// Some segments of an interview, read without the others
/// ([`Store::interview_part`]): what a stage that works on a few segments
/// of many interviews (auto-coding) needs.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewPart {
    /// Format version.
    pub format: u32,
    /// Stable id.
    pub id: String,
    /// Provenance.
    pub source: Source,
    /// The segments read, in text order; each knows its position
    /// ([`Segment::index`]).
    pub segments: Vec<Segment>,
}

/// The stored corpus: interviews and attribute tables.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// A store in `dir` (normally `.voces/corpus`).
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    fn interviews_dir(&self) -> PathBuf {
        self.dir.join("interviews")
    }

    fn metadata_dir(&self) -> PathBuf {
        self.dir.join("metadata")
    }

    fn create_dirs(&self) -> Result<()> {
        for d in [self.interviews_dir(), self.metadata_dir()] {
            std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
        }
        Ok(())
    }

    /// Path of the file holding interview `id`.
    pub fn interview_path(&self, id: &str) -> PathBuf {
        self.interviews_dir().join(format!("{id}.json"))
    }

    /// A fingerprint of what is stored: the names, sizes and modification
    /// times of every interview and attribute-table file. It changes
    /// whenever a file is written or removed (writes replace files), so a
    /// derived view such as the search index can tell it is up to date
    /// without reading the files.
    pub fn stamp(&self) -> Result<String> {
        let mut lines: Vec<String> = Vec::new();
        for dir in [self.interviews_dir(), self.metadata_dir()] {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io(&dir, e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(&dir, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || name.strip_suffix(".json").is_none() {
                    continue;
                }
                let meta = entry.metadata().map_err(|e| Error::io(entry.path(), e))?;
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                let kind = dir.file_name().map(|n| n.to_string_lossy().into_owned());
                lines.push(format!(
                    "{}/{name}\0{}\0{modified}",
                    kind.unwrap_or_default(),
                    meta.len()
                ));
            }
        }
        lines.sort();
        // FNV-1a, 64 bits: a change detector, not a security boundary.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in lines.join("\n").bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(format!("{hash:016x}-{}", lines.len()))
    }

    /// Ids of the stored interviews, sorted.
    pub fn interview_ids(&self) -> Result<Vec<String>> {
        list_json(&self.interviews_dir())
    }

    /// Reads one interview whole, checking its invariants.
    pub fn interview(&self, id: &str) -> Result<Interview> {
        let path = self.interview_path(id);
        if !path.is_file() {
            return Err(Error::UnknownInterview(id.to_owned()));
        }
        let interview: Interview = read_json(&path)?;
        check_format(&path, interview.format)?;
        check_interview(&path, &interview)?;
        Ok(interview)
    }

    /// Reads one interview's id, source and the segments at the positions
    /// (from 0) `keep` accepts. The other segments are skipped without
    /// being decoded, which makes this several times faster than
    /// [`Store::interview`] when few segments are wanted. The segments read
    /// are checked as [`Store::interview`] checks every segment (position,
    /// offsets in order and in range, text equal to the interview's text
    /// there); the counts, which need every segment, are not.
    pub fn interview_part(&self, id: &str, keep: &dyn Fn(usize) -> bool) -> Result<InterviewPart> {
        let path = self.interview_path(id);
        if !path.is_file() {
            return Err(Error::UnknownInterview(id.to_owned()));
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let json = |source| Error::Json {
            path: path.clone(),
            source,
        };
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let (part, text, positions) = PartSeed { keep }.deserialize(&mut de).map_err(json)?;
        de.end().map_err(json)?;
        check_format(&path, part.format)?;
        check_segments(&path, &text, positions.iter().copied(), &part.segments)?;
        Ok(part)
    }

    /// Reads the head (id, source, languages) of one interview.
    pub fn head(&self, id: &str) -> Result<InterviewHead> {
        let path = self.interview_path(id);
        if !path.is_file() {
            return Err(Error::UnknownInterview(id.to_owned()));
        }
        let head: InterviewHead = read_json(&path)?;
        check_format(&path, head.format)?;
        Ok(head)
    }

    /// Heads of every stored interview, sorted by id.
    pub fn heads(&self) -> Result<Vec<InterviewHead>> {
        self.interview_ids()?
            .iter()
            .map(|id| self.head(id))
            .collect()
    }

    /// Writes (or replaces) an interview atomically.
    pub fn put_interview(&self, interview: &Interview) -> Result<()> {
        self.create_dirs()?;
        let path = self.interview_path(&interview.id);
        check_interview(&path, interview)?;
        write_json(&path, interview)
    }

    /// Deletes an interview; true when it existed.
    pub fn remove_interview(&self, id: &str) -> Result<bool> {
        let path = self.interview_path(id);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Stored attribute tables, sorted by name.
    pub fn metadata_tables(&self) -> Result<Vec<MetadataTable>> {
        list_json(&self.metadata_dir())?
            .into_iter()
            .map(|name| {
                let path = self.metadata_dir().join(format!("{name}.json"));
                let table: MetadataTable = read_json(&path)?;
                check_format(&path, table.format)?;
                Ok(table)
            })
            .collect()
    }

    /// Writes (or replaces) an attribute table atomically; its file name is
    /// derived from [`MetadataTable::name`].
    pub fn put_metadata(&self, table: &MetadataTable) -> Result<()> {
        self.create_dirs()?;
        let path = self
            .metadata_dir()
            .join(format!("{}.json", crate::id::slug(&table.name)));
        write_json(&path, table)
    }

    /// Loads the attribute tables and returns the joiner that attaches them
    /// to interviews.
    pub fn attributes(&self) -> Result<Attributes> {
        Ok(Attributes::new(self.metadata_tables()?))
    }
}

/// Joins attribute-sheet rows to interviews.
///
/// A row belongs to an interview when its key value equals, ignoring case,
/// the interview's id, its file name, its file stem, or its stem up to the
/// first dot (so `anna-braun` matches `anna-braun.en.vtt`). The first of
/// these that matches wins. Attributes from sheets override those found in
/// the transcript; a later sheet (by name) overrides an earlier one.
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    tables: Vec<MetadataTable>,
    by_key: Vec<HashMap<String, usize>>,
}

impl Attributes {
    /// Indexes the rows of `tables` by their key.
    pub fn new(tables: Vec<MetadataTable>) -> Attributes {
        let by_key = tables
            .iter()
            .map(|t| {
                let mut m = HashMap::new();
                for (i, row) in t.rows.iter().enumerate() {
                    m.entry(row.id.trim().to_lowercase()).or_insert(i);
                }
                m
            })
            .collect();
        Attributes { tables, by_key }
    }

    /// The attribute tables.
    pub fn tables(&self) -> &[MetadataTable] {
        &self.tables
    }

    /// The rows joined to an interview, one per table at most.
    pub fn participants(&self, id: &str, file_name: &str) -> Vec<&Participant> {
        let candidates = join_candidates(id, file_name);
        self.tables
            .iter()
            .zip(&self.by_key)
            .filter_map(|(t, m)| {
                candidates
                    .iter()
                    .find_map(|c| m.get(c))
                    .map(|&i| &t.rows[i])
            })
            .collect()
    }

    /// Effective attributes of an interview: its own, overridden by the
    /// joined sheet rows.
    pub fn merged(
        &self,
        id: &str,
        file_name: &str,
        own: &BTreeMap<String, AttrValue>,
    ) -> BTreeMap<String, AttrValue> {
        let mut out = own.clone();
        for p in self.participants(id, file_name) {
            out.extend(p.attributes.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }

    /// True when a row of some table joins no interview among `interviews`
    /// (pairs of id and file name); returns such rows as `(table, row)`.
    pub fn unmatched<'a>(
        &'a self,
        interviews: &[(String, String)],
    ) -> Vec<(&'a MetadataTable, &'a Participant)> {
        let mut used = vec![vec![false; 0]; self.tables.len()];
        for (t, u) in self.tables.iter().zip(used.iter_mut()) {
            *u = vec![false; t.rows.len()];
        }
        for (id, file) in interviews {
            let candidates = join_candidates(id, file);
            for (ti, m) in self.by_key.iter().enumerate() {
                if let Some(&i) = candidates.iter().find_map(|c| m.get(c)) {
                    used[ti][i] = true;
                }
            }
        }
        let mut out = Vec::new();
        for (ti, t) in self.tables.iter().enumerate() {
            for (ri, row) in t.rows.iter().enumerate() {
                if !used[ti][ri] {
                    out.push((t, row));
                }
            }
        }
        out
    }
}

fn join_candidates(id: &str, file_name: &str) -> Vec<String> {
    let file = file_name.to_lowercase();
    let stem = match file.rfind('.') {
        Some(i) if i > 0 => file[..i].to_owned(),
        _ => file.clone(),
    };
    let first = match stem.find('.') {
        Some(i) if i > 0 => stem[..i].to_owned(),
        _ => stem.clone(),
    };
    let mut out: Vec<String> = Vec::with_capacity(4);
    for c in [id.to_lowercase(), file, stem, first] {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn check_format(path: &Path, found: u32) -> Result<()> {
    if found > FORMAT_VERSION {
        return Err(Error::NewerFormat {
            path: path.to_owned(),
            found,
            supported: FORMAT_VERSION,
        });
    }
    Ok(())
}

/// Reads an [`InterviewPart`] and the interview's text (borrowed from the
/// file's bytes when it has no escapes), keeping the segments at the
/// positions `keep` accepts.
struct PartSeed<'k> {
    keep: &'k dyn Fn(usize) -> bool,
}

/// The fields of a stored interview an [`InterviewPart`] reads.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum PartField {
    Format,
    Id,
    Source,
    Text,
    Segments,
    #[serde(other)]
    Other,
}

/// A string borrowed from the input when it can be.
#[derive(Deserialize)]
struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);

/// An [`InterviewPart`], the interview's text, and the positions of the
/// segments read.
type PartOf<'de> = (InterviewPart, Cow<'de, str>, Vec<usize>);

impl<'de> DeserializeSeed<'de> for PartSeed<'_> {
    type Value = PartOf<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PartSeed<'_> {
    type Value = PartOf<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an interview")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let (mut format, mut id, mut source, mut text, mut segments) =
            (None, None, None, None, None);
        while let Some(field) = map.next_key::<PartField>()? {
            match field {
                PartField::Format => format = Some(map.next_value()?),
                PartField::Id => id = Some(map.next_value()?),
                PartField::Source => source = Some(map.next_value()?),
                PartField::Text => text = Some(map.next_value::<Borrowed<'de>>()?.0),
                PartField::Segments => {
                    segments = Some(map.next_value_seed(KeptSegments { keep: self.keep })?);
                }
                PartField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (positions, segments) = segments
            .ok_or_else(|| A::Error::missing_field("segments"))?
            .into_iter()
            .unzip();
        let part = InterviewPart {
            format: format.ok_or_else(|| A::Error::missing_field("format"))?,
            id: id.ok_or_else(|| A::Error::missing_field("id"))?,
            source: source.ok_or_else(|| A::Error::missing_field("source"))?,
            segments,
        };
        let text = text.ok_or_else(|| A::Error::missing_field("text"))?;
        Ok((part, text, positions))
    }
}

/// The segments at the positions `keep` accepts, with their positions; the
/// others are skipped.
struct KeptSegments<'k> {
    keep: &'k dyn Fn(usize) -> bool,
}

impl<'de> DeserializeSeed<'de> for KeptSegments<'_> {
    type Value = Vec<(usize, Segment)>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for KeptSegments<'_> {
    type Value = Vec<(usize, Segment)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of segments")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut position = 0;
        loop {
            if (self.keep)(position) {
                match seq.next_element::<Segment>()? {
                    Some(s) => out.push((position, s)),
                    None => break,
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
            position += 1;
        }
        Ok(out)
    }
}

/// Checks the invariants of [`check_interview`] that concern each segment
/// on `segments`, some segments of an interview whose text is `text`, in
/// order, found at `positions`: position, offsets in range and in order,
/// text. Walks the text once, up to the last segment's end: character by
/// character between segments, and over a segment by comparing its text
/// and counting its characters.
fn check_segments(
    path: &Path,
    text: &str,
    positions: impl IntoIterator<Item = usize>,
    segments: &[Segment],
) -> Result<()> {
    let corrupt = |message: String| Error::Corrupt {
        path: path.to_owned(),
        message,
    };
    // The character `at` starts at byte `byte` of `text`.
    let (mut at, mut byte) = (0, 0);
    // The byte where character `to` (not before `at`) starts, moving
    // there; `None` past the end of the text.
    let advance = |at: &mut usize, byte: &mut usize, to: usize| -> Option<usize> {
        if to > *at {
            let (skipped, c) = text[*byte..].char_indices().nth(to - *at - 1)?;
            *byte += skipped + c.len_utf8();
            *at = to;
        }
        Some(*byte)
    };
    let mut previous_end = 0;
    for (position, seg) in positions.into_iter().zip(segments) {
        let out_of_order = || {
            corrupt(format!(
                "segment {} has offsets {}..{} out of order or out of range",
                seg.id, seg.start, seg.end
            ))
        };
        if seg.index != position || seg.start > seg.end || seg.start < previous_end {
            return Err(out_of_order());
        }
        let Some(start) = advance(&mut at, &mut byte, seg.start) else {
            return Err(out_of_order());
        };
        let fits = text[start..].starts_with(seg.text.as_str())
            && seg.text.chars().count() == seg.end - seg.start;
        if !fits {
            // Which invariant it breaks: the span ends past the text, or
            // the text differs.
            if advance(&mut at, &mut byte, seg.end).is_none() {
                return Err(out_of_order());
            }
            return Err(corrupt(format!(
                "segment {} text differs from the interview text at {}..{}",
                seg.id, seg.start, seg.end
            )));
        }
        (at, byte) = (seg.end, start + seg.text.len());
        previous_end = seg.end;
    }
    Ok(())
}

/// Checks the invariants every stored interview keeps: segment offsets in
/// range, in order, and each segment's text equal to its span of the
/// interview text.
fn check_interview(path: &Path, interview: &Interview) -> Result<()> {
    check_segments(path, &interview.text, 0.., &interview.segments)?;
    if interview.stats != crate::Stats::of(&interview.segments) {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            message: "stored counts differ from the segments".into(),
        });
    }
    Ok(())
}

fn list_json(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut ids = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Temporary files of interrupted writes start with a dot.
        if let Some(id) = name.strip_suffix(".json")
            && !name.starts_with('.')
        {
            ids.push(id.to_owned());
        }
    }
    ids.sort();
    Ok(ids)
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut bytes = serde_json::to_vec(value).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// synced to disk, renamed over `path`, then the folder synced. A crash at
/// any point leaves the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, false)
}

/// [`write_atomic`] for a file readable by its owner only: the temporary
/// file is created with mode 0600 on unix, so the content is never
/// readable by others, not even while it is being written (a pseudonym
/// mapping holds real names).
pub fn write_atomic_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, true)
}

fn write_atomic_with(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if private {
            // A leftover of a killed process with this pid may have
            // another mode: start afresh so the mode applies.
            let _ = std::fs::remove_file(&tmp);
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_candidates_strip_language_suffix() {
        assert_eq!(
            join_candidates("anna-braun.en", "anna-braun.en.vtt"),
            vec!["anna-braun.en", "anna-braun.en.vtt", "anna-braun"]
        );
    }

    #[test]
    fn discover_walks_up() {
        let tmp = tempfile::tempdir().unwrap();
        Project::init(tmp.path()).unwrap();
        let deep = tmp.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let p = Project::discover(&deep).unwrap();
        assert_eq!(p.root(), tmp.path().canonicalize().unwrap());
        assert!(matches!(
            Project::init(tmp.path()),
            Err(Error::AlreadyProject { .. })
        ));
    }

    /// An interview of three one-word turns.
    fn three_turns() -> Interview {
        let text = "uno\n\ndós\n\ntres";
        let spans = [(0, 3), (5, 8), (10, 14)];
        let segments: Vec<Segment> = spans
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| Segment {
                id: crate::id::segment_id("t", i),
                index: i,
                speaker: None,
                role: crate::Role::Other,
                start,
                end,
                text: text.chars().skip(start).take(end - start).collect(),
                language: "es".into(),
                language_detected: false,
                sentences: vec![crate::Span { start, end }],
                words: vec![0, (end - start) as u32],
                start_time: None,
                end_time: None,
                annotations: Vec::new(),
            })
            .collect();
        Interview {
            format: FORMAT_VERSION,
            id: "t".into(),
            title: "t".into(),
            source: Source {
                path: "/t.txt".into(),
                file_name: "t.txt".into(),
                sha256: "00".into(),
                bytes: 0,
                format: crate::SourceFormat::Text,
                encoding: "UTF-8".into(),
                fingerprint: "f".into(),
            },
            language: "es".into(),
            languages: vec!["es".into()],
            mixed_language: false,
            date: None,
            attributes: BTreeMap::new(),
            speakers: Vec::new(),
            stats: crate::Stats::of(&segments),
            text: text.into(),
            segments,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn interview_part_reads_the_segments_asked_for() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Project::init(tmp.path()).unwrap().store();
        let interview = three_turns();
        store.put_interview(&interview).unwrap();
        let part = store.interview_part("t", &|n| n != 1).unwrap();
        assert_eq!(part.id, "t");
        assert_eq!(part.source, interview.source);
        assert_eq!(
            part.segments,
            [interview.segments[0].clone(), interview.segments[2].clone()]
        );
        assert!(
            store
                .interview_part("t", &|_| false)
                .unwrap()
                .segments
                .is_empty()
        );
        assert!(matches!(
            store.interview_part("nope", &|_| true),
            Err(Error::UnknownInterview(_))
        ));
    }

    #[test]
    fn interview_part_checks_what_it_reads() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Project::init(tmp.path()).unwrap().store();
        let mut interview = three_turns();
        interview.segments[1].text = "dos".into();
        // Written by hand: `put_interview` refuses it.
        write_json(&store.interview_path("t"), &interview).unwrap();
        assert!(store.interview("t").is_err());
        let err = store
            .interview_part("t", &|_| true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("segment t#2 text differs"), "{err}");
        // The broken segment is not read.
        assert_eq!(
            store
                .interview_part("t", &|n| n != 1)
                .unwrap()
                .segments
                .len(),
            2
        );
        interview.segments[1].text = "dós".into();
        interview.segments[2].end = 15;
        write_json(&store.interview_path("t"), &interview).unwrap();
        let err = store
            .interview_part("t", &|n| n == 2)
            .unwrap_err()
            .to_string();
        assert!(err.contains("out of order or out of range"), "{err}");
    }

    #[test]
    fn put_interview_refuses_segments_that_break_the_invariants() {
        type Break = fn(&mut Interview);
        let tmp = tempfile::tempdir().unwrap();
        let store = Project::init(tmp.path()).unwrap().store();
        store.put_interview(&three_turns()).unwrap();
        let breaks: [(Break, &str); 6] = [
            (|i| i.segments[1].text = "dos".into(), "t#2 text differs"),
            // The right text, but a span one character short or long.
            (|i| i.segments[1].end = 7, "t#2 text differs"),
            (|i| i.segments[1].end = 9, "t#2 text differs"),
            (|i| i.segments[2].end = 15, "t#3 has offsets 10..15 out of"),
            (|i| i.segments[1].start = 2, "t#2 has offsets 2..8 out of"),
            (|i| i.segments[2].index = 5, "t#3 has offsets 10..14 out of"),
        ];
        for (change, want) in breaks {
            let mut interview = three_turns();
            change(&mut interview);
            let err = store.put_interview(&interview).unwrap_err().to_string();
            assert!(err.contains(want), "{err}");
        }
        // What was stored is untouched.
        assert_eq!(store.interview("t").unwrap(), three_turns());
    }

    #[test]
    fn no_project_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = Project::discover(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("no voces project"), "{err}");
        assert!(err.contains("voces init"), "{err}");
    }
}

//! Codings and where they are stored.
//!
//! ```text
//! .voces/codings/auto.jsonl          auto-coding: one Coding per line, rewritten by each `voces code`
//! .voces/codings/auto.run.json       what that run coded: codebook, interviews, counts
//! .voces/codings/manual/CODER.jsonl  one coder's log: `add` and `remove` entries, appended
//! ```
//!
//! A coding is a span of an interview's text (character offsets, never
//! crossing a segment's end) with a code, by a coder: `auto` for the rules,
//! or a person. Manual files are never written by auto-coding. They are
//! logs: adding or removing a coding appends an entry (the file is written
//! whole to a temporary file, synced and renamed over the old one), so a
//! coder's history is kept and a crash leaves the old or the new file.
//! Reading replays the log.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use voces_corpus::{Project, write_atomic};

use crate::{Error, Result};

/// The coder name of auto-coding.
pub const AUTO_CODER: &str = "auto";

/// Version of the codings files.
pub const CODINGS_FORMAT: u32 = 1;

/// One coded excerpt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    /// Interview id.
    pub interview: String,
    /// Id of the segment holding the excerpt.
    pub segment: String,
    /// First character of the excerpt in the interview text.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// Code id.
    pub code: String,
    /// `auto` or the coder's name.
    pub coder: String,
    /// The rule that made it (auto-coding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Hash of the codebook that made it (auto-coding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebook: Option<String>,
    /// The words and phrases the rule matched, as written (auto-coding).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
    /// The excerpt: `interview.text[start..end]`.
    pub quote: String,
}

/// What an entry of a manual coder's log does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Applies a code to a span.
    Add,
    /// Takes it away again.
    Remove,
}

/// One line of `.voces/codings/manual/CODER.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualEntry {
    /// Add or remove.
    pub action: Action,
    /// Interview id.
    pub interview: String,
    /// Segment id.
    pub segment: String,
    /// First character in the interview text.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Code id.
    pub code: String,
    /// The coder.
    pub coder: String,
    /// The excerpt.
    pub quote: String,
    /// When (UTC, ISO 8601).
    pub at: String,
    /// Where it came from: `voces code add`, or `FILE:LINE` of an import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl ManualEntry {
    /// An entry for `coding`, dated now.
    pub fn new(action: Action, coding: &Coding, source: Option<String>) -> ManualEntry {
        ManualEntry {
            action,
            interview: coding.interview.clone(),
            segment: coding.segment.clone(),
            start: coding.start,
            end: coding.end,
            code: coding.code.clone(),
            coder: coding.coder.clone(),
            quote: coding.quote.clone(),
            at: now_utc(),
            source,
        }
    }

    fn coding(&self) -> Coding {
        Coding {
            interview: self.interview.clone(),
            segment: self.segment.clone(),
            start: self.start,
            end: self.end,
            code: self.code.clone(),
            coder: self.coder.clone(),
            rule: None,
            codebook: None,
            matched: Vec::new(),
            quote: self.quote.clone(),
        }
    }
}

/// What an auto-coding run coded: `.voces/codings/auto.run.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoRun {
    /// [`CODINGS_FORMAT`].
    pub format: u32,
    /// The codebook.
    pub codebook: CodebookInfo,
    /// Interviews coded (all those stored), with the SHA-256 of their
    /// source file at the time: a changed file means stale codings.
    pub interviews: BTreeMap<String, String>,
    /// Codings written.
    pub codings: usize,
    /// Codings per rule, for every rule (0 for those that coded nothing).
    pub rules: BTreeMap<String, usize>,
    /// [`voces_corpus::Store::stamp`] of the corpus coded: while it is
    /// unchanged, the next run re-codes only the rules that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corpus: Option<String>,
    /// Rule id → [`crate::AutoCoder::rule_hashes`]: what each rule's
    /// codings were made from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rule_hashes: BTreeMap<String, String>,
}

/// The codebook of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodebookInfo {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// [`crate::Codebook::hash`].
    pub hash: String,
    /// The file, as resolved (relative to the project root when inside it).
    pub path: String,
}

/// The codings of a project, in `.voces/codings/`.
#[derive(Debug, Clone)]
pub struct CodingStore {
    dir: PathBuf,
}

impl CodingStore {
    /// The codings folder of a project.
    pub fn of(project: &Project) -> CodingStore {
        CodingStore::at(project.data_dir().join("codings"))
    }

    /// A store in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> CodingStore {
        CodingStore { dir: dir.into() }
    }

    /// `auto.jsonl`.
    pub fn auto_path(&self) -> PathBuf {
        self.dir.join("auto.jsonl")
    }

    /// `auto.run.json`.
    pub fn run_path(&self) -> PathBuf {
        self.dir.join("auto.run.json")
    }

    /// The log of a manual coder.
    pub fn manual_path(&self, coder: &str) -> PathBuf {
        self.dir.join("manual").join(format!("{coder}.jsonl"))
    }

    /// Replaces the auto-codings and their run record, each atomically
    /// (codings first).
    pub fn write_auto(&self, codings: &[Coding], run: &AutoRun) -> Result<()> {
        create_dir(&self.dir)?;
        let mut bytes = Vec::with_capacity(codings.len() * 256);
        for c in codings {
            // Plain structs of strings and numbers always serialize.
            serde_json::to_writer(&mut bytes, c).unwrap_or_default();
            bytes.push(b'\n');
        }
        write_atomic(&self.auto_path(), &bytes)?;
        let mut run_bytes = serde_json::to_vec_pretty(run).unwrap_or_default();
        run_bytes.push(b'\n');
        write_atomic(&self.run_path(), &run_bytes)?;
        Ok(())
    }

    /// The auto-codings and their run, `None` before the first
    /// `voces code`.
    pub fn read_auto(&self) -> Result<Option<(Vec<Coding>, AutoRun)>> {
        let path = self.run_path();
        let Some(run_text) = read_optional(&path)? else {
            return Ok(None);
        };
        let run: AutoRun = serde_json::from_str(&run_text).map_err(|e| Error::Codings {
            path: path.clone(),
            line: e.line(),
            message: e.to_string(),
        })?;
        let path = self.auto_path();
        let text = read_optional(&path)?.unwrap_or_default();
        let codings = parse_lines::<Coding>(&path, &text)?;
        // `write_auto` replaces the codings, then the run record: a run
        // killed between the two leaves codings that its record does not
        // describe. Say so rather than mix two runs.
        let mixed = codings.len() != run.codings
            || codings
                .iter()
                .any(|c| c.codebook.as_deref() != Some(run.codebook.hash.as_str()));
        if mixed {
            return Err(Error::User(format!(
                "{}: the auto-codings do not match their run record ({} codings, the record says {}): \
                 the last `voces code` was interrupted\nhint: run `voces code` again",
                path.display(),
                codings.len(),
                run.codings
            )));
        }
        Ok(Some((codings, run)))
    }

    /// Names of the manual coders, sorted.
    pub fn manual_coders(&self) -> Result<Vec<String>> {
        let dir = self.dir.join("manual");
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(Error::Io { path: dir, source }),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(coder) = name.strip_suffix(".jsonl")
                && !name.starts_with('.')
            {
                out.push(coder.to_owned());
            }
        }
        out.sort();
        Ok(out)
    }

    /// A manual coder's log, entry by entry.
    pub fn manual_log(&self, coder: &str) -> Result<Vec<ManualEntry>> {
        check_coder(coder)?;
        let path = self.manual_path(coder);
        let text = read_optional(&path)?.unwrap_or_default();
        parse_lines(&path, &text)
    }

    /// A manual coder's codings: the log replayed, sorted by interview,
    /// span and code. Adding what is there, or removing what is not, does
    /// nothing.
    pub fn manual(&self, coder: &str) -> Result<Vec<Coding>> {
        let mut current: BTreeMap<(String, usize, usize, String), Coding> = BTreeMap::new();
        for e in self.manual_log(coder)? {
            let key = (e.interview.clone(), e.start, e.end, e.code.clone());
            match e.action {
                Action::Add => {
                    current.entry(key).or_insert_with(|| e.coding());
                }
                Action::Remove => {
                    current.remove(&key);
                }
            }
        }
        Ok(current.into_values().collect())
    }

    /// Appends entries to a manual coder's log: the file is rewritten
    /// whole (old lines unchanged, new ones after), synced and renamed
    /// over the old one.
    pub fn append_manual(&self, coder: &str, entries: &[ManualEntry]) -> Result<()> {
        check_coder(coder)?;
        if entries.is_empty() {
            return Ok(());
        }
        let path = self.manual_path(coder);
        create_dir(&self.dir.join("manual"))?;
        let mut bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(Error::Io { path, source }),
        };
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        for e in entries {
            serde_json::to_writer(&mut bytes, e).unwrap_or_default();
            bytes.push(b'\n');
        }
        write_atomic(&path, &bytes)?;
        Ok(())
    }

    /// The codings of `coder` (`auto` or a manual coder) and the interviews
    /// the coder coded: for `auto` every interview of the last run, for a
    /// person those with at least one coding.
    pub fn coder(&self, coder: &str) -> Result<CoderCodings> {
        if coder == AUTO_CODER {
            let Some((codings, run)) = self.read_auto()? else {
                return Err(Error::User(
                    "no auto-codings yet\nhint: run `voces code` first".to_owned(),
                ));
            };
            return Ok(CoderCodings {
                coder: coder.to_owned(),
                interviews: run.interviews.keys().cloned().collect(),
                codings,
            });
        }
        check_coder(coder)?;
        if !self.manual_path(coder).is_file() {
            let known = self.manual_coders()?;
            let hint = if known.is_empty() {
                "hint: add codings with `voces code add` or `voces code import`".to_owned()
            } else {
                format!("hint: coders are: auto, {}", known.join(", "))
            };
            return Err(Error::User(format!("no codings by `{coder}`\n{hint}")));
        }
        let codings = self.manual(coder)?;
        Ok(CoderCodings {
            coder: coder.to_owned(),
            interviews: codings.iter().map(|c| c.interview.clone()).collect(),
            codings,
        })
    }
}

/// One coder's codings, and the interviews the coder coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderCodings {
    /// `auto` or the coder's name.
    pub coder: String,
    /// Interviews coded.
    pub interviews: BTreeSet<String>,
    /// The codings.
    pub codings: Vec<Coding>,
}

/// Checks a manual coder's name: it names a file. Letters, digits, `.`,
/// `_` and `-`, starting with a letter or digit, at most 64 characters,
/// and not `auto`.
pub fn check_coder(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name.chars().next().is_some_and(char::is_alphanumeric)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !name.to_ascii_lowercase().ends_with(".tmp");
    if !ok {
        return Err(Error::User(format!(
            "`{name}` is not a valid coder name\nhint: use letters, digits, `.`, `_` and `-`, such as `ana` or `coder-2`"
        )));
    }
    if name.eq_ignore_ascii_case(AUTO_CODER) {
        return Err(Error::User(
            "`auto` is the name of auto-coding\nhint: give your own name with --coder".to_owned(),
        ));
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

fn parse_lines<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| Error::Codings {
            path: path.to_owned(),
            line: i + 1,
            message: format!("not a valid coding: {e}"),
        })?);
    }
    Ok(out)
}

/// The current time, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(now_utc().len(), 20);
    }

    #[test]
    fn coder_names() {
        for ok in ["ana", "coder-2", "María", "a.b_c"] {
            assert!(check_coder(ok).is_ok(), "{ok}");
        }
        for bad in ["", "auto", "AUTO", "../x", "a b", ".hidden", "x.tmp", "-x"] {
            assert!(check_coder(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn manual_log_replays() {
        let dir = tempfile::tempdir().unwrap();
        let store = CodingStore::at(dir.path());
        let c = |code: &str| Coding {
            interview: "i".into(),
            segment: "i#1".into(),
            start: 0,
            end: 4,
            code: code.into(),
            coder: "ana".into(),
            rule: None,
            codebook: None,
            matched: vec![],
            quote: "text".into(),
        };
        store
            .append_manual(
                "ana",
                &[
                    ManualEntry::new(Action::Add, &c("a"), None),
                    ManualEntry::new(Action::Add, &c("b"), None),
                    ManualEntry::new(Action::Add, &c("a"), None),
                ],
            )
            .unwrap();
        store
            .append_manual("ana", &[ManualEntry::new(Action::Remove, &c("a"), None)])
            .unwrap();
        let codes: Vec<String> = store
            .manual("ana")
            .unwrap()
            .into_iter()
            .map(|c| c.code)
            .collect();
        assert_eq!(codes, ["b"]);
        assert_eq!(store.manual_log("ana").unwrap().len(), 4);
        assert_eq!(store.manual_coders().unwrap(), ["ana"]);
        std::fs::write(store.manual_path("ana"), "{\"action\":\"add\"}\n").unwrap();
        let err = store.manual("ana").unwrap_err().to_string();
        assert!(err.contains("ana.jsonl:1: not a valid coding"), "{err}");
    }

    #[test]
    fn codings_of_an_interrupted_run_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = CodingStore::at(dir.path());
        let coding = |hash: &str| Coding {
            interview: "i".into(),
            segment: "i#1".into(),
            start: 0,
            end: 4,
            code: "a".into(),
            coder: AUTO_CODER.into(),
            rule: Some("a/en/x".into()),
            codebook: Some(hash.into()),
            matched: vec!["text".into()],
            quote: "text".into(),
        };
        let run = |hash: &str, codings: usize| AutoRun {
            format: CODINGS_FORMAT,
            codebook: CodebookInfo {
                name: "book".into(),
                version: "1".into(),
                hash: hash.into(),
                path: "book.toml".into(),
            },
            interviews: BTreeMap::new(),
            codings,
            rules: BTreeMap::new(),
            corpus: None,
            rule_hashes: BTreeMap::new(),
        };
        store.write_auto(&[coding("old")], &run("old", 1)).unwrap();
        assert_eq!(store.read_auto().unwrap().unwrap().0.len(), 1);
        // A run killed after replacing the codings, before its record.
        let fresh = [coding("new"), coding("new")];
        let mut bytes = Vec::new();
        for c in &fresh {
            serde_json::to_writer(&mut bytes, c).unwrap();
            bytes.push(b'\n');
        }
        write_atomic(&store.auto_path(), &bytes).unwrap();
        let err = store.read_auto().unwrap_err().to_string();
        assert!(err.contains("interrupted"), "{err}");
        // Same count, other codebook: still refused.
        write_atomic(&store.auto_path(), &bytes[..bytes.len() / 2]).unwrap();
        let err = store.read_auto().unwrap_err().to_string();
        assert!(err.contains("interrupted"), "{err}");
        // The next complete run reads again.
        store.write_auto(&fresh, &run("new", 2)).unwrap();
        assert_eq!(store.read_auto().unwrap().unwrap().0.len(), 2);
    }
}

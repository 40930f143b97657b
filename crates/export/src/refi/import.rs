//! A REFI-QDA project (`.qdpx`) or codebook (`.qdc`) into a voces project
//! (see the mapping and the rules for ids that are taken in the
//! [module docs](super)).
//!
//! Everything is read, built and checked first; only then is anything
//! written, each file atomically, so a file that cannot be imported
//! changes nothing, and what the project already has is never rewritten:
//! new interviews, a new codebook file, a new attribute table, entries
//! appended to coders' logs.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use voces_code::coding::{Action, ManualEntry, check_coder};
use voces_code::import::{code_id, split_by_segment};
use voces_code::{AUTO_CODER, Codebook, CodingStore};
use voces_corpus::{
    AttrValue, Column, FORMAT_VERSION, Interview, MetadataTable, Participant, Project, id,
    write_atomic,
};
use voces_ingest::ReadOptions;

use super::align::Alignment;
use super::export::is_datetime;
use super::guid;
use super::identity::{CaseIdentity, CodeIdentity, Identities, UserIdentity, VariableIdentity};
use super::model::{Code, Coding, RefiProject, Selection, TextSource, Value, VariableType};
use super::read::{parse_codebook, parse_project};
use super::zipsafe::{Limits, SafeZip};
use crate::{Error, Result};

/// The coder that codings of voces' own auto-coder become.
pub const AUTO_IMPORTED: &str = "auto-imported";

/// The end of the `source` of a coder's log entry made from a coding the
/// file gives no date for: its `at` is the import's, not the coding's.
pub const UNDATED: &str = ", undated";

/// The coder of codings that name no user.
pub const UNKNOWN_CODER: &str = "imported";

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// What may be read from the archive.
    pub limits: Limits,
    /// The project's codebook (as `voces code` finds it), whose codes
    /// imported codes are matched against.
    pub codebook: Option<PathBuf>,
    /// Check and report, write nothing.
    pub dry_run: bool,
}

/// What became of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOutcome {
    /// A new interview.
    New,
    /// An interview with the same text was already stored under this id.
    Reused,
    /// The id was taken by a different interview: stored under another.
    Renamed {
        /// The id it would have had.
        wanted: String,
    },
    /// Not imported, and why.
    Skipped(String),
}

/// One source of the file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// The source's name (or file).
    pub name: String,
    /// The interview it is, when imported.
    pub interview: Option<String>,
    /// What happened.
    pub outcome: SourceOutcome,
    /// Its codings (in selections or of the whole source).
    pub codings: usize,
}

/// What an import found and did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// The program that wrote the file.
    pub origin: Option<String>,
    /// Every text source.
    pub sources: Vec<SourceReport>,
    /// Codes in the file.
    pub codes: usize,
    /// Of them, codes the project already had (same GUID).
    pub codes_known: usize,
    /// The codebook file written (or reused), relative to the project.
    pub codebook: Option<String>,
    /// REFI users and the coders they became.
    pub coders: BTreeMap<String, String>,
    /// Codings added, per coder.
    pub added: BTreeMap<String, usize>,
    /// Codings the coder already had.
    pub already: usize,
    /// Cases and variables read, and the attribute table they became.
    pub cases: usize,
    /// Variables.
    pub variables: usize,
    /// Name of the attribute table written (or reused).
    pub table: Option<String>,
    /// What the import leaves out on purpose (data loss the user should
    /// know of): elements voces has no place for, sources without text.
    pub warnings: Vec<String>,
    /// What is wrong in the file and was not imported (exit code 1).
    pub problems: Vec<String>,
}

impl ImportReport {
    /// Codings added in all.
    pub fn added_total(&self) -> usize {
        self.added.values().sum()
    }

    /// Every text the report quotes from the file (names, the program,
    /// the messages that hold them) on one line: control characters
    /// escaped.
    fn escape_controls(&mut self) {
        for text in self
            .warnings
            .iter_mut()
            .chain(self.problems.iter_mut())
            .chain(self.origin.iter_mut())
            .chain(self.sources.iter_mut().map(|s| &mut s.name))
        {
            *text = super::escape_controls(text);
        }
        self.coders = std::mem::take(&mut self.coders)
            .into_iter()
            .map(|(user, coder)| (super::escape_controls(&user), coder))
            .collect();
    }
}

/// Imports `path` (`.qdpx` project or `.qdc` codebook) into `project`.
/// `progress` is told how many sources of how many are built.
pub fn import(
    project: &Project,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Fn(usize, usize),
) -> Result<ImportReport> {
    let qdc = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdc"));
    let mut report = ImportReport::default();
    let mut problems = Vec::new();
    let (refi, mut zip, qde_sha) = if qdc {
        let bytes = read_limited(path, options.limits.max_entry_bytes)?;
        let text = decode(path, &bytes, None)?;
        (
            parse_codebook(&text, path, &mut problems)?,
            None,
            voces_corpus::id::sha256_hex(&bytes),
        )
    } else {
        let mut zip = SafeZip::open(path, options.limits)?;
        let entry = zip
            .names()
            .iter()
            .find(|n| n.eq_ignore_ascii_case("project.qde"))
            .cloned()
            .ok_or_else(|| Error::Input {
                path: path.to_owned(),
                message: "not a REFI-QDA project (no project.qde in the archive)".to_owned(),
            })?;
        let bytes = zip.read(&entry)?;
        let text = decode(path, &bytes, Some(&entry))?;
        let refi = parse_project(&text, path, &entry, &mut problems)?;
        (refi, Some(zip), voces_corpus::id::sha256_hex(&bytes))
    };
    report.problems = problems;
    report.origin.clone_from(&refi.origin);
    for (what, n) in &refi.ignored {
        report.warnings.push(format!(
            "{n} {what}{} left out: voces has no place for {}",
            if *n == 1 { "" } else { "(s)" },
            if *n == 1 { "it" } else { "them" }
        ));
    }

    let mut plan = Planner::new(project, path, options, &refi)?;
    plan.codes(&refi, &mut report);
    let sources = match zip.as_mut() {
        Some(zip) => plan.sources(&refi, zip, &mut report, progress)?,
        None => Vec::new(),
    };
    plan.cases(&refi, &sources, &qde_sha, &mut report);
    plan.apply(&mut report, !options.dry_run)?;
    report.escape_controls();
    Ok(report)
}

/// What the project has, and what the import will add.
struct Planner<'a> {
    project: &'a Project,
    path: &'a Path,
    file_name: String,
    lang: String,
    read_options: ReadOptions,
    ids: Identities,
    /// Existing interview ids.
    interviews: BTreeSet<String>,
    /// Interviews of the project by source GUID.
    interview_by_guid: HashMap<String, String>,
    /// Codes of the project by GUID, and every code id taken.
    code_by_guid: HashMap<String, String>,
    codes_taken: HashSet<String>,
    /// Coders of the project by user GUID, and every coder taken.
    coder_by_guid: HashMap<String, String>,
    coders_taken: HashSet<String>,
    /// Decisions.
    code_of: HashMap<String, String>,
    user_names: HashMap<String, Option<String>>,
    coder_of: HashMap<Option<String>, String>,
    new_interviews: Vec<Interview>,
    codebook: Option<(PathBuf, String)>,
    table: Option<MetadataTable>,
    entries: BTreeMap<String, Vec<ManualEntry>>,
}

/// A source that became (or already was) an interview.
struct Placed {
    guid: String,
    interview: String,
}

impl<'a> Planner<'a> {
    fn new(
        project: &'a Project,
        path: &'a Path,
        options: &ImportOptions,
        refi: &RefiProject,
    ) -> Result<Planner<'a>> {
        let config = project.config();
        let store = project.store();
        let ids = Identities::load(project)?;
        let interviews: BTreeSet<String> = store.interview_ids()?.into_iter().collect();
        let mut interview_by_guid = HashMap::new();
        for i in &interviews {
            interview_by_guid.insert(guid::of("source", i), i.clone());
        }
        for (i, g) in &ids.sources {
            if interviews.contains(i) {
                interview_by_guid.insert(guid::normalize(g), i.clone());
            }
        }

        // Codes: the project's codebook, imported codebooks, codes in use.
        let mut code_by_guid = HashMap::new();
        let mut codes_taken = HashSet::new();
        let mut books = Vec::new();
        if let Some(p) = &options.codebook
            && let Ok(b) = Codebook::load(p, &[])
        {
            books.push(b);
        }
        for rel in &ids.codebooks {
            if let Ok(b) = Codebook::load(&project.root().join(rel), &[]) {
                books.push(b);
            }
        }
        for c in books.iter().flat_map(|b| &b.codes) {
            code_by_guid
                .entry(guid::of("code", &c.id))
                .or_insert_with(|| c.id.clone());
            codes_taken.insert(c.id.clone());
        }
        for (c, identity) in &ids.codes {
            if codes_taken.contains(c) {
                code_by_guid.insert(guid::normalize(&identity.guid), c.clone());
            }
        }
        let codings = CodingStore::of(project);
        let coders = codings.manual_coders()?;
        if let Ok(Some((auto, _))) = codings.read_auto() {
            codes_taken.extend(auto.into_iter().map(|c| c.code));
        }
        let mut coders_known = HashMap::new();
        for coder in &coders {
            codes_taken.extend(codings.manual(coder)?.into_iter().map(|c| c.code));
            coders_known.insert(guid::of("user", coder), coder.clone());
        }
        for (coder, u) in &ids.users {
            coders_known.insert(guid::normalize(&u.guid), coder.clone());
        }
        let file_name = path.file_name().map_or_else(
            || "project.qdpx".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Planner {
            project,
            path,
            file_name,
            lang: config
                .project
                .languages
                .first()
                .cloned()
                .unwrap_or_else(|| "en".to_owned()),
            read_options: ReadOptions::new(&config.project, &config.ingest)?,
            ids,
            interviews,
            interview_by_guid,
            code_by_guid,
            codes_taken,
            coder_by_guid: coders_known,
            coders_taken: coders.into_iter().collect(),
            code_of: HashMap::new(),
            user_names: refi
                .users
                .iter()
                .map(|u| (u.guid.clone(), u.name.clone()))
                .collect(),
            coder_of: HashMap::new(),
            new_interviews: Vec::new(),
            codebook: None,
            table: None,
            entries: BTreeMap::new(),
        })
    }

    /// The name the file goes by in ids: its project name, else its stem.
    fn base_name(&self, refi: &RefiProject) -> String {
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if refi.name.trim().is_empty() {
            stem
        } else {
            refi.name.trim().to_owned()
        }
    }

    // -- codes ---------------------------------------------------------------

    fn codes(&mut self, refi: &RefiProject, report: &mut ImportReport) {
        let mut rows: Vec<(String, Option<String>, &Code)> = Vec::new();
        let mut new = 0;
        let mut stack: Vec<(Option<String>, &Code)> =
            refi.codes.iter().rev().map(|c| (None, c)).collect();
        while let Some((parent, code)) = stack.pop() {
            let id = if let Some(known) = self.code_by_guid.get(&code.guid) {
                report.codes_known += 1;
                known.clone()
            } else if let Some(done) = self.code_of.get(&code.guid) {
                // The same GUID twice in one file: one code.
                done.clone()
            } else {
                new += 1;
                let mut part = code_id(&code.name);
                if part.is_empty() || !part.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                    part = format!("code-{}", &code.guid[..8]);
                }
                let wanted = match &parent {
                    Some(p) => format!("{p}.{part}"),
                    None => part,
                };
                let id = unique(&wanted, |c| self.codes_taken.contains(c));
                self.codes_taken.insert(id.clone());
                self.ids
                    .codes
                    .entry(id.clone())
                    .or_insert_with(|| CodeIdentity {
                        guid: code.guid.clone(),
                        codable: code.codable,
                    });
                id
            };
            self.code_of.insert(code.guid.clone(), id.clone());
            stack.extend(code.children.iter().rev().map(|c| (Some(id.clone()), c)));
            rows.push((id, parent, code));
        }
        report.codes = rows.len();
        if new == 0 {
            return;
        }
        // The whole tree goes into one new codebook, so that every parent
        // is in the same file.
        let base = self.base_name(refi);
        let mut toml = String::new();
        let written_by = refi
            .origin
            .as_deref()
            .map(|o| format!(" (written by {o})"))
            .unwrap_or_default();
        let _ = writeln!(
            toml,
            "# Codes imported by `voces import` from {}{written_by}.\n",
            self.file_name
        );
        toml.push_str("[codebook]\n");
        let _ = writeln!(toml, "name = {}", quoted(&base));
        toml.push_str("version = \"1\"\n");
        let _ = writeln!(toml, "languages = [{}]", quoted(&self.lang));
        let description = format!("Codes of {base} ({})", self.file_name);
        let _ = writeln!(toml, "description = {}", quoted(&description));
        let mut seen = HashSet::new();
        for (id, parent, code) in &rows {
            if !seen.insert(id.clone()) {
                continue;
            }
            let _ = writeln!(toml, "\n[[code]]\nid = {}", quoted(id));
            if let Some(p) = parent {
                let _ = writeln!(toml, "parent = {}", quoted(p));
            }
            let lang = &self.lang;
            let _ = writeln!(toml, "labels = {{ {lang} = {} }}", quoted(code.name.trim()));
            match code.color.as_deref().map(color) {
                Some(Some(c)) => {
                    let _ = writeln!(toml, "color = {}", quoted(&c));
                }
                Some(None) => report.warnings.push(format!(
                    "colour `{}` of code `{}` is not a colour; left out",
                    code.color.as_deref().unwrap_or_default(),
                    code.name
                )),
                None => {}
            }
            if let Some(d) = code
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            {
                let _ = writeln!(toml, "definition = {{ {lang} = {} }}", quoted(d));
            }
        }
        let dir = self.project.root().join("codebooks");
        let stem = format!("imported-{}", id::slug(&base).to_lowercase());
        let mut n = 1;
        let path = loop {
            let name = if n == 1 {
                format!("{stem}.toml")
            } else {
                format!("{stem}-{n}.toml")
            };
            let p = dir.join(&name);
            match std::fs::read_to_string(&p) {
                Ok(existing) if existing == toml => break p,
                Ok(_) => n += 1,
                Err(_) if p.exists() => n += 1,
                Err(_) => break p,
            }
        };
        report.codebook = Some(format!(
            "codebooks/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        ));
        self.codebook = Some((path, toml));
    }

    // -- sources and codings --------------------------------------------------

    fn sources(
        &mut self,
        refi: &RefiProject,
        zip: &mut SafeZip,
        report: &mut ImportReport,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Vec<Placed>> {
        let crlf_as_one = refi
            .origin
            .as_deref()
            .is_some_and(|o| o.contains("ATLAS.ti"));
        let mut placed = Vec::new();
        for (done, source) in refi.sources.iter().enumerate() {
            progress(done, refi.sources.len());
            let codings = source.codings.len()
                + source
                    .selections
                    .iter()
                    .map(|s| s.codings.len())
                    .sum::<usize>();
            let name = source
                .name
                .clone()
                .or_else(|| source.plain_text_path.clone())
                .unwrap_or_else(|| source.guid.clone());
            let mut entry = SourceReport {
                name: name.clone(),
                interview: None,
                outcome: SourceOutcome::New,
                codings,
            };
            match self.source(refi, source, zip, crlf_as_one, report)? {
                Ok((interview_id, outcome)) => {
                    entry.interview = Some(interview_id.clone());
                    entry.outcome = outcome;
                    placed.push(Placed {
                        guid: source.guid.clone(),
                        interview: interview_id,
                    });
                }
                Err(reason) => {
                    if codings > 0 {
                        report.problems.push(format!(
                            "source `{name}` not imported ({reason}): its {codings} coding(s) are lost"
                        ));
                    } else {
                        report
                            .warnings
                            .push(format!("source `{name}` not imported: {reason}"));
                    }
                    entry.outcome = SourceOutcome::Skipped(reason);
                }
            }
            report.sources.push(entry);
        }
        Ok(placed)
    }

    /// Builds one source and places its codings; the inner error is why
    /// the source is skipped.
    fn source(
        &mut self,
        refi: &RefiProject,
        source: &TextSource,
        zip: &mut SafeZip,
        crlf_as_one: bool,
        report: &mut ImportReport,
    ) -> Result<std::result::Result<(String, SourceOutcome), String>> {
        // The text: inline, the plain-text file, else the Word file.
        let mut plain: Option<(String, Vec<u8>)> = None;
        if let Some(content) = source
            .plain_text_content
            .as_ref()
            .filter(|c| !c.trim().is_empty())
        {
            plain = Some(("PlainTextContent".to_owned(), content.clone().into_bytes()));
        } else if let Some(p) = &source.plain_text_path {
            match internal_entry(zip, p) {
                Ok(entry) => {
                    let bytes = zip.read(&entry)?;
                    if voces_ingest::decode::decode(&bytes).is_ok() {
                        plain = Some((entry, bytes));
                    }
                }
                Err(why) if source.rich_text_path.is_none() => return Ok(Err(why)),
                Err(_) => {}
            }
        }
        let (entry, bytes, ext) = match plain {
            Some((entry, bytes)) => (entry, bytes, "txt"),
            None => match &source.rich_text_path {
                Some(p) if p.to_ascii_lowercase().ends_with(".docx") => {
                    match internal_entry(zip, p) {
                        Ok(entry) => {
                            let bytes = zip.read(&entry)?;
                            (entry, bytes, "docx")
                        }
                        Err(why) => return Ok(Err(why)),
                    }
                }
                Some(p) => {
                    return Ok(Err(format!(
                        "its text is in `{p}`, a format voces does not read, with no plain text"
                    )));
                }
                None => return Ok(Err("it has no text".to_owned())),
            },
        };
        let stem = stem_of(source, &entry);
        let fake = self.path.join(format!("{stem}.{ext}"));
        let mut interview = match voces_ingest::ingest_bytes(&fake, &bytes, &self.read_options) {
            Ok(i) => i,
            Err(voces_ingest::Error::Read { message, .. }) => return Ok(Err(message)),
            Err(e) => return Ok(Err(e.to_string())),
        };
        let absolute = self
            .path
            .canonicalize()
            .unwrap_or_else(|_| self.path.to_owned());
        interview.source.path = format!("{}!{entry}", absolute.display());
        for v in &source.values {
            if let Some(var) = refi.variables.iter().find(|x| x.guid == v.variable) {
                interview
                    .attributes
                    .insert(var.name.clone(), attr_value(&v.value));
            }
        }
        if !interview.warnings.is_empty() {
            for w in &interview.warnings {
                report.warnings.push(format!("source `{stem}`: {w}"));
            }
        }

        // Where positions go.
        let alignment = if ext == "txt" {
            let text = voces_ingest::decode::decode(&bytes)
                .map(|d| d.text)
                .unwrap_or_default();
            Alignment::new(&text, &interview.text, crlf_as_one)
        } else {
            if !source.selections.is_empty() {
                report.warnings.push(format!(
                    "source `{stem}` has no plain text: its selections are placed on the text voces reads from the Word file, which may differ"
                ));
            }
            Alignment::new(&interview.text, &interview.text, false)
        };
        if alignment.matched_share() < 0.9 {
            report.warnings.push(format!(
                "source `{stem}`: only {:.0}% of its text is in the interview voces built; selections in the rest are lost",
                alignment.matched_share() * 100.0
            ));
        }

        // Its id, and whether it is new.
        let store = self.project.store();
        let mut outcome = SourceOutcome::New;
        let mut target: Option<Interview> = None;
        if let Some(existing) = self.interview_by_guid.get(&source.guid).cloned() {
            let stored = store.interview(&existing)?;
            if stored.text == interview.text {
                outcome = SourceOutcome::Reused;
                target = Some(stored);
            }
        }
        if target.is_none() {
            let wanted = interview.id.clone();
            if self.interviews.contains(&wanted)
                && !self.new_interviews.iter().any(|i| i.id == wanted)
            {
                let stored = store.interview(&wanted)?;
                if stored.text == interview.text {
                    outcome = SourceOutcome::Reused;
                    target = Some(stored);
                }
            }
            if target.is_none() {
                let free = unique(&wanted, |c| self.interviews.contains(c));
                if free != wanted {
                    outcome = SourceOutcome::Renamed { wanted };
                    interview.id.clone_from(&free);
                    for s in &mut interview.segments {
                        s.id = id::segment_id(&free, s.index);
                    }
                }
                self.interviews.insert(free.clone());
                self.ids.sources.insert(free, source.guid.clone());
                target = Some(interview);
            }
        }
        let Some(target) = target else {
            return Ok(Err("internal: no interview".to_owned()));
        };
        let interview_id = target.id.clone();

        // Codings.
        let length = target.text.chars().count();
        let whole = Selection {
            guid: source.guid.clone(),
            name: None,
            start: 0,
            end: i64::MAX,
            creating_user: source.creating_user.clone(),
            created: None,
            codings: source.codings.clone(),
        };
        let listed = source.selections.iter().map(|s| (false, s));
        for (is_whole, sel) in listed.chain(std::iter::once((true, &whole))) {
            if sel.codings.is_empty() {
                continue;
            }
            if sel.start < 0 || sel.end < sel.start {
                report.problems.push(format!(
                    "source `{stem}`: selection {}..{} has bad positions; its codings are left out",
                    sel.start, sel.end
                ));
                continue;
            }
            let span = if is_whole {
                (length > 0).then_some((0, length))
            } else {
                alignment.span(sel.start as usize, sel.end as usize)
            };
            let mut parts = span
                .map(|s| split_by_segment(&target, s))
                .unwrap_or_default();
            // Inside one segment the span is kept as it is (a voces export
            // may start a coding on a space); across segments each part is
            // trimmed to its segment's text.
            if let (Some((s, e)), [part]) = (span, parts.as_mut_slice())
                && let Some(seg) = target.segments.iter().find(|x| x.id == part.segment)
                && seg.start <= s
                && e <= seg.end
            {
                part.quote = target.text.chars().skip(s).take(e - s).collect();
                part.start = s;
                part.end = e;
            }
            if parts.is_empty() {
                report.problems.push(format!(
                    "source `{stem}`: selection {}..{}{} covers no text of the interview voces built; its codings are left out",
                    sel.start,
                    sel.end,
                    sel.name.as_deref().map(|n| format!(" (\"{}\")", super::shorten(n, 40))).unwrap_or_default()
                ));
                continue;
            }
            for coding in &sel.codings {
                self.coding(refi, source, sel, coding, &parts, &stem, report);
            }
        }
        if outcome != SourceOutcome::Reused {
            self.new_interviews.push(target);
        }
        Ok(Ok((interview_id, outcome)))
    }

    #[allow(clippy::too_many_arguments, reason = "one coding in its context")]
    fn coding(
        &mut self,
        refi: &RefiProject,
        source: &TextSource,
        sel: &Selection,
        coding: &Coding,
        parts: &[voces_code::Coding],
        stem: &str,
        report: &mut ImportReport,
    ) {
        let Some(code) = self.code_of.get(&coding.code).cloned() else {
            report.problems.push(format!(
                "source `{stem}`: a coding refers to code {}, which the file does not define; left out",
                coding.code
            ));
            return;
        };
        let user = coding
            .creating_user
            .clone()
            .or_else(|| sel.creating_user.clone())
            .or_else(|| source.creating_user.clone())
            .or_else(|| refi.creating_user.clone());
        let coder = self.coder(user, report);
        let at = coding
            .created
            .clone()
            .or_else(|| sel.created.clone())
            .filter(|t| is_datetime(t));
        // The log needs a date: an undated coding gets the import's, and
        // says so, so that exports leave it undated.
        let origin = match at {
            Some(_) => self.file_name.clone(),
            None => format!("{}{UNDATED}", self.file_name),
        };
        for part in parts {
            let mut c = part.clone();
            c.code.clone_from(&code);
            c.coder.clone_from(&coder);
            let mut e = ManualEntry::new(Action::Add, &c, Some(origin.clone()));
            if let Some(t) = &at {
                e.at.clone_from(t);
            }
            self.entries.entry(coder.clone()).or_default().push(e);
        }
    }

    /// The coder a REFI user becomes.
    fn coder(&mut self, user: Option<String>, report: &mut ImportReport) -> String {
        if let Some(c) = self.coder_of.get(&user) {
            return c.clone();
        }
        let name = user
            .as_ref()
            .and_then(|g| self.user_names.get(g).cloned().flatten());
        let auto = user.as_deref() == Some(guid::of("user", AUTO_CODER).as_str())
            || name.as_deref() == Some(AUTO_CODER);
        let coder = if let Some(known) = user.as_ref().and_then(|g| self.coder_by_guid.get(g)) {
            known.clone()
        } else {
            let wanted = if auto {
                AUTO_IMPORTED.to_owned()
            } else {
                match (&name, &user) {
                    (Some(n), _) => coder_name(n),
                    (None, Some(g)) => format!("user-{}", &g[..8.min(g.len())]),
                    (None, None) => UNKNOWN_CODER.to_owned(),
                }
            };
            let coder = unique(&wanted, |c| {
                self.coders_taken.contains(c) || self.coder_of.values().any(|v| v == c)
            });
            if let Some(g) = &user {
                self.ids
                    .users
                    .entry(coder.clone())
                    .or_insert_with(|| UserIdentity {
                        guid: g.clone(),
                        name: name.clone().unwrap_or_else(|| coder.clone()),
                    });
            }
            coder
        };
        report.coders.insert(
            name.unwrap_or_else(|| user.clone().unwrap_or_else(|| "(no user)".to_owned())),
            coder.clone(),
        );
        self.coder_of.insert(user, coder.clone());
        coder
    }

    // -- cases and variables ---------------------------------------------------

    fn cases(
        &mut self,
        refi: &RefiProject,
        placed: &[Placed],
        qde_sha: &str,
        report: &mut ImportReport,
    ) {
        report.cases = refi.cases.len();
        report.variables = refi.variables.len();
        if refi.cases.is_empty() {
            return;
        }
        let interview_of: HashMap<&str, &str> = placed
            .iter()
            .map(|p| (p.guid.as_str(), p.interview.as_str()))
            .collect();
        let key = if refi.variables.iter().any(|v| v.name == "interview") {
            "refi-source".to_owned()
        } else {
            "interview".to_owned()
        };
        let mut columns = vec![Column {
            name: key.clone(),
            kind: "string".to_owned(),
        }];
        for v in &refi.variables {
            columns.push(Column {
                name: v.name.clone(),
                kind: match v.kind {
                    VariableType::Boolean => "boolean",
                    VariableType::Integer | VariableType::Float => "number",
                    _ => "string",
                }
                .to_owned(),
            });
        }
        let mut rows: Vec<Participant> = Vec::new();
        let mut cases = Vec::new();
        for (ci, case) in refi.cases.iter().enumerate() {
            let name = case
                .name
                .clone()
                .unwrap_or_else(|| format!("case-{}", &case.guid[..8.min(case.guid.len())]));
            let mut attributes = BTreeMap::new();
            for v in &case.values {
                match refi.variables.iter().find(|x| x.guid == v.variable) {
                    Some(var) => {
                        attributes.insert(var.name.clone(), attr_value(&v.value));
                    }
                    None => report.problems.push(format!(
                        "case `{name}`: a value of variable {}, which the file does not define; left out",
                        v.variable
                    )),
                }
            }
            let mut ids: Vec<String> = case
                .sources
                .iter()
                .filter_map(|g| interview_of.get(g.as_str()).map(|s| (*s).to_owned()))
                .collect();
            if ids.is_empty() {
                ids.push(name.clone());
            }
            for row_id in &ids {
                match rows.iter_mut().find(|r| &r.id == row_id) {
                    Some(row) => {
                        for (k, v) in &attributes {
                            row.attributes.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                    None => rows.push(Participant {
                        id: row_id.clone(),
                        line: ci + 1,
                        attributes: attributes.clone(),
                    }),
                }
            }
            cases.push((case.guid.clone(), name, ids));
        }
        let absolute = self
            .path
            .canonicalize()
            .unwrap_or_else(|_| self.path.to_owned());
        let mut table = MetadataTable {
            format: FORMAT_VERSION,
            name: self.file_name.clone(),
            path: absolute.display().to_string(),
            sha256: qde_sha.to_owned(),
            key,
            columns,
            rows,
        };
        // A table of that name: the same one again, or another.
        let existing = self.project.store().metadata_tables().unwrap_or_default();
        let mut n = 1;
        loop {
            let name = if n == 1 {
                self.file_name.clone()
            } else {
                format!("{}-{n}", self.file_name)
            };
            let clash = existing
                .iter()
                .find(|t| id::slug(&t.name) == id::slug(&name));
            match clash {
                Some(t) if t.columns == table.columns && t.rows == table.rows => {
                    table.name = name;
                    report.table = Some(table.name.clone());
                    break;
                }
                Some(_) => n += 1,
                None => {
                    table.name = name;
                    report.table = Some(table.name.clone());
                    self.table = Some(table.clone());
                    break;
                }
            }
        }
        for (guid, name, rows) in cases {
            let identity = CaseIdentity {
                guid,
                name,
                table: table.name.clone(),
                rows,
            };
            if !self.ids.cases.contains(&identity) {
                self.ids.cases.push(identity);
            }
        }
        for v in &refi.variables {
            self.ids
                .variables
                .entry(v.name.clone())
                .or_insert_with(|| VariableIdentity {
                    guid: v.guid.clone(),
                    kind: v.kind,
                });
        }
    }

    // -- writing ---------------------------------------------------------------

    /// Counts what is new and, with `write`, writes it.
    fn apply(mut self, report: &mut ImportReport, write: bool) -> Result<()> {
        let root = self.project.root().to_owned();
        if let Some((path, text)) = &self.codebook {
            // Checked like any codebook before it is written.
            Codebook::parse(text, path, &[])
                .map_err(|e| Error::Internal(format!("the imported codebook is invalid: {e}")))?;
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            if !self.ids.codebooks.contains(&rel) {
                self.ids.codebooks.push(rel);
            }
        }
        // The identities are saved first. A run killed after this point
        // left codes, interviews or codings that the next run then finds
        // under these same GUIDs and completes, rather than importing the
        // file again beside them under new ids (`smuggling-2`).
        if write {
            self.ids.format = super::identity::FORMAT;
            self.ids.save(self.project)?;
        }
        if let Some((path, text)) = &self.codebook
            && write
            && std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str())
        {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            write_atomic(path, text.as_bytes())?;
        }
        let store = self.project.store();
        if write {
            for interview in &self.new_interviews {
                store.put_interview(interview)?;
            }
            if let Some(table) = &self.table {
                store.put_metadata(table)?;
            }
        }
        let codings = CodingStore::of(self.project);
        for (coder, entries) in &self.entries {
            check_coder(coder)?;
            let existing: HashSet<(String, usize, usize, String)> =
                if codings.manual_path(coder).is_file() {
                    codings
                        .manual(coder)?
                        .into_iter()
                        .map(|c| (c.interview, c.start, c.end, c.code))
                        .collect()
                } else {
                    HashSet::new()
                };
            let mut seen = HashSet::new();
            let mut fresh = Vec::new();
            for e in entries {
                let key = (e.interview.clone(), e.start, e.end, e.code.clone());
                if existing.contains(&key) || !seen.insert(key) {
                    report.already += 1;
                } else {
                    fresh.push(e.clone());
                }
            }
            if !fresh.is_empty() {
                report.added.insert(coder.clone(), fresh.len());
                if write {
                    codings.append_manual(coder, &fresh)?;
                }
            }
        }
        Ok(())
    }
}

/// The file stem an interview id is made from: the source's name
/// without a document extension, else its file's name.
fn stem_of(source: &TextSource, entry: &str) -> String {
    let raw = source
        .name
        .clone()
        .unwrap_or_else(|| entry.rsplit('/').next().unwrap_or(entry).to_owned());
    let raw = raw.replace(['/', '\\'], "-");
    let p = Path::new(&raw);
    let ext = voces_ingest::extension(p);
    let stem = if voces_ingest::transcript_format(p).is_some()
        || matches!(ext.as_str(), "pdf" | "rtf" | "doc")
    {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        raw.clone()
    };
    if stem.trim().is_empty() {
        format!("source-{}", &source.guid[..8.min(source.guid.len())])
    } else {
        stem
    }
}

/// The zip entry of a source path: `internal://NAME` (or a bare name) in
/// the sources folder. External paths are not followed.
fn internal_entry(zip: &SafeZip, path: &str) -> std::result::Result<String, String> {
    let name = match path.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("internal") => rest,
        Some(_) => {
            return Err(format!(
                "its file `{path}` is outside the archive; voces reads only what the .qdpx holds"
            ));
        }
        None => path,
    };
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(format!(
            "its path `{path}` is not a file name in the sources folder"
        ));
    }
    zip.find(&format!("sources/{name}"))
        .or_else(|| zip.find(name))
        .map(str::to_owned)
        .ok_or_else(|| format!("its file `{name}` is not in the archive"))
}

/// `wanted`, or `wanted-2`, `wanted-3`... whichever is free.
fn unique(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(wanted) {
        return wanted.to_owned();
    }
    (2..usize::MAX)
        .map(|n| format!("{wanted}-{n}"))
        .find(|c| !taken(c))
        .unwrap_or_default()
}

/// A valid coder name made of a user's name (see
/// `voces_code::coding::check_coder`).
fn coder_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect();
    if out.to_ascii_lowercase().ends_with(".tmp") {
        out.push_str("-user");
    }
    if out.is_empty() {
        "user".to_owned()
    } else if out.eq_ignore_ascii_case(AUTO_CODER) {
        AUTO_IMPORTED.to_owned()
    } else {
        out
    }
}

/// A value as a voces attribute.
fn attr_value(v: &Value) -> AttrValue {
    match v {
        Value::Text(s) | Value::Date(s) | Value::DateTime(s) => AttrValue::Text(s.clone()),
        Value::Boolean(b) => AttrValue::Bool(*b),
        Value::Integer(i) => AttrValue::Number(*i as f64),
        Value::Float(f) => AttrValue::Number(*f),
    }
}

/// `#rrggbb` in lower case, from `#rrggbb` or `#rgb`.
fn color(s: &str) -> Option<String> {
    let hex = s.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            std::iter::once('#')
                .chain(hex.chars().flat_map(|c| [c, c]))
                .collect::<String>()
                .to_ascii_lowercase(),
        ),
        _ => None,
    }
}

/// A TOML basic string on one line.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads a whole file of at most `limit` bytes.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Error::Input {
            path: path.to_owned(),
            message: format!(
                "larger than the {} voces reads",
                super::zipsafe::size_text(limit)
            ),
        });
    }
    Ok(bytes)
}

/// XML bytes as text (UTF-8 or UTF-16 with a byte-order mark).
fn decode(path: &Path, bytes: &[u8], entry: Option<&str>) -> Result<String> {
    voces_ingest::decode::decode(bytes)
        .map(|d| d.text)
        .map_err(|m| Error::Input {
            path: path.to_owned(),
            message: match entry {
                Some(e) => format!("{e}: {m}"),
                None => m,
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coder_names() {
        assert_eq!(coder_name("Enric Llagostera"), "Enric-Llagostera");
        assert_eq!(coder_name("cp"), "cp");
        assert_eq!(coder_name("auto"), AUTO_IMPORTED);
        assert_eq!(coder_name("  ¿quién? "), "quién");
        assert_eq!(coder_name("***"), "user");
        for n in ["Enric Llagostera", "x.tmp", "José María", "ATLAS.ti"] {
            assert!(check_coder(&coder_name(n)).is_ok(), "{n}");
        }
    }

    #[test]
    fn colours_and_names() {
        assert_eq!(color("#ABC").as_deref(), Some("#aabbcc"));
        assert_eq!(color("#D62728").as_deref(), Some("#d62728"));
        assert_eq!(color("red"), None);
        assert_eq!(unique("a", |c| c == "a" || c == "a-2"), "a-3");
        assert_eq!(quoted("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }
}

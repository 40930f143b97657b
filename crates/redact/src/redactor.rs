//! The [`Redactor`]: built from a project, it replaces names, terms and
//! detected personal data with stable pseudonyms.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use voces_corpus::id::Sha256;
use voces_corpus::{AttrValue, Interview, Project, Span};

use crate::Result;
use crate::detect::{Detector, Detectors};
use crate::fold::{Folded, fold};
use crate::gather::{self, Entities, Entity, cell_forms, is_name_column, name_parts};
use crate::mapping::{self, MappedEntity, Mapping};
use crate::matcher::{Matcher, MatcherBuilder};
use crate::pseudonym::{self, PERSON};
use crate::redacted::{Redacted, Replacement};
use crate::words::is_common_word;

/// Version of the rules that find personal data. Part of the settings hash
/// stored in the mapping, so that a voces with new rules scans again.
pub const RULES_VERSION: u32 = 1;

/// How [`Redactor::open`] works.
#[derive(Default)]
pub struct Options<'a> {
    /// Scan the whole corpus even when the mapping is up to date (to count
    /// what is found, as `voces redact` does).
    pub rescan: bool,
    /// Never write the mapping file.
    pub dry_run: bool,
    /// Use this mapping file instead of `[privacy] mapping` (it is checked
    /// the same way: outside the project, in an existing folder).
    pub mapping: Option<PathBuf>,
    /// Called with (interviews scanned, interviews) while scanning.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// What [`Redactor::open`] found and did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Replacements per interview and kind, in id order (empty when the
    /// corpus was not scanned).
    pub interviews: Vec<InterviewReport>,
    /// Every entity, in pseudonym order per kind.
    pub entities: Vec<EntityReport>,
    /// The mapping file, when there is one.
    pub mapping: Option<PathBuf>,
    /// The mapping file did not exist before.
    pub created: bool,
    /// The mapping file was written.
    pub written: bool,
    /// The corpus was scanned (the mapping was out of date, absent, or a
    /// scan was asked for).
    pub scanned: bool,
    /// One-word names and name parts replaced five times or more where
    /// written in lower case, most first: perhaps common words here, to
    /// list in `[privacy] common_words`.
    pub lowercase: Vec<LowercaseWord>,
}

/// A name or name part found written in lower case (see
/// [`Report::lowercase`]).
#[derive(Debug, Clone, Serialize)]
pub struct LowercaseWord {
    /// The word, folded (lower case, no accents).
    pub word: String,
    /// The pseudonym it was replaced by.
    pub pseudonym: String,
    /// Replacements where it was written in lower case.
    pub count: usize,
}

/// Lower-case hits of one-word patterns: folded word → (hits, an entity).
type Lowercase = HashMap<String, (usize, usize)>;

/// Replacements in one interview.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewReport {
    /// Interview id.
    pub id: String,
    /// Replacements per kind (`person`, `place`, `email`...).
    pub counts: BTreeMap<String, usize>,
}

/// One entity and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct EntityReport {
    /// Its pseudonym.
    pub pseudonym: String,
    /// Its kind.
    pub kind: String,
    /// Its forms (real names: for the researcher's eyes only).
    pub values: Vec<String>,
    /// Where it was first found.
    pub source: String,
    /// Replacements in the corpus (0 when the corpus was not scanned).
    pub occurrences: usize,
    /// New in this run.
    pub new: bool,
}

/// Replaces people's names and aliases, listed terms, e-mail addresses,
/// phone numbers and ID numbers with pseudonyms (`[P07]`, `[PLACE-3]`,
/// `[EMAIL-1]`, `[PHONE-1]`, `[ID-1]`).
///
/// Names and terms match whole words, ignoring case and accents; a
/// person's names also match by their distinctive parts (first name alone,
/// surname alone), and parts that are common words (`Rosa`, `Hope`) only
/// when capitalized. See the crate documentation for the whole policy.
#[derive(Debug)]
pub struct Redactor {
    matcher: Matcher,
    detectors: Detectors,
    keep: HashSet<String>,
    /// Kind and pseudonym of each entity.
    entities: Vec<(String, String)>,
    by_key: HashMap<(Detector, String), usize>,
    name_columns: Vec<String>,
    mapping: Option<PathBuf>,
    /// Pseudonyms given to values first seen after the redactor was built
    /// (text outside the corpus); not stored.
    extra: Mutex<Extra>,
}

#[derive(Debug, Default)]
struct Extra {
    next: HashMap<String, u32>,
    given: HashMap<(Detector, String), String>,
}

/// A span to replace and what it is.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    what: What,
}

#[derive(Debug, Clone, Copy)]
enum What {
    /// A matcher pattern.
    Pattern(usize),
    /// A detector's find.
    Detected(Detector),
}

/// The project's privacy settings, read once.
struct Settings {
    terms: Vec<gather::Term>,
    hash: String,
    detectors: Vec<Detector>,
    keep: HashSet<String>,
    common: HashSet<String>,
    name_columns: Vec<String>,
}

impl Settings {
    /// A name part or one-word form matched only when capitalized.
    fn is_common(&self, folded: &str) -> bool {
        is_common_word(folded) || self.common.contains(folded)
    }

    fn read(project: &Project) -> Result<Settings> {
        let privacy = &project.config().privacy;
        let gather::TermLists { terms, files } =
            gather::read_terms(project.root(), &privacy.terms, &privacy.term_files)?;
        let mut h = Sha256::new();
        let mut settings = privacy.clone();
        settings.mapping.clear();
        h.update(format!(
            "{RULES_VERSION}\n{}\n{:?}\n{:?}\n",
            serde_json::to_string(&settings).unwrap_or_default(),
            project.config().ingest.interviewer_labels,
            project.config().ingest.participant_labels,
        ));
        for (path, text) in files {
            h.update(format!("{}\n{}\n", path.display(), text.len()));
            h.update(text);
        }
        let hash = voces_corpus::id::hex(&h.finish()[..8]);
        Ok(Settings {
            terms,
            hash,
            detectors: privacy
                .detect
                .iter()
                .filter_map(|d| Detector::from_name(d))
                .collect(),
            keep: privacy.keep.iter().map(|k| fold(k)).collect(),
            common: privacy.common_words.iter().map(|k| fold(k)).collect(),
            name_columns: privacy.name_columns.clone(),
        })
    }
}

impl Redactor {
    /// The project's redactor: its mapping when `[privacy] mapping` names
    /// one (brought up to date with the corpus, and created if absent),
    /// else pseudonyms numbered afresh from the corpus, in interview id
    /// order (see [`Redactor::persistent`]).
    ///
    /// When the mapping is up to date with the corpus and the settings,
    /// this reads only the mapping; otherwise it scans every interview.
    pub fn load(project: &Project) -> Result<Redactor> {
        Ok(Redactor::open(project, &Options::default())?.0)
    }

    /// [`Redactor::load`] with options, and a report of what was found.
    pub fn open(project: &Project, options: &Options<'_>) -> Result<(Redactor, Report)> {
        let settings = Settings::read(project)?;
        let mapping_path = match &options.mapping {
            Some(p) => Some(mapping::check_path(project.root(), p)?),
            None => mapping::configured_path(project)?,
        };
        let existing = match &mapping_path {
            Some(p) => Mapping::read(p)?,
            None => None,
        };
        let store = project.store();
        let stamp = store.stamp()?;
        let attributes = store.attributes()?;
        let name_columns: Vec<String> = attributes
            .tables()
            .iter()
            .flat_map(|t| t.columns.iter().map(|c| c.name.clone()))
            .filter(|c| is_name_column(c, &settings.name_columns))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let fresh = existing
            .as_ref()
            .is_some_and(|m| m.corpus == stamp && m.settings == settings.hash);
        let mut entities = Entities::from_mapping(existing.as_ref().map_or(&[], |m| &m.entities));
        let mut report = Report {
            mapping: mapping_path.clone(),
            created: mapping_path.is_some() && existing.is_none(),
            ..Report::default()
        };
        let mut lowercase = Lowercase::new();
        if !fresh || options.rescan {
            report.interviews = scan(
                project,
                &settings,
                &attributes,
                &mut entities,
                &mut lowercase,
                options.progress,
            )?;
            report.scanned = true;
        }
        gather::assign(&mut entities.list);
        report.lowercase = lowercase
            .into_iter()
            .filter(|(_, (count, _))| *count >= 5)
            .map(|(word, (count, entity))| LowercaseWord {
                word,
                pseudonym: entities.list[entity].pseudonym.clone().unwrap_or_default(),
                count,
            })
            .collect();
        report
            .lowercase
            .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
        let redactor = Redactor::from_entities(
            &entities.list,
            &settings,
            name_columns,
            mapping_path.clone(),
        );
        if let Some(path) = &mapping_path
            && !options.dry_run
            && (!fresh || entities.list.iter().any(|e| e.new))
        {
            let mapping = Mapping {
                corpus: stamp,
                settings: settings.hash.clone(),
                entities: entities.list.iter().map(mapped).collect(),
                ..Mapping::new()
            };
            if existing.as_ref() != Some(&mapping) {
                mapping.write(path)?;
                report.written = true;
            }
        }
        let mut list: Vec<&Entity> = entities.list.iter().collect();
        list.sort_by_key(|e| {
            let p = e.pseudonym.as_deref().unwrap_or_default();
            (
                e.kind != PERSON,
                e.kind.clone(),
                pseudonym::number(&e.kind, p),
            )
        });
        report.entities = list
            .into_iter()
            .map(|e| EntityReport {
                pseudonym: e.pseudonym.clone().unwrap_or_default(),
                kind: e.kind.clone(),
                values: e.values.clone(),
                source: e.source.clone(),
                occurrences: e.occurrences,
                new: e.new,
            })
            .collect();
        Ok((redactor, report))
    }

    fn from_entities(
        list: &[Entity],
        settings: &Settings,
        name_columns: Vec<String>,
        mapping: Option<PathBuf>,
    ) -> Redactor {
        let mut builder = MatcherBuilder::default();
        let mut by_key = HashMap::new();
        for (i, e) in list.iter().enumerate() {
            let detector = Detector::from_name(&e.kind);
            for v in &e.values {
                let f = fold(v);
                if let Some(d) = detector {
                    by_key.entry((d, d.key(v))).or_insert(i);
                }
                let single = !f.contains(' ');
                if single && (settings.keep.contains(&f) || f.chars().count() < 2) {
                    continue;
                }
                let capital = detector.is_none() && single && settings.is_common(&f);
                builder.add(f.clone(), i, true, capital);
                if e.kind == PERSON {
                    for part in name_parts(&f) {
                        if !settings.keep.contains(part) {
                            builder.add(part.to_owned(), i, false, settings.is_common(part));
                        }
                    }
                }
            }
        }
        Redactor {
            matcher: builder.build(),
            detectors: Detectors::new(&settings.detectors),
            keep: settings.keep.clone(),
            entities: list
                .iter()
                .map(|e| (e.kind.clone(), e.pseudonym.clone().unwrap_or_default()))
                .collect(),
            by_key,
            name_columns,
            mapping,
            extra: Mutex::new(Extra::default()),
        }
    }

    /// True when pseudonyms come from a mapping file and so stay the same
    /// from run to run; false when they are numbered afresh from the corpus
    /// on each run (no `[privacy] mapping`), which a program should warn
    /// about.
    pub fn persistent(&self) -> bool {
        self.mapping.is_some()
    }

    /// The mapping file, when there is one.
    pub fn mapping_path(&self) -> Option<&Path> {
        self.mapping.as_deref()
    }

    /// The attribute columns that hold names (see [`Redactor::redact_attribute`]).
    pub fn name_columns(&self) -> &[String] {
        &self.name_columns
    }

    /// Redacts a text: names, terms and personal data replaced by
    /// pseudonyms, with the map from the text's offsets to the result's.
    pub fn redact(&self, text: &str) -> Redacted {
        self.redact_with(text, &[], false)
    }

    /// Redacts a short value: a speaker label, a title, an attribute value.
    pub fn redact_value(&self, value: &str) -> String {
        self.redact(value).text
    }

    /// Redacts an id (interview id, segment id, file name): a name in it
    /// becomes the pseudonym in lower case without brackets, so that
    /// `maria-perez-2024` becomes `p01-2024`.
    pub fn redact_id(&self, id: &str) -> String {
        self.redact_with(id, &[], true).text
    }

    /// The redacted text of `text[start..end]` (characters): the whole
    /// `text` is redacted and the span mapped, so a name cut by the span's
    /// edges is still replaced whole. To redact many spans of one interview,
    /// redact it once with [`Redactor::interview`] instead.
    pub fn redact_span(&self, text: &str, start: usize, end: usize) -> String {
        self.redact(text).slice(start, end).to_owned()
    }

    /// An attribute value: in a name column, the person's pseudonym (or
    /// `[NAME]` when the value is not a known name); elsewhere the value
    /// redacted like any text. Numbers and booleans are kept.
    pub fn redact_attribute(&self, column: &str, value: &AttrValue) -> AttrValue {
        let AttrValue::Text(text) = value else {
            return value.clone();
        };
        if !self.name_columns.iter().any(|c| c == column) {
            return AttrValue::Text(self.redact_value(text));
        }
        let labels: Vec<String> = cell_forms(text)
            .iter()
            .filter_map(|f| self.matcher.lookup(&fold(f)))
            .map(|p| self.label(&p.targets))
            .fold(Vec::new(), |mut acc, l| {
                if !acc.contains(&l) {
                    acc.push(l);
                }
                acc
            });
        AttrValue::Text(if labels.is_empty() {
            "[NAME]".to_owned()
        } else {
            labels.join(" ")
        })
    }

    /// Every attribute redacted with [`Redactor::redact_attribute`].
    pub fn redact_attributes(
        &self,
        attributes: &BTreeMap<String, AttrValue>,
    ) -> BTreeMap<String, AttrValue> {
        attributes
            .iter()
            .map(|(k, v)| (k.clone(), self.redact_attribute(k, v)))
            .collect()
    }

    /// A redacted copy of an interview, with the map from its offsets:
    /// text, segments (offsets, text, sentences, words, speakers,
    /// annotations), speakers, title, source path and file name, own
    /// attributes, warnings, and ids (with [`Redactor::redact_id`]; a
    /// segment keeps its index). A replacement never crosses a segment's
    /// edge, so each segment's text is still its span of the text.
    pub fn interview(&self, interview: &Interview) -> RedactedInterview {
        let barriers: Vec<usize> = interview
            .segments
            .iter()
            .flat_map(|s| [s.start, s.end])
            .collect();
        let map = self.redact_with(&interview.text, &barriers, false);
        let mut out = interview.clone();
        out.id = self.redact_id(&interview.id);
        out.title = self.redact_value(&interview.title);
        out.source.path = self.redact_value(&interview.source.path);
        out.source.file_name = self.redact_value(&interview.source.file_name);
        out.attributes = self.redact_attributes(&interview.attributes);
        out.warnings = interview
            .warnings
            .iter()
            .map(|w| self.redact_value(w))
            .collect();
        for s in &mut out.speakers {
            s.label = self.redact_value(&s.label);
            s.name = s.name.as_deref().map(|n| self.redact_value(n));
        }
        out.text.clone_from(&map.text);
        for seg in &mut out.segments {
            let (start, end) = map.map_span(seg.start, seg.end);
            seg.id = self.redact_id(&seg.id);
            seg.speaker = seg.speaker.as_deref().map(|l| self.redact_value(l));
            map.slice(seg.start, seg.end).clone_into(&mut seg.text);
            for s in &mut seg.sentences {
                let (a, b) = map.map_span(s.start, s.end);
                *s = Span { start: a, end: b };
            }
            let mut words = Vec::with_capacity(seg.words.len());
            let mut last = None;
            for w in seg.word_spans() {
                let (a, b) = map.map_span(w.start, w.end);
                if last != Some((a, b)) && a >= start && b <= end {
                    words.extend([(a - start) as u32, (b - start) as u32]);
                    last = Some((a, b));
                }
            }
            seg.words = words;
            seg.start = start;
            seg.end = end;
            for a in &mut seg.annotations {
                a.text = self.redact_value(&a.text);
            }
        }
        out.stats = voces_corpus::Stats::of(&out.segments);
        RedactedInterview {
            interview: out,
            map,
        }
    }

    /// The pseudonym of a pattern's entities: one, or several joined
    /// (`[P01/P02]`) when a form belongs to more than one.
    fn label(&self, targets: &[usize]) -> String {
        if let [one] = targets {
            return self.entities[*one].1.clone();
        }
        let inner: Vec<&str> = targets
            .iter()
            .map(|&t| self.entities[t].1.trim_matches(|c| c == '[' || c == ']'))
            .collect();
        format!("[{}]", inner.join("/"))
    }

    fn kind(&self, what: What) -> String {
        match what {
            What::Pattern(p) => self.entities[self.matcher.pattern(p).targets[0]].0.clone(),
            What::Detected(d) => d.as_str().to_owned(),
        }
    }

    /// The pseudonym of a detected value: from the mapping, or a new one
    /// for this redactor's life.
    fn detected_label(&self, detector: Detector, surface: &str) -> String {
        let key = detector.key(surface);
        if let Some(&i) = self.by_key.get(&(detector, key.clone())) {
            return self.entities[i].1.clone();
        }
        let mut extra = self
            .extra
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(l) = extra.given.get(&(detector, key.clone())) {
            return l.clone();
        }
        let kind = detector.as_str();
        let next = extra.next.entry(kind.to_owned()).or_insert_with(|| {
            self.entities
                .iter()
                .filter(|(k, _)| k == kind)
                .filter_map(|(k, p)| pseudonym::number(k, p))
                .max()
                .unwrap_or(0)
        });
        *next += 1;
        let label = pseudonym::label(kind, *next);
        extra.given.insert((detector, key), label.clone());
        label
    }

    fn redact_with(&self, text: &str, barriers: &[usize], slug: bool) -> Redacted {
        let chars: Vec<char> = text.chars().collect();
        let candidates = candidates(
            &self.matcher,
            &self.detectors,
            &self.keep,
            text,
            &chars,
            barriers,
        );
        let mut out = String::with_capacity(text.len());
        let mut replacements: Vec<Replacement> = Vec::with_capacity(candidates.len());
        let mut pos = 0;
        let mut new_len = 0;
        for c in candidates {
            let mut label = match c.what {
                What::Pattern(p) => self.label(&self.matcher.pattern(p).targets),
                What::Detected(d) => {
                    let surface: String = chars[c.start..c.end].iter().collect();
                    self.detected_label(d, &surface)
                }
            };
            if slug {
                label = pseudonym::slug(&label);
            }
            let gap = &chars[pos..c.start];
            // `María José`, `Pérez-Gómez` (two parts) give one pseudonym.
            if let Some(last) = replacements.last_mut()
                && last.pseudonym == label
                && !gap.is_empty()
                && gap.len() <= 2
                && gap.iter().all(|&ch| matches!(ch, ' ' | '\t' | '-'))
                && !barriers.iter().any(|&b| b > last.end && b <= c.start)
            {
                last.end = c.end;
                pos = c.end;
                continue;
            }
            out.extend(gap);
            new_len += gap.len();
            let width = label.chars().count();
            replacements.push(Replacement {
                start: c.start,
                end: c.end,
                new_start: new_len,
                new_end: new_len + width,
                kind: self.kind(c.what),
                pseudonym: label.clone(),
            });
            out.push_str(&label);
            new_len += width;
            pos = c.end;
        }
        out.extend(&chars[pos..]);
        Redacted::new(out, replacements)
    }
}

/// A redacted interview and the map from the original's offsets.
#[derive(Debug, Clone)]
pub struct RedactedInterview {
    /// The interview, redacted.
    pub interview: Interview,
    /// The redacted text with its offset map.
    pub map: Redacted,
}

impl RedactedInterview {
    /// Where an original span (a coding's `start..end`) lands in the
    /// redacted interview text.
    pub fn map_span(&self, start: usize, end: usize) -> (usize, usize) {
        self.map.map_span(start, end)
    }

    /// The redacted text of an original span (a coding's quote).
    pub fn quote(&self, start: usize, end: usize) -> &str {
        self.map.slice(start, end)
    }
}

/// The spans to replace in a text, in order, not overlapping: names and
/// terms, and detected values (except those in `keep`). Where two overlap,
/// the longer wins; where they only partly overlap, the first grows to
/// cover both. A span crossing a barrier is cut in two there.
fn candidates(
    matcher: &Matcher,
    detectors: &Detectors,
    keep: &HashSet<String>,
    text: &str,
    chars: &[char],
    barriers: &[usize],
) -> Vec<Candidate> {
    let folded = Folded::new(chars);
    let mut all: Vec<Candidate> = matcher
        .find(chars, &folded)
        .into_iter()
        .map(|h| Candidate {
            start: h.start,
            end: h.end,
            what: What::Pattern(h.pattern),
        })
        .collect();
    for d in detectors.find(text, chars) {
        let surface: String = chars[d.start..d.end].iter().collect();
        if keep.contains(&fold(&surface)) {
            continue;
        }
        all.push(Candidate {
            start: d.start,
            end: d.end,
            what: What::Detected(d.detector),
        });
    }
    all.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out: Vec<Candidate> = Vec::with_capacity(all.len());
    for c in all {
        match out.last_mut() {
            Some(last) if c.start < last.end => last.end = last.end.max(c.end),
            _ => out.push(c),
        }
    }
    if barriers.is_empty() {
        return out;
    }
    let mut cut = Vec::with_capacity(out.len());
    for c in out {
        let mut start = c.start;
        for &b in barriers {
            if b > start && b < c.end {
                cut.push(Candidate { start, end: b, ..c });
                start = b;
            }
        }
        cut.push(Candidate { start, ..c });
    }
    cut.sort_by_key(|c| c.start);
    cut.dedup_by_key(|c| (c.start, c.end));
    cut
}

/// Scans the corpus: finds every person, term and detected value, notes
/// where each first appears, and counts replacements per interview.
fn scan(
    project: &Project,
    settings: &Settings,
    attributes: &voces_corpus::Attributes,
    entities: &mut Entities,
    lowercase: &mut Lowercase,
    progress: Option<&(dyn Fn(usize, usize) + Sync)>,
) -> Result<Vec<InterviewReport>> {
    let store = project.store();
    let heads = store.heads()?;
    let config = project.config();
    let mut rows = gather::add_sheet_people(entities, attributes, &settings.name_columns);
    gather::add_speakers(
        entities,
        &heads,
        attributes,
        &mut rows,
        &config.ingest,
        &settings.name_columns,
    );
    gather::add_terms(entities, &settings.terms);
    let base = Redactor::from_entities(&entities.list, settings, Vec::new(), None);
    let mut tally = Tally {
        keys: base.by_key.clone(),
        base: &base,
        entities,
        lowercase,
    };
    let mut reports = Vec::with_capacity(heads.len());
    for (ordinal, head) in heads.iter().enumerate() {
        if let Some(p) = progress {
            p(ordinal, heads.len());
        }
        let interview = store.interview(&head.id)?;
        let mut counts = BTreeMap::new();
        let texts = std::iter::once(interview.text.as_str())
            .chain(
                interview
                    .segments
                    .iter()
                    .flat_map(|s| s.annotations.iter().map(|a| a.text.as_str())),
            )
            .chain(std::iter::once(interview.title.as_str()));
        for text in texts {
            tally.note(text, ordinal, &mut counts, &|| {
                format!("interview {}", head.id)
            });
        }
        reports.push(InterviewReport {
            id: head.id.clone(),
            counts,
        });
    }
    if let Some(p) = progress {
        p(heads.len(), heads.len());
    }
    // Personal data in attribute cells (an e-mail in a contact column).
    for table in attributes.tables() {
        for row in &table.rows {
            for (column, value) in &row.attributes {
                if let AttrValue::Text(text) = value
                    && !is_name_column(column, &settings.name_columns)
                {
                    tally.note(text, usize::MAX, &mut BTreeMap::new(), &|| {
                        format!("attribute sheet {} line {}", table.name, row.line)
                    });
                }
            }
        }
    }
    Ok(reports)
}

/// What a scan keeps track of.
struct Tally<'a> {
    /// A redactor with the people and terms known before the scan.
    base: &'a Redactor,
    entities: &'a mut Entities,
    /// Detected values' keys → entity.
    keys: HashMap<(Detector, String), usize>,
    lowercase: &'a mut Lowercase,
}

impl Tally<'_> {
    /// Notes the entities found in one text: first appearances,
    /// occurrences, counts per kind, one-word names in lower case; detected
    /// values not yet known become entities.
    fn note(
        &mut self,
        text: &str,
        ordinal: usize,
        counts: &mut BTreeMap<String, usize>,
        source: &dyn Fn() -> String,
    ) {
        let base = self.base;
        let chars: Vec<char> = text.chars().collect();
        for c in candidates(
            &base.matcher,
            &base.detectors,
            &base.keep,
            text,
            &chars,
            &[],
        ) {
            let targets = match c.what {
                What::Pattern(p) => {
                    let key = base.matcher.key(p);
                    let targets = base.matcher.pattern(p).targets.clone();
                    if !key.contains(' ') && chars[c.start].is_lowercase() {
                        self.lowercase
                            .entry(key.to_owned())
                            .or_insert((0, targets[0]))
                            .0 += 1;
                    }
                    targets
                }
                What::Detected(d) => {
                    let surface: String = chars[c.start..c.end].iter().collect();
                    let key = (d, d.key(&surface));
                    let i = match self.keys.get(&key) {
                        Some(&i) => {
                            self.entities.add_values(i, &[surface]);
                            i
                        }
                        None => self.entities.find_or_add(d.as_str(), &[surface], source),
                    };
                    self.keys.insert(key, i);
                    vec![i]
                }
            };
            let kind = self.entities.list[targets[0]].kind.clone();
            *counts.entry(kind).or_default() += 1;
            for t in targets {
                let e = &mut self.entities.list[t];
                e.occurrences += 1;
                if e.first.is_none_or(|f| (ordinal, c.start) < f) {
                    e.first = Some((ordinal, c.start));
                }
            }
        }
    }
}

fn mapped(e: &Entity) -> MappedEntity {
    MappedEntity {
        pseudonym: e.pseudonym.clone().unwrap_or_default(),
        kind: e.kind.clone(),
        values: e.values.clone(),
        source: e.source.clone(),
    }
}

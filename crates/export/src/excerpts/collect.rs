//! From codings to excerpts: each coded interview read once, through a
//! view of the stored record that leaves out what excerpts do not need
//! (the interview text, sentences, annotations), so reading is a fraction
//! of [`Store::interview`]'s cost.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use voces_code::{Codebook, Coding};
use voces_corpus::{AttrValue, Attributes, FORMAT_VERSION, Role, Speaker, Store};
use voces_redact::{RedactedInterview, Redactor};

use super::filter::Filters;
use super::{Excerpt, Excerpts, Selection, code_path};
use crate::{Error, Result};

/// Turns codings into excerpts one interview at a time:
/// [`Collector::new`] sorts the codings into one [`Batch`] per interview,
/// [`Collector::read`] (which takes `&self`, so batches may be read on
/// several threads) makes a batch's excerpts, and [`Collector::finish`]
/// puts the parts together in batch order. [`super::collect`] does it on
/// one thread.
pub struct Collector<'a> {
    store: &'a Store,
    attributes: &'a Attributes,
    context: usize,
    filters: Filters,
    sheet_columns: BTreeSet<String>,
    /// Code id → (code path, theme).
    paths: HashMap<String, (String, String)>,
    /// Pseudonymizes what the excerpts show, when set.
    redactor: Option<&'a Redactor>,
}

/// The codings of one interview, sorted by start, code, coder, end and
/// rule; [`Collector::read`] turns them into excerpts.
#[derive(Debug)]
pub struct Batch {
    codings: Vec<Coding>,
}

impl Batch {
    /// The interview's id.
    pub fn interview(&self) -> &str {
        self.codings.first().map_or("", |c| c.interview.as_str())
    }
}

/// The excerpts of one interview, from [`Collector::read`].
#[derive(Debug, Default)]
pub struct Part {
    rows: Vec<Excerpt>,
    missing: Option<String>,
    stale: usize,
    changed: usize,
    attribute_names: Vec<String>,
}

impl<'a> Collector<'a> {
    /// Keeps the codings of [`Selection::codes`] and sorts them into one
    /// batch per interview, in interview order; nothing is read yet.
    pub fn new(
        store: &'a Store,
        attributes: &'a Attributes,
        mut codings: Vec<Coding>,
        codebook: Option<&Codebook>,
        selection: &Selection,
    ) -> (Collector<'a>, Vec<Batch>) {
        if !selection.codes.is_empty() {
            let keep = with_sub_codes(codebook, &selection.codes);
            codings.retain(|c| keep.contains(c.code.as_str()));
        }
        codings.sort_unstable_by(|a, b| {
            (&a.interview, a.start, &a.code, &a.coder, a.end, &a.rule).cmp(&(
                &b.interview,
                b.start,
                &b.code,
                &b.coder,
                b.end,
                &b.rule,
            ))
        });
        let mut paths: HashMap<String, (String, String)> = HashMap::new();
        for c in &codings {
            if !paths.contains_key(&c.code) {
                paths.insert(c.code.clone(), code_path(codebook, &c.code));
            }
        }
        // The sheets' attribute columns (their key columns join, they are
        // not attributes).
        let sheet_columns: BTreeSet<String> = attributes
            .tables()
            .iter()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| c.name != t.key)
                    .map(|c| c.name.clone())
            })
            .collect();
        let mut batches: Vec<Batch> = Vec::new();
        for c in codings {
            match batches.last_mut() {
                Some(b) if b.interview() == c.interview => b.codings.push(c),
                _ => batches.push(Batch { codings: vec![c] }),
            }
        }
        let collector = Collector {
            store,
            attributes,
            context: selection.context,
            filters: Filters::new(&selection.filters, &sheet_columns),
            sheet_columns,
            paths,
            redactor: None,
        };
        (collector, batches)
    }

    /// Pseudonymizes the excerpts: filters still see the real values, but
    /// ids, speakers, attribute values, quotes and their context come from
    /// the redacted interview ([`Redactor::interview`]), offsets mapped
    /// into its text, so a name cut by a quote's edge is replaced whole.
    #[must_use]
    pub fn redact_with(mut self, redactor: &'a Redactor) -> Collector<'a> {
        self.redactor = Some(redactor);
        self
    }

    /// Reads a batch's interview and makes its excerpts.
    pub fn read(&self, batch: Batch) -> Result<Part> {
        let mut part = Part::default();
        let id = batch.interview().to_owned();
        if !self.filters.interview_id_matches(&id) {
            return Ok(part);
        }
        let Some(interview) = self.load(&id)? else {
            part.missing = Some(id);
            return Ok(part);
        };
        let merged =
            self.attributes
                .merged(&id, &interview.source.file_name, &interview.attributes);
        part.attribute_names = merged.keys().cloned().collect();
        if !self.filters.attributes_match(&merged) {
            return Ok(part);
        }
        let redacted = match self.redactor {
            Some(r) => Some((r, r.interview(&self.store.interview(&id)?))),
            None => None,
        };
        let merged = Arc::new(match &redacted {
            Some((r, _)) => r.redact_attributes(&merged),
            None => merged,
        });
        let mut speakers = HashMap::new();
        let mut text = SegmentText::default();
        for coding in batch.codings {
            let Some(segment) = locate(&interview.segments, &coding) else {
                part.stale += 1;
                continue;
            };
            let passes = self.filters.segment_matches(
                &interview.speakers,
                &segment.language,
                segment.role,
                segment.speaker.as_deref(),
                &mut speakers,
            );
            if !passes {
                continue;
            }
            if let Some((r, ri)) = &redacted {
                let Some(row) = redacted_row(r, ri, segment, &coding, self.context, &mut text)
                else {
                    part.changed += 1;
                    continue;
                };
                let (code_path, theme) = self.paths[&coding.code].clone();
                part.rows.push(Excerpt {
                    code: coding.code,
                    code_path,
                    theme,
                    coder: coding.coder,
                    rule: coding.rule,
                    attributes: Arc::clone(&merged),
                    ..row
                });
                continue;
            }
            let (before, after) =
                text.context(segment, &coding, self.context)
                    .unwrap_or_else(|| {
                        part.changed += 1;
                        (String::new(), String::new())
                    });
            let (code_path, theme) = self.paths[&coding.code].clone();
            // The coding's strings move into the excerpt.
            let segment_id = if coding.segment == segment.id {
                coding.segment
            } else {
                segment.id.clone()
            };
            part.rows.push(Excerpt {
                interview: coding.interview,
                segment: segment_id,
                start: coding.start,
                end: coding.end,
                code: coding.code,
                code_path,
                theme,
                coder: coding.coder,
                rule: coding.rule,
                speaker: segment.speaker.clone(),
                role: segment.role,
                language: segment.language.clone(),
                quote: coding.quote,
                before,
                after,
                attributes: Arc::clone(&merged),
            });
        }
        Ok(part)
    }

    /// Puts the parts (one per interview, in order) together. Errors: a
    /// filter on an attribute that neither a sheet nor a coded interview
    /// has.
    pub fn finish(self, parts: Vec<Part>) -> Result<Excerpts> {
        let mut out = Excerpts {
            rows: Vec::with_capacity(parts.iter().map(|p| p.rows.len()).sum()),
            ..Excerpts::default()
        };
        let mut known = self.sheet_columns;
        for p in parts {
            out.rows.extend(p.rows);
            out.missing_interviews.extend(p.missing);
            out.stale += p.stale;
            out.changed += p.changed;
            known.extend(p.attribute_names);
        }
        self.filters.check_attributes(&known)?;
        Ok(out)
    }

    /// The stored interview, `None` when it is no longer stored.
    fn load(&self, id: &str) -> Result<Option<StoredInterview>> {
        let path = self.store.interview_path(id);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path, source }),
        };
        let interview: StoredInterview =
            serde_json::from_slice(&bytes).map_err(|source| voces_corpus::Error::Json {
                path: path.clone(),
                source,
            })?;
        if interview.format > FORMAT_VERSION {
            return Err(voces_corpus::Error::NewerFormat {
                path,
                found: interview.format,
                supported: FORMAT_VERSION,
            }
            .into());
        }
        check_segments(&path, &interview.segments)?;
        Ok(Some(interview))
    }
}

/// What excerpts read of a stored interview.
#[derive(Deserialize)]
struct StoredInterview {
    format: u32,
    source: StoredSource,
    #[serde(default)]
    attributes: BTreeMap<String, AttrValue>,
    speakers: Vec<Speaker>,
    segments: Vec<StoredSegment>,
}

#[derive(Deserialize)]
struct StoredSource {
    file_name: String,
}

/// What excerpts read of a stored segment.
#[derive(Deserialize)]
struct StoredSegment {
    id: String,
    #[serde(default)]
    speaker: Option<String>,
    role: Role,
    start: usize,
    end: usize,
    text: String,
    language: String,
    words: Vec<u32>,
}

/// The excerpt of `coding` as the redacted interview shows it (codes,
/// coder, rule and attributes left for the caller); `None` when the
/// coding no longer fits its segment.
fn redacted_row(
    redactor: &Redactor,
    ri: &RedactedInterview,
    segment: &StoredSegment,
    coding: &Coding,
    context: usize,
    text: &mut SegmentText,
) -> Option<Excerpt> {
    let index = voces_corpus::id::parse_segment_id(&segment.id)?.1;
    let rs = ri.interview.segments.get(index)?;
    let (start, end) = ri.map_span(coding.start, coding.end);
    let view = StoredSegment {
        id: rs.id.clone(),
        speaker: rs.speaker.clone(),
        role: rs.role,
        start: rs.start,
        end: rs.end,
        text: rs.text.clone(),
        language: rs.language.clone(),
        words: rs.words.clone(),
    };
    let shown = Coding {
        start,
        end,
        quote: ri.quote(coding.start, coding.end).to_owned(),
        ..coding.clone()
    };
    let (before, after) = text.context(&view, &shown, context)?;
    Some(Excerpt {
        interview: redactor.redact_id(&coding.interview),
        segment: view.id,
        start,
        end,
        code: String::new(),
        code_path: String::new(),
        theme: String::new(),
        coder: String::new(),
        rule: None,
        speaker: view.speaker,
        role: view.role,
        language: view.language,
        quote: shown.quote,
        before,
        after,
        attributes: Arc::default(),
    })
}

/// The segment offsets excerpts rely on: in order, and each text as long
/// as its span (the store checks more when it reads an interview whole).
fn check_segments(path: &Path, segments: &[StoredSegment]) -> Result<()> {
    let mut previous_end = 0;
    for s in segments {
        if s.start < previous_end || s.end < s.start || s.text.chars().count() != s.end - s.start {
            return Err(voces_corpus::Error::Corrupt {
                path: path.to_owned(),
                message: format!(
                    "segment {} has offsets {}..{} out of order or unlike its text",
                    s.id, s.start, s.end
                ),
            }
            .into());
        }
        previous_end = s.end;
    }
    Ok(())
}

/// The codes in `codes` and every code below them in the codebook tree.
fn with_sub_codes<'a>(codebook: Option<&'a Codebook>, codes: &'a [String]) -> BTreeSet<&'a str> {
    let mut out: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = codes.iter().map(String::as_str).collect();
    while let Some(code) = todo.pop() {
        // The set guards against cycles in a hand-built codebook.
        if out.insert(code)
            && let Some(book) = codebook
        {
            todo.extend(book.children(code).map(|c| c.id.as_str()));
        }
    }
    out
}

/// The segment holding a coding: by its id when that segment still holds
/// the span, else the one whose span holds it.
fn locate<'s>(segments: &'s [StoredSegment], coding: &Coding) -> Option<&'s StoredSegment> {
    let holds = |s: &StoredSegment| s.start <= coding.start && coding.end <= s.end;
    let by_id = voces_corpus::id::parse_segment_id(&coding.segment)
        .and_then(|(_, i)| segments.get(i))
        .filter(|s| s.id == coding.segment && holds(s));
    by_id.or_else(|| {
        let i = segments.partition_point(|s| s.end < coding.end);
        segments.get(i).filter(|s| holds(s))
    })
}

/// Byte offsets of the characters of the last segment looked at, for
/// slicing it by character offsets.
#[derive(Default)]
struct SegmentText {
    segment: Option<String>,
    bytes: Vec<usize>,
}

impl SegmentText {
    /// (before, after) of a coding in its segment, with `n` words each
    /// (empty for 0); `None` when the quote is no longer the segment's text
    /// at the coding's span.
    fn context(
        &mut self,
        segment: &StoredSegment,
        coding: &Coding,
        n: usize,
    ) -> Option<(String, String)> {
        if self.segment.as_deref() != Some(segment.id.as_str()) {
            self.bytes.clear();
            self.bytes
                .extend(segment.text.char_indices().map(|(b, _)| b));
            self.bytes.push(segment.text.len());
            self.segment = Some(segment.id.clone());
        }
        let chars = self.bytes.len() - 1;
        let (a, b) = (coding.start - segment.start, coding.end - segment.start);
        if a > b || b > chars || segment.text[self.bytes[a]..self.bytes[b]] != coding.quote {
            return None;
        }
        if n == 0 {
            return Some((String::new(), String::new()));
        }
        let words: Vec<(usize, usize)> = segment
            .words
            .chunks_exact(2)
            .map(|w| (w[0] as usize, w[1] as usize))
            .collect();
        // Words wholly before the quote, and the first wholly after it.
        let before_count = words.partition_point(|w| w.1 <= a);
        let after_first = words.partition_point(|w| w.0 < b);
        let from = if before_count <= n {
            0
        } else {
            words[before_count - n].0
        };
        let to = if words.len() - after_first <= n {
            chars
        } else {
            words[after_first + n - 1].1
        };
        // `min` and `max` keep a damaged word list from slicing backwards.
        let slice = |x: usize, y: usize| segment.text[self.bytes[x]..self.bytes[y]].to_owned();
        Some((slice(from.min(a), a), slice(b, to.clamp(b, chars))))
    }
}

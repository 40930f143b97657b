//! Collecting hits: document order or BM25, counts per interview, and the
//! matched words of each hit.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};
use voces_corpus::Role;

use crate::analysis::{AnalyzedToken, Analyzer};
use crate::compile::{Highlight, PhraseSpec, Spec, Target};
use crate::schema::{INTERVIEW, POSITION};

/// How to run a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// Most hits returned ([`SearchResults::total_hits`] counts them all).
    pub limit: usize,
    /// Order by relevance (BM25) instead of document order (interview id,
    /// then segment position).
    pub rank: bool,
    /// Count only: return no hits, just the totals.
    pub count_only: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 100,
            rank: false,
            count_only: false,
        }
    }
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Matching segments, all of them.
    pub total_hits: usize,
    /// Distinct interviews among all matching segments.
    pub total_interviews: usize,
    /// The first `limit` matching segments, in the order asked for.
    pub hits: Vec<Hit>,
}

/// A half-open span `[start, end)` of character offsets into
/// [`Hit::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MatchSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A matching segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Interview id.
    pub interview: String,
    /// Segment id (`<interview>#<n>`).
    pub segment: String,
    /// Position of the segment in the interview, from 0.
    pub position: usize,
    /// Speaker label, when the turn has one.
    pub speaker: Option<String>,
    /// Role of the speaker.
    pub role: Role,
    /// Language of the segment (ISO 639-1).
    pub lang: String,
    /// Start time in seconds, when the source is timed.
    pub start_time: Option<f64>,
    /// End time in seconds, when the source is timed.
    pub end_time: Option<f64>,
    /// Character offset of the segment in the interview text.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// File name of the transcript.
    pub file_name: String,
    /// BM25 score, when ranked.
    pub score: Option<f32>,
    /// The segment's text.
    pub text: String,
    /// The words and phrases that matched, as character spans of
    /// [`Hit::text`], sorted, not overlapping.
    pub matches: Vec<MatchSpan>,
    /// Attributes of the interview (as indexed), by name.
    pub attributes: BTreeMap<String, String>,
}

/// Hits and distinct interviews for one value of an attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value, `None` for interviews without the attribute.
    pub value: Option<String>,
    /// Matching segments.
    pub hits: usize,
    /// Distinct interviews among them.
    pub interviews: usize,
}

impl FacetCount {
    /// Text shown for segments without the attribute.
    pub const NONE_LABEL: &'static str = "(none)";

    /// The value, or [`FacetCount::NONE_LABEL`].
    pub fn label(&self) -> &str {
        self.value.as_deref().unwrap_or(Self::NONE_LABEL)
    }
}

// ---------------------------------------------------------------------------
// Hit collector

/// A collected hit before its stored fields are read.
#[derive(Debug, Clone)]
pub(crate) struct RawHit {
    pub score: Score,
    pub interview: String,
    pub position: u64,
    pub address: DocAddress,
}

pub(crate) struct HitsFruit {
    pub total: usize,
    pub interviews: usize,
    pub hits: Vec<RawHit>,
}

/// Collects the first `limit` hits in document order or by score, the
/// total, and the distinct interviews, from the `interview` and `position`
/// fast fields.
pub(crate) struct HitCollector {
    pub limit: usize,
    pub by_score: bool,
}

pub(crate) struct SegmentHits {
    segment: SegmentOrdinal,
    limit: usize,
    by_score: bool,
    interviews: Option<StrColumn>,
    positions: Column<u64>,
    seen: Vec<bool>,
    total: usize,
    /// (score, interview ord, position, doc)
    hits: Vec<(Score, u64, u64, DocId)>,
}

fn interview_column(reader: &SegmentReader) -> tantivy::Result<Option<StrColumn>> {
    reader.fast_fields().str(INTERVIEW)
}

impl Collector for HitCollector {
    type Fruit = HitsFruit;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        let interviews = interview_column(reader)?;
        let terms = interviews.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentHits {
            segment,
            limit: self.limit,
            by_score: self.by_score,
            interviews,
            positions: reader.fast_fields().u64(POSITION)?,
            seen: vec![false; terms],
            total: 0,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.by_score
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<HitsFruit> {
        let mut total = 0;
        let mut interviews = HashSet::new();
        let mut hits = Vec::new();
        for f in fruits {
            total += f.total;
            interviews.extend(f.interviews);
            hits.extend(f.hits);
        }
        hits.sort_by(|a, b| {
            compare(
                self.by_score,
                &(a.score, &a.interview, a.position),
                &(b.score, &b.interview, b.position),
            )
        });
        hits.truncate(self.limit);
        Ok(HitsFruit {
            total,
            interviews: interviews.len(),
            hits,
        })
    }
}

/// Orders by score (high first, when `by_score`), then by interview and
/// position.
fn compare<K: Ord>(by_score: bool, a: &(Score, K, u64), b: &(Score, K, u64)) -> Ordering {
    let by = if by_score {
        b.0.total_cmp(&a.0)
    } else {
        Ordering::Equal
    };
    by.then_with(|| a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

pub(crate) struct SegmentFruit {
    total: usize,
    interviews: Vec<String>,
    hits: Vec<RawHit>,
}

impl SegmentCollector for SegmentHits {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        let ord = self
            .interviews
            .as_ref()
            .and_then(|c| c.ords().first(doc))
            .unwrap_or(u64::MAX);
        if let Some(seen) = self.seen.get_mut(ord as usize) {
            *seen = true;
        }
        if self.limit > 0 {
            let position = self.positions.first(doc).unwrap_or(0);
            self.hits.push((score, ord, position, doc));
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        let by_score = self.by_score;
        self.hits
            .sort_by(|a, b| compare(by_score, &(a.0, a.1, a.2), &(b.0, b.1, b.2)));
        self.hits.truncate(self.limit);
        // Interview names of the seen ordinals and of the kept hits, in one
        // sorted pass over the dictionary: looking ordinals up one by one
        // decompresses a dictionary block each time.
        let seen: Vec<u64> = self
            .seen
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(ord, _)| ord as u64)
            .collect();
        let names = ord_names(self.interviews.as_ref(), &seen);
        let name_of = |ord: u64| -> String {
            seen.binary_search(&ord)
                .ok()
                .and_then(|i| names.get(i).cloned())
                .unwrap_or_default()
        };
        let hits = self
            .hits
            .iter()
            .map(|&(score, ord, position, doc)| RawHit {
                score,
                interview: name_of(ord),
                position,
                address: DocAddress::new(self.segment, doc),
            })
            .collect();
        SegmentFruit {
            total: self.total,
            interviews: names,
            hits,
        }
    }
}

/// The strings of sorted dictionary ordinals of a string column, in order.
fn ord_names(column: Option<&StrColumn>, ords: &[u64]) -> Vec<String> {
    let mut names = Vec::with_capacity(ords.len());
    if let Some(column) = column {
        let _ = column.dictionary().sorted_ords_to_term_cb(ords, |bytes| {
            names.push(String::from_utf8_lossy(bytes).into_owned());
        });
    }
    names.resize(ords.len(), String::new());
    names
}

// ---------------------------------------------------------------------------
// Hits per interview, for facets

/// Counts matching segments per interview from the `interview` fast field.
pub(crate) struct PerInterview;

pub(crate) struct SegmentPerInterview {
    interviews: Option<StrColumn>,
    counts: Vec<usize>,
}

impl Collector for PerInterview {
    type Fruit = HashMap<String, usize>;
    type Child = SegmentPerInterview;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPerInterview> {
        let interviews = interview_column(reader)?;
        let terms = interviews.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentPerInterview {
            interviews,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(String, usize)>>,
    ) -> tantivy::Result<HashMap<String, usize>> {
        let mut out = HashMap::new();
        for (id, n) in fruits.into_iter().flatten() {
            *out.entry(id).or_default() += n;
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentPerInterview {
    type Fruit = Vec<(String, usize)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(ord) = self.interviews.as_ref().and_then(|c| c.ords().first(doc))
            && let Some(n) = self.counts.get_mut(ord as usize)
        {
            *n += 1;
        }
    }

    fn harvest(self) -> Vec<(String, usize)> {
        let (ords, counts): (Vec<u64>, Vec<usize>) = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(ord, n)| (ord as u64, *n))
            .unzip();
        ord_names(self.interviews.as_ref(), &ords)
            .into_iter()
            .zip(counts)
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Matched spans

/// The spans of `text` that the query's positive words, phrases and
/// prefixes match: `text` is analyzed again with the analyzer of each target
/// (its language field, exact, plain).
pub(crate) fn match_spans(
    highlight: &Highlight,
    text: &str,
    analyzer_of: impl Fn(Target) -> Option<Analyzer>,
) -> Vec<MatchSpan> {
    let mut spans = Vec::new();
    for (&target, spec) in &highlight.specs {
        let Some(analyzer) = analyzer_of(target) else {
            continue;
        };
        find(spec, &analyzer.tokens(text), &mut spans);
    }
    merge(spans)
}

fn find(spec: &Spec, tokens: &[AnalyzedToken], out: &mut Vec<MatchSpan>) {
    for t in tokens {
        if spec.terms.contains(&t.text) {
            out.push(MatchSpan {
                start: t.start,
                end: t.end,
            });
        }
    }
    if spec.phrases.is_empty() || tokens.is_empty() {
        return;
    }
    // Words by position: the terms there and the word's span.
    let last = tokens.iter().map(|t| t.position).max().unwrap_or(0);
    let mut words: Vec<(Vec<&str>, MatchSpan)> =
        vec![(Vec::new(), MatchSpan { start: 0, end: 0 }); last + 1];
    for t in tokens {
        let w = &mut words[t.position];
        w.0.push(&t.text);
        w.1 = MatchSpan {
            start: t.start,
            end: t.end,
        };
    }
    for phrase in &spec.phrases {
        find_phrase(phrase, &words, out);
    }
}

fn term_at(phrase: &PhraseSpec, i: usize, terms: &[&str]) -> bool {
    let want = phrase.terms[i].1.as_str();
    if phrase.prefix && i + 1 == phrase.terms.len() {
        terms.iter().any(|t| t.starts_with(want))
    } else {
        terms.contains(&want)
    }
}

fn find_phrase(phrase: &PhraseSpec, words: &[(Vec<&str>, MatchSpan)], out: &mut Vec<MatchSpan>) {
    let n = phrase.terms.len();
    if phrase.slop == 0 {
        let span = phrase.terms.last().map_or(0, |t| t.0);
        for p in 0..words.len().saturating_sub(span) {
            if (0..n).all(|i| term_at(phrase, i, &words[p + phrase.terms[i].0].0)) {
                out.push(MatchSpan {
                    start: words[p].1.start,
                    end: words[p + span].1.end,
                });
            }
        }
        return;
    }
    // Proximity: mark each phrase word that has every other phrase word
    // within a window of the phrase's length plus the slop.
    let window = phrase.terms.last().map_or(0, |t| t.0) + phrase.slop as usize;
    for (p, (terms, span)) in words.iter().enumerate() {
        let Some(i) = (0..n).find(|&i| term_at(phrase, i, terms)) else {
            continue;
        };
        let lo = p.saturating_sub(window);
        let hi = (p + window).min(words.len() - 1);
        let all = (0..n)
            .filter(|&j| j != i)
            .all(|j| (lo..=hi).any(|q| q != p && term_at(phrase, j, &words[q].0)));
        if all {
            out.push(*span);
        }
    }
}

/// Sorts spans and merges those that overlap.
fn merge(mut spans: Vec<MatchSpan>) -> Vec<MatchSpan> {
    spans.sort();
    let mut out: Vec<MatchSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

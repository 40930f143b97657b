//! Collecting hits: document order or BM25, counts per interview, and the
//! matched words of each hit.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal};
use voces_corpus::Role;

use crate::analysis::{Analyzer, Words};
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
// Interview ordinals

/// The interview ids of a searcher, numbered in sorted order, and the
/// interview of every document.
///
/// Each tantivy segment numbers the ids it holds in its own `interview`
/// dictionary (sorted). The global ordinal of an id is its rank among the
/// ids of every segment, so comparing ordinals compares ids, a bitset over
/// them counts distinct interviews, and the ids of hits are read from
/// [`Interviews::names`] without touching a dictionary.
///
/// A segment holds the documents of an interview in a few runs of
/// consecutive documents (one per batch the writer indexed), so each
/// segment keeps its runs: a search moving through its hits in document
/// order finds their interview by comparing document numbers, and does the
/// work of a new interview (count it, compare it with the hits kept) once
/// per run instead of once per hit. Built once per searcher generation.
#[derive(Debug)]
pub(crate) struct Interviews {
    /// The searcher generation it was built for.
    pub generation: u64,
    /// Every interview id, sorted, by global ordinal.
    pub names: Vec<String>,
    /// The runs of each segment, by segment ordinal.
    segments: Vec<Arc<Runs>>,
    /// The position column of each segment, by segment ordinal. Opening
    /// one reads the header of each of its blocks (thousands in a large
    /// segment): done once per generation, not once per search.
    positions: Vec<Column<u64>>,
}

impl Interviews {
    pub fn build(searcher: &Searcher) -> tantivy::Result<Interviews> {
        let readers = searcher.segment_readers();
        let mut local: Vec<Vec<String>> = Vec::with_capacity(readers.len());
        for reader in readers {
            let mut names = Vec::new();
            if let Some(column) = interview_column(reader)? {
                let mut stream = column.dictionary().stream()?;
                while stream.advance() {
                    names.push(String::from_utf8_lossy(stream.key()).into_owned());
                }
            }
            local.push(names);
        }
        let mut all: Vec<&str> = local.iter().flatten().map(String::as_str).collect();
        all.sort_unstable();
        all.dedup();
        let names: Vec<String> = all.into_iter().map(str::to_owned).collect();
        let mut segments = Vec::with_capacity(readers.len());
        let mut positions = Vec::with_capacity(readers.len());
        for (reader, ids) in readers.iter().zip(&local) {
            positions.push(reader.fast_fields().u64(POSITION)?);
            // Both sorted: one walk.
            let mut g = 0;
            let global: Vec<u32> = ids
                .iter()
                .map(|id| {
                    while names[g] < *id {
                        g += 1;
                    }
                    g as u32
                })
                .collect();
            segments.push(Arc::new(Runs::of(reader, &global)?));
        }
        Ok(Interviews {
            generation: searcher.generation().generation_id(),
            names,
            segments,
            positions,
        })
    }

    /// The position column of a segment.
    fn positions(&self, segment: SegmentOrdinal) -> tantivy::Result<Column<u64>> {
        self.positions
            .get(segment as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(format!(
                    "segment {segment} is not in the searcher the interview table was built for"
                ))
            })
    }

    /// The id of a global ordinal (empty for [`NO_INTERVIEW`]).
    pub fn name(&self, ordinal: u32) -> &str {
        self.names.get(ordinal as usize).map_or("", String::as_str)
    }

    /// A cursor over the runs of a segment.
    fn cursor(&self, segment: SegmentOrdinal) -> Cursor {
        Cursor {
            runs: self
                .segments
                .get(segment as usize)
                .cloned()
                .unwrap_or_default(),
            run: 0,
            start: 1,
            end: 0,
            interview: NO_INTERVIEW,
        }
    }
}

/// The global ordinal of a document without an interview (none in an index
/// voces wrote).
const NO_INTERVIEW: u32 = u32::MAX;

/// The runs of a segment: run `i` is the documents from `starts[i]` to
/// the next start, of interview `interviews[i]` (global ordinal).
#[derive(Debug, Default)]
struct Runs {
    starts: Vec<DocId>,
    interviews: Vec<u32>,
}

impl Runs {
    /// Reads the `interview` column of a segment once; `global` maps its
    /// dictionary ordinals to global ones.
    fn of(reader: &SegmentReader, global: &[u32]) -> tantivy::Result<Runs> {
        let mut runs = Runs::default();
        let column = interview_column(reader)?.map(|c| c.ords().clone());
        let mut push = |doc: DocId, interview: u32| {
            if runs.interviews.last() != Some(&interview) {
                runs.starts.push(doc);
                runs.interviews.push(interview);
            }
        };
        let max_doc = reader.max_doc();
        match column {
            Some(column) if column.get_cardinality() == Cardinality::Full => {
                let mut chunk = vec![0u64; 4096];
                let mut start = 0;
                while start < max_doc {
                    let n = (max_doc - start).min(chunk.len() as DocId) as usize;
                    column.values.get_range(u64::from(start), &mut chunk[..n]);
                    for (doc, &ord) in (start..).zip(&chunk[..n]) {
                        push(
                            doc,
                            global.get(ord as usize).copied().unwrap_or(NO_INTERVIEW),
                        );
                    }
                    start += n as DocId;
                }
            }
            Some(column) => {
                for doc in 0..max_doc {
                    let ord = column.first(doc);
                    let interview = ord.and_then(|o| global.get(o as usize).copied());
                    push(doc, interview.unwrap_or(NO_INTERVIEW));
                }
            }
            None if max_doc > 0 => push(0, NO_INTERVIEW),
            None => {}
        }
        Ok(runs)
    }
}

/// Where a segment collector is among the runs of its segment.
struct Cursor {
    runs: Arc<Runs>,
    /// The current run, its documents `start..end` and interview.
    run: usize,
    start: DocId,
    end: DocId,
    interview: u32,
}

impl Cursor {
    /// Moves to the run of `doc`: true when it is another run.
    #[inline]
    fn at(&mut self, doc: DocId) -> bool {
        if self.start <= doc && doc < self.end {
            return false;
        }
        self.seek(doc);
        true
    }

    fn seek(&mut self, doc: DocId) {
        let starts = &self.runs.starts;
        // Hits come in document order: mostly the next run.
        let next = self.run + 1;
        let run = if next < starts.len()
            && starts[next] <= doc
            && starts.get(next + 1).is_none_or(|&s| doc < s)
        {
            next
        } else {
            starts.partition_point(|&s| s <= doc).saturating_sub(1)
        };
        self.run = run;
        self.start = starts.get(run).copied().unwrap_or(0);
        self.end = starts.get(run + 1).copied().unwrap_or(DocId::MAX);
        self.interview = self
            .runs
            .interviews
            .get(run)
            .copied()
            .unwrap_or(NO_INTERVIEW);
    }
}

fn interview_column(reader: &SegmentReader) -> tantivy::Result<Option<StrColumn>> {
    reader.fast_fields().str(INTERVIEW)
}

/// A set of global interview ordinals.
#[derive(Debug, Clone, Default)]
struct Bitset(Vec<u64>);

impl Bitset {
    fn with_len(n: usize) -> Bitset {
        Bitset(vec![0; n.div_ceil(64)])
    }

    #[inline]
    fn insert(&mut self, ordinal: u32) {
        if let Some(w) = self.0.get_mut(ordinal as usize / 64) {
            *w |= 1 << (ordinal % 64);
        }
    }

    fn union(&mut self, other: &Bitset) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

// ---------------------------------------------------------------------------
// Hit collector

/// A collected hit before its stored fields are read.
#[derive(Debug, Clone)]
pub(crate) struct RawHit {
    pub score: Score,
    /// Global interview ordinal ([`Interviews`]).
    pub interview: u32,
    pub position: u64,
    pub address: DocAddress,
}

pub(crate) struct HitsFruit {
    pub total: usize,
    pub interviews: usize,
    pub hits: Vec<RawHit>,
}

/// Collects the total, the distinct interviews, and the first `limit` hits
/// in document order or by score, from the `interview` and `position` fast
/// fields. Each segment keeps its best `limit` hits in a bounded heap, so
/// a search with a million hits sorts none of them.
pub(crate) struct HitCollector {
    pub limit: usize,
    pub by_score: bool,
    pub interviews: Arc<Interviews>,
}

/// The order of hits: by score (high first; all scores are 0 in document
/// order), then interview, then position, then document.
#[derive(Debug, Clone, Copy)]
struct Key {
    score: Score,
    interview: u32,
    position: u64,
    doc: DocId,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.interview.cmp(&other.interview))
            .then(self.position.cmp(&other.position))
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

pub(crate) struct SegmentHits {
    segment: SegmentOrdinal,
    limit: usize,
    by_score: bool,
    cursor: Cursor,
    /// The hits of the current run cannot be among the first `limit`.
    skip_run: bool,
    positions: Column<u64>,
    seen: Bitset,
    total: usize,
    /// The best `limit` hits so far; the worst on top.
    top: BinaryHeap<Key>,
}

impl Collector for HitCollector {
    type Fruit = HitsFruit;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        Ok(SegmentHits {
            segment,
            limit: self.limit,
            by_score: self.by_score,
            cursor: self.interviews.cursor(segment),
            skip_run: false,
            positions: self.interviews.positions(segment)?,
            seen: Bitset::with_len(self.interviews.names.len()),
            total: 0,
            top: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.by_score
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<HitsFruit> {
        let mut total = 0;
        let mut seen = Bitset::default();
        let mut hits: Vec<(Key, SegmentOrdinal)> = Vec::new();
        for f in fruits {
            total += f.total;
            seen.union(&f.seen);
            hits.extend(f.top.into_iter().map(|k| (k, f.segment)));
        }
        hits.sort_unstable();
        hits.truncate(self.limit);
        Ok(HitsFruit {
            total,
            interviews: seen.len(),
            hits: hits
                .into_iter()
                .map(|(k, segment)| RawHit {
                    score: k.score,
                    interview: k.interview,
                    position: k.position,
                    address: DocAddress::new(segment, k.doc),
                })
                .collect(),
        })
    }
}

pub(crate) struct SegmentFruit {
    segment: SegmentOrdinal,
    total: usize,
    seen: Bitset,
    top: Vec<Key>,
}

impl SegmentHits {
    /// Keeps a hit of the current run if it is among the best `limit` so
    /// far.
    #[inline]
    fn offer(&mut self, doc: DocId, score: Score) {
        let interview = self.cursor.interview;
        if self.top.len() >= self.limit
            && let Some(worst) = self.top.peek()
        {
            let by = worst
                .score
                .total_cmp(&score)
                .then(interview.cmp(&worst.interview));
            if by == Ordering::Greater {
                return;
            }
        }
        let key = Key {
            score,
            interview,
            position: self.positions.first(doc).unwrap_or(0),
            doc,
        };
        if self.top.len() < self.limit {
            self.top.push(key);
        } else if let Some(mut worst) = self.top.peek_mut()
            && key < *worst
        {
            *worst = key;
        }
    }

    /// The first hit of a run: counts its interview, and decides whether
    /// its hits can be among the first `limit`. In document order a full
    /// heap of hits of earlier interviews excludes the whole run; the worst
    /// kept hit only gets better, so the decision holds for the run.
    fn enter_run(&mut self) {
        let interview = self.cursor.interview;
        self.seen.insert(interview);
        self.skip_run = self.limit == 0
            || (!self.by_score
                && self.top.len() >= self.limit
                && self.top.peek().is_some_and(|w| interview > w.interview));
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = SegmentFruit;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        if self.cursor.at(doc) {
            self.enter_run();
        }
        if !self.skip_run {
            self.offer(doc, if self.by_score { score } else { 0.0 });
        }
    }

    /// Documents without scores, in order (the hits of a search without
    /// ranking): handled a run at a time.
    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len();
        let mut rest = docs;
        while let Some(&first) = rest.first() {
            if self.cursor.at(first) {
                self.enter_run();
            }
            let end = self.cursor.end;
            let (run, tail) = rest.split_at(rest.partition_point(|&d| d < end).max(1));
            if !self.skip_run {
                for &doc in run {
                    self.offer(doc, 0.0);
                }
            }
            rest = tail;
        }
    }

    fn harvest(self) -> SegmentFruit {
        SegmentFruit {
            segment: self.segment,
            total: self.total,
            seen: self.seen,
            top: self.top.into_vec(),
        }
    }
}

// ---------------------------------------------------------------------------
// Where hits are, without their text

/// The (global interview ordinal, segment position) of every matching
/// document, from the fast fields only: no stored document is read.
pub(crate) struct Locator {
    pub interviews: Arc<Interviews>,
}

pub(crate) struct SegmentLocator {
    cursor: Cursor,
    position: Column<u64>,
    found: Vec<(u32, u64)>,
}

impl Collector for Locator {
    type Fruit = Vec<(u32, u64)>;
    type Child = SegmentLocator;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentLocator> {
        Ok(SegmentLocator {
            cursor: self.interviews.cursor(segment),
            position: self.interviews.positions(segment)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, u64)>>) -> tantivy::Result<Vec<(u32, u64)>> {
        let mut all: Vec<(u32, u64)> = fruits.into_iter().flatten().collect();
        all.sort_unstable();
        Ok(all)
    }
}

impl SegmentCollector for SegmentLocator {
    type Fruit = Vec<(u32, u64)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.cursor.at(doc);
        if let Some(position) = self.position.first(doc) {
            self.found.push((self.cursor.interview, position));
        }
    }

    fn harvest(self) -> Vec<(u32, u64)> {
        self.found
    }
}

// ---------------------------------------------------------------------------
// Hits per interview, for facets

/// Counts matching segments per interview from the `interview` fast field.
pub(crate) struct PerInterview {
    pub interviews: Arc<Interviews>,
}

pub(crate) struct SegmentPerInterview {
    cursor: Cursor,
    /// By global ordinal.
    counts: Vec<usize>,
}

impl Collector for PerInterview {
    /// Matching segments by global interview ordinal.
    type Fruit = Vec<usize>;
    type Child = SegmentPerInterview;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPerInterview> {
        Ok(SegmentPerInterview {
            cursor: self.interviews.cursor(segment),
            counts: vec![0; self.interviews.names.len()],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<usize>>) -> tantivy::Result<Vec<usize>> {
        let mut out = vec![0; self.interviews.names.len()];
        for counts in fruits {
            for (a, b) in out.iter_mut().zip(counts) {
                *a += b;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentPerInterview {
    type Fruit = Vec<usize>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let mut rest = docs;
        while let Some(&first) = rest.first() {
            self.cursor.at(first);
            let end = self.cursor.end;
            let n = rest.partition_point(|&d| d < end).max(1);
            if let Some(count) = self.counts.get_mut(self.cursor.interview as usize) {
                *count += n;
            }
            rest = &rest[n..];
        }
    }

    fn harvest(self) -> Vec<usize> {
        self.counts
    }
}

// ---------------------------------------------------------------------------
// Matched spans

/// Finds the spans of hit texts that the query's positive words, phrases
/// and prefixes match, as the index matched them: with the analyzer of each
/// target (the hit's language field, exact, plain).
///
/// Every filter of those analyzers works on one word at a time, so a word
/// analyzes the same alone as in its sentence: each distinct word of a
/// search's hits is analyzed once per target, and remembered as the parts
/// of the query it satisfies. A hit's text is then only split into words
/// and looked up.
pub(crate) struct Highlighter<'a> {
    targets: Vec<TargetWords<'a>>,
    /// Scratch: the words of a text.
    words: Vec<Word>,
}

/// A word of a text: byte range and character range.
type Word = (Range<usize>, Range<usize>);

/// The words seen under one target, and what of its spec they satisfy.
struct TargetWords<'a> {
    target: Target,
    spec: &'a Spec,
    analyzer: TextAnalyzer,
    /// Part number of the first term of each phrase of `spec`: part 0 is
    /// "one of `spec.terms`", part `first[k] + i` is term `i` of phrase `k`.
    first: Vec<u32>,
    /// Word as written → index in `parts`.
    known: FxHashMap<String, u32>,
    /// Sorted part lists; the first is empty.
    parts: Vec<Box<[u32]>>,
    /// Scratch: the terms of a word.
    terms: Vec<String>,
}

impl<'a> Highlighter<'a> {
    /// A highlighter for one search; `analyzer_of` gives the analyzer of
    /// each target.
    pub fn new<'b>(
        highlight: &'a Highlight,
        analyzer_of: impl Fn(Target) -> Option<&'b Analyzer>,
    ) -> Highlighter<'a> {
        let targets = highlight
            .specs
            .iter()
            .filter_map(|(&target, spec)| {
                let analyzer = analyzer_of(target)?.text_analyzer();
                let mut first = Vec::with_capacity(spec.phrases.len());
                let mut next = 1u32;
                for p in &spec.phrases {
                    first.push(next);
                    next += p.terms.len() as u32;
                }
                Some(TargetWords {
                    target,
                    spec,
                    analyzer,
                    first,
                    known: FxHashMap::default(),
                    parts: vec![Box::default()],
                    terms: Vec::new(),
                })
            })
            .collect();
        Highlighter {
            targets,
            words: Vec::new(),
        }
    }

    /// The matched spans of `text` (character offsets), sorted, merged
    /// where they overlap, under the targets `applies` keeps.
    pub fn spans(&mut self, text: &str, applies: impl Fn(Target) -> bool) -> Vec<MatchSpan> {
        let mut spans = Vec::new();
        let mut targets = self.targets.iter_mut().filter(|t| applies(t.target));
        match (targets.next(), targets.next()) {
            (None, _) => {}
            // One target (a hit's language field, mostly): split as it goes.
            (Some(t), None) => t.find(text, Words::new(text), &mut spans),
            (Some(a), Some(b)) => {
                self.words.clear();
                self.words.extend(Words::new(text));
                for t in [a, b].into_iter().chain(targets) {
                    t.find(text, self.words.iter().cloned(), &mut spans);
                }
            }
        }
        merge(spans)
    }
}

impl TargetWords<'_> {
    /// The index in `parts` of what `word` satisfies.
    #[inline]
    fn parts_of(&mut self, word: &str) -> u32 {
        match self.known.get(word) {
            Some(&n) => n,
            None => self.analyze(word),
        }
    }

    fn analyze(&mut self, word: &str) -> u32 {
        self.terms.clear();
        let mut stream = self.analyzer.token_stream(word);
        while let Some(t) = stream.next() {
            self.terms.push(t.text.clone());
        }
        let terms = &self.terms;
        let mut parts = Vec::new();
        if terms.iter().any(|t| self.spec.terms.contains(t)) {
            parts.push(0);
        }
        for (phrase, first) in self.spec.phrases.iter().zip(&self.first) {
            let last = phrase.terms.len() - 1;
            for (i, (_, want)) in phrase.terms.iter().enumerate() {
                let found = if phrase.prefix && i == last {
                    terms.iter().any(|t| t.starts_with(want.as_str()))
                } else {
                    terms.contains(want)
                };
                if found {
                    parts.push(first + i as u32);
                }
            }
        }
        let n = if parts.is_empty() {
            0
        } else {
            self.parts.push(parts.into_boxed_slice());
            (self.parts.len() - 1) as u32
        };
        self.known.insert(word.to_owned(), n);
        n
    }

    fn find(&mut self, text: &str, words: impl Iterator<Item = Word>, out: &mut Vec<MatchSpan>) {
        let span = |chars: Range<usize>| MatchSpan {
            start: chars.start,
            end: chars.end,
        };
        if self.spec.phrases.is_empty() {
            for (bytes, chars) in words {
                if self.parts_of(&text[bytes]) != 0 {
                    out.push(span(chars));
                }
            }
            return;
        }
        let mut ids = Vec::new();
        let mut spans = Vec::new();
        for (bytes, chars) in words {
            let id = self.parts_of(&text[bytes]);
            if self.parts[id as usize].first() == Some(&0) {
                out.push(span(chars.clone()));
            }
            ids.push(id);
            spans.push(span(chars));
        }
        let at: Vec<&[u32]> = ids.iter().map(|&id| &*self.parts[id as usize]).collect();
        for (phrase, &first) in self.spec.phrases.iter().zip(&self.first) {
            find_phrase(phrase, first, &at, &spans, out);
        }
    }
}

/// Finds a phrase in the words of a text, given the parts each word
/// satisfies (`at`, by position) and the part of the phrase's first term.
fn find_phrase(
    phrase: &PhraseSpec,
    first: u32,
    at: &[&[u32]],
    spans: &[MatchSpan],
    out: &mut Vec<MatchSpan>,
) {
    let span = |p: usize| spans[p];
    let n = phrase.terms.len();
    let term_at = |i: usize, p: usize| at[p].contains(&(first + i as u32));
    let width = phrase.terms.last().map_or(0, |t| t.0);
    if phrase.slop == 0 {
        for p in 0..at.len().saturating_sub(width) {
            if (0..n).all(|i| term_at(i, p + phrase.terms[i].0)) {
                out.push(MatchSpan {
                    start: span(p).start,
                    end: span(p + width).end,
                });
            }
        }
        return;
    }
    // Proximity: mark each phrase word that has every other phrase word
    // within a window of the phrase's length plus the slop.
    let window = width + phrase.slop as usize;
    for p in 0..at.len() {
        let Some(i) = (0..n).find(|&i| term_at(i, p)) else {
            continue;
        };
        let lo = p.saturating_sub(window);
        let hi = (p + window).min(at.len() - 1);
        let all = (0..n)
            .filter(|&j| j != i)
            .all(|j| (lo..=hi).any(|q| q != p && term_at(j, q)));
        if all {
            out.push(span(p));
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

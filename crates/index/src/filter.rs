//! `role:` and `lang:` as filters on their fast columns.
//!
//! A role or a language holds a large share of the segments. As a clause
//! of an intersection, its long posting list is sought at every candidate
//! of the other clauses, and those are walked one document at a time
//! instead of in blocks: `(job OR work OR ... 20 words) role:participant`
//! took about two and a half times as long as it does with the filter read
//! from the column (the benchmark's 256 MiB corpus). When such filters
//! are clauses of the whole query and the search does not rank,
//! [`Filtered`] runs the rest of the query alone, the fastest way it runs,
//! and keeps the documents whose column holds each filter's value: the
//! matches of the intersection, at the cost of the rest of the query plus a
//! column read per match of it. (`interview:` stays a term: one interview's
//! few documents are best led by its posting list.)
//!
//! A ranked search keeps the filters as terms, whose scores are part of the
//! hits' scores.

use tantivy::columnar::{Cardinality, Column};
use tantivy::index::SegmentReader;
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, TERMINATED, TantivyError, Term};

/// Fast text fields (indexed raw, as their columns hold them) and the value
/// each must hold.
pub(crate) type FieldValues = Vec<(&'static str, String)>;

/// `inner`, keeping the documents whose fast column `field` holds `value`,
/// for each `(field, value)` of `filters`.
#[derive(Debug)]
pub(crate) struct Filtered {
    pub inner: Box<dyn Query>,
    pub filters: FieldValues,
}

impl Clone for Filtered {
    fn clone(&self) -> Filtered {
        Filtered {
            inner: self.inner.box_clone(),
            filters: self.filters.clone(),
        }
    }
}

impl Query for Filtered {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(FilteredWeight {
            inner: self.inner.weight(scoring)?,
            filters: self.filters.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct FilteredWeight {
    inner: Box<dyn Weight>,
    filters: FieldValues,
}

impl FilteredWeight {
    /// The filters' columns in a segment, or `None` when a value is in no
    /// document of it.
    fn columns(&self, reader: &SegmentReader) -> tantivy::Result<Option<Columns>> {
        let mut columns = Vec::with_capacity(self.filters.len());
        for (field, value) in &self.filters {
            let Some(column) = reader.fast_fields().str(field)? else {
                return Ok(None);
            };
            let Some(ord) = column.dictionary().term_ord(value)? else {
                return Ok(None);
            };
            columns.push((column.ords().clone(), ord));
        }
        Ok(Some(Columns {
            columns,
            values: Vec::new(),
        }))
    }
}

impl Weight for FilteredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(columns) = self.columns(reader)? else {
            return Ok(Box::new(EmptyScorer));
        };
        let mut scorer = FilteredScorer {
            inner: self.inner.scorer(reader, boost)?,
            columns,
        };
        let doc = scorer.inner.doc();
        if doc != TERMINATED && !scorer.columns.holds(doc) {
            scorer.advance();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.columns(reader)?.is_none_or(|c| !c.holds(doc)) {
            return Err(TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        self.inner.explain(reader, doc)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let Some(columns) = self.columns(reader)? else {
            return Ok(());
        };
        self.inner.for_each(reader, &mut |doc, score| {
            if columns.holds(doc) {
                callback(doc, score);
            }
        })
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        let Some(mut columns) = self.columns(reader)? else {
            return Ok(());
        };
        let mut kept = Vec::new();
        self.inner.for_each_no_score(reader, &mut |docs| {
            columns.keep(docs, &mut kept);
            if !kept.is_empty() {
                callback(&kept);
            }
        })
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(columns) = self.columns(reader)? else {
            return Ok(());
        };
        let mut threshold = threshold;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if columns.holds(doc) {
                    threshold = callback(doc, score);
                }
                threshold
            })
    }
}

/// The columns of a segment's filters, each with the ordinal of its value
/// in the column's dictionary.
struct Columns {
    columns: Vec<(Column<u64>, u64)>,
    /// Scratch: the values of a block of documents.
    values: Vec<Option<u64>>,
}

impl Columns {
    /// `doc` holds every filter's value.
    #[inline]
    fn holds(&self, doc: DocId) -> bool {
        self.columns
            .iter()
            .all(|(column, ord)| column.values_for_doc(doc).any(|v| v == *ord))
    }

    /// The documents of `docs` (in order) that hold every filter's value,
    /// into `kept`.
    fn keep(&mut self, docs: &[DocId], kept: &mut Vec<DocId>) {
        kept.clear();
        kept.extend_from_slice(docs);
        for (column, ord) in &self.columns {
            if column.get_cardinality() != Cardinality::Full {
                kept.retain(|&doc| column.values_for_doc(doc).any(|v| v == *ord));
                continue;
            }
            // One value per document: read them as a block.
            self.values.clear();
            self.values.resize(kept.len(), None);
            column.first_vals(kept, &mut self.values);
            let mut n = 0;
            for i in 0..kept.len() {
                if self.values[i] == Some(*ord) {
                    kept[n] = kept[i];
                    n += 1;
                }
            }
            kept.truncate(n);
        }
    }
}

/// A scorer's documents that hold the filters' values.
struct FilteredScorer {
    inner: Box<dyn Scorer>,
    columns: Columns,
}

impl DocSet for FilteredScorer {
    fn advance(&mut self) -> DocId {
        loop {
            let doc = self.inner.advance();
            if doc == TERMINATED || self.columns.holds(doc) {
                return doc;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        if doc == TERMINATED || self.columns.holds(doc) {
            return doc;
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for FilteredScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

//! From a parsed [`Query`] to a tantivy query, and the spec that finds the
//! matched words of a hit again.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query as TQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::Analyzer;
use crate::error::{QueryError, QueryErrorKind};
use crate::filter::{FieldValues, Filtered};
use crate::pairs::pair_term;
use crate::query::{FilterField, Leaf, Node, Query};
use crate::schema::{Analyzers, Fields, LANG, ROLE};
use crate::{Error, Result};

/// How many terms a phrase's final prefix may expand to.
const MAX_PREFIX_EXPANSIONS: u32 = 100_000;

/// Which analyzed text a highlight spec applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// The language field with this index.
    Lang(usize),
    Exact,
    Plain,
}

/// A phrase to find in analyzed text.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSpec {
    /// Terms with their offsets from the first.
    pub terms: Vec<(usize, String)>,
    pub slop: u32,
    /// The last term is a prefix.
    pub prefix: bool,
}

/// What to look for in one analyzed text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spec {
    pub terms: HashSet<String>,
    pub phrases: Vec<PhraseSpec>,
}

/// What the positive (not negated) leaves of a query look for, per target.
#[derive(Debug, Clone, Default)]
pub(crate) struct Highlight {
    pub specs: HashMap<Target, Spec>,
}

impl Highlight {
    fn spec(&mut self, target: Target) -> &mut Spec {
        self.specs.entry(target).or_default()
    }
}

pub(crate) struct Compiled {
    pub query: Box<dyn TQuery>,
    pub highlight: Highlight,
}

pub(crate) struct Ctx<'a> {
    pub fields: &'a Fields,
    pub analyzers: &'a Analyzers,
    /// Attribute names of the indexed interviews: lower case → as written.
    pub attributes: &'a BTreeMap<String, String>,
    /// The search ranks its hits (BM25).
    pub scoring: bool,
}

pub(crate) fn compile(query: &Query, ctx: &Ctx<'_>) -> Result<Compiled> {
    let mut highlight = Highlight::default();
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    // `role:` and `lang:` clauses of the whole query, run as filters.
    let mut fast = Vec::new();
    if let Some(root) = query.root() {
        let mut c = Compiler {
            ctx,
            exact: query.is_exact(),
            highlight: &mut highlight,
        };
        // (When the rest has nothing to search for, the filters stay terms:
        // the query is theirs.)
        let compiled = match fast_filters(root, ctx.scoring) {
            Some((rest, filters)) => match c.and(rest, false) {
                Some(q) => {
                    fast = filters;
                    Some(q)
                }
                None => c.node(root, false),
            },
            None => c.node(root, false),
        };
        match compiled {
            Some(q) => clauses.push((Occur::Must, q)),
            None => {
                return Err(Error::Query(QueryError::new(
                    QueryErrorKind::NothingToSearch,
                    query.text(),
                    0,
                    "nothing to search for: the query has no word with a letter or digit",
                )));
            }
        }
    }
    clauses.extend(attribute_filters(query.filters(), ctx)?);
    let query: Box<dyn TQuery> = match clauses.len() {
        0 => Box::new(AllQuery),
        1 if matches!(clauses[0].0, Occur::Must) => clauses.pop().unwrap().1,
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    let query = if fast.is_empty() {
        query
    } else {
        Box::new(Filtered {
            inner: query,
            filters: fast,
        })
    };
    Ok(Compiled { query, highlight })
}

/// When the whole query is a conjunction with `role:` or `lang:` clauses
/// (not prefixes) and something else to look for, and the search does not
/// rank: the other clauses, and the filters as (fast field, value) for
/// [`Filtered`].
fn fast_filters(root: &Node, scoring: bool) -> Option<(Vec<&Node>, FieldValues)> {
    let Node::And(items) = root else {
        return None;
    };
    if scoring {
        return None;
    }
    let mut rest = Vec::new();
    let mut filters = Vec::new();
    for item in items {
        match item {
            Node::Leaf(Leaf::Field {
                field: field @ (FilterField::Role | FilterField::Lang),
                value,
                prefix: false,
            }) => {
                let name = if *field == FilterField::Role {
                    ROLE
                } else {
                    LANG
                };
                filters.push((name, raw_value(*field, value)));
            }
            _ => rest.push(item),
        }
    }
    let looks_for = rest.iter().any(|n| !matches!(n, Node::Not(_)));
    (!filters.is_empty() && looks_for).then_some((rest, filters))
}

/// The term of a `role:`, `lang:` or `interview:` value, as the raw field
/// indexes it: roles and language codes lower case, ids as written.
fn raw_value(field: FilterField, value: &str) -> String {
    let value = value.trim();
    if field == FilterField::Interview {
        value.to_owned()
    } else {
        value.to_lowercase()
    }
}

fn attribute_filters(
    filters: &[(String, String)],
    ctx: &Ctx<'_>,
) -> Result<Vec<(Occur, Box<dyn TQuery>)>> {
    // name → alternatives, in the order first given
    let mut by_name: Vec<(String, Vec<Box<dyn TQuery>>)> = Vec::new();
    for (name, value) in filters {
        let key = name.trim().to_lowercase();
        if !ctx.attributes.contains_key(&key) {
            return Err(Error::UnknownAttribute {
                name: name.trim().to_owned(),
                known: ctx.attributes.values().cloned().collect(),
            });
        }
        let value = ctx
            .analyzers
            .keyword
            .terms(value.trim())
            .pop()
            .unwrap_or_default();
        let mut term = Term::from_field_json_path(ctx.fields.attrs, &json_path(&key), false);
        term.append_type_and_str(&value);
        let q: Box<dyn TQuery> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
        match by_name.iter_mut().find(|(n, _)| *n == key) {
            Some((_, qs)) => qs.push(q),
            None => by_name.push((key, vec![q])),
        }
    }
    Ok(by_name
        .into_iter()
        .map(|(_, mut qs)| {
            let q = if qs.len() == 1 {
                qs.pop().unwrap()
            } else {
                Box::new(BooleanQuery::new(
                    qs.into_iter().map(|q| (Occur::Should, q)).collect(),
                )) as Box<dyn TQuery>
            };
            (Occur::Must, q)
        })
        .collect())
}

/// An attribute name as a tantivy JSON path: dots are part of the name.
pub(crate) fn json_path(name: &str) -> String {
    name.replace('\\', "\\\\").replace('.', "\\.")
}

/// Escapes `s` for tantivy's regular expressions.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '.'
                | '+'
                | '*'
                | '?'
                | '('
                | ')'
                | '|'
                | '['
                | ']'
                | '{'
                | '}'
                | '^'
                | '$'
                | '#'
                | '&'
                | '-'
                | '~'
                | '"'
                | '<'
                | '>'
                | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn prefix_query(field: Field, prefix: &str) -> Option<Box<dyn TQuery>> {
    RegexQuery::from_pattern(&format!("{}.*", regex_escape(prefix)), field)
        .ok()
        .map(|q| Box::new(q) as Box<dyn TQuery>)
}

/// A union of `qs`. Without scoring, the clauses of a union among `qs` are
/// taken in directly: one union of many terms runs faster than a union of
/// unions, and matches the same segments. With scoring the nesting is kept,
/// so that scores add up in the same order.
fn any_of(qs: Vec<Box<dyn TQuery>>, scoring: bool) -> Option<Box<dyn TQuery>> {
    let mut qs = if scoring {
        qs
    } else {
        let mut flat = Vec::with_capacity(qs.len());
        for q in qs {
            match q.downcast_ref::<BooleanQuery>() {
                Some(b) if is_union(b) => {
                    flat.extend(b.clauses().iter().map(|(_, q)| q.box_clone()));
                }
                _ => flat.push(q),
            }
        }
        flat
    };
    match qs.len() {
        0 => None,
        1 => qs.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

/// `b` matches what any of its clauses matches.
fn is_union(b: &BooleanQuery) -> bool {
    b.get_minimum_number_should_match() <= 1 && b.clauses().iter().all(|(o, _)| *o == Occur::Should)
}

fn not(q: Box<dyn TQuery>) -> Box<dyn TQuery> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
        (Occur::MustNot, q),
    ]))
}

/// Terms of analyzed text grouped by position: the first of each group is
/// the canonical term.
fn grouped(analyzer: &Analyzer, text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    for t in analyzer.tokens(text) {
        match out.last_mut() {
            Some((p, terms)) if *p == t.position => terms.push(t.text),
            _ => out.push((t.position, vec![t.text])),
        }
    }
    out
}

struct Compiler<'a, 'c> {
    ctx: &'a Ctx<'c>,
    exact: bool,
    highlight: &'a mut Highlight,
}

impl Compiler<'_, '_> {
    fn node(&mut self, node: &Node, negated: bool) -> Option<Box<dyn TQuery>> {
        match node {
            Node::And(items) => self.and(items, negated),
            Node::Or(items) => {
                let qs = items.iter().filter_map(|n| self.node(n, negated)).collect();
                any_of(qs, self.ctx.scoring)
            }
            Node::Not(inner) => self.node(inner, !negated).map(not),
            Node::Leaf(leaf) => self.leaf(leaf, negated),
        }
    }

    fn and<'n>(
        &mut self,
        items: impl IntoIterator<Item = &'n Node>,
        negated: bool,
    ) -> Option<Box<dyn TQuery>> {
        let mut clauses = Vec::new();
        let mut positive = false;
        for item in items {
            match item {
                Node::Not(inner) => {
                    if let Some(q) = self.node(inner, !negated) {
                        clauses.push((Occur::MustNot, q));
                    }
                }
                _ => {
                    if let Some(q) = self.node(item, negated) {
                        positive = true;
                        clauses.push((Occur::Must, q));
                    }
                }
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if !positive {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        if clauses.len() == 1 {
            return clauses.pop().map(|(_, q)| q);
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn leaf(&mut self, leaf: &Leaf, negated: bool) -> Option<Box<dyn TQuery>> {
        match leaf {
            Leaf::Word(w) => self.words(w, 0, negated),
            Leaf::Phrase {
                text,
                slop,
                prefix: false,
            } => self.words(text, *slop, negated),
            Leaf::Prefix(text)
            | Leaf::Phrase {
                text, prefix: true, ..
            } => self.prefix(text, negated),
            Leaf::Field {
                field,
                value,
                prefix,
            } => Some(self.field(*field, value, *prefix)),
        }
    }

    /// A word or phrase, in every language field (or the exact field).
    fn words(&mut self, text: &str, slop: u32, negated: bool) -> Option<Box<dyn TQuery>> {
        let f = self.ctx.fields;
        let a = self.ctx.analyzers;
        let targets: Vec<(Target, Field, &Analyzer)> = if self.exact {
            vec![(Target::Exact, f.text_exact, &a.exact)]
        } else {
            a.lang
                .iter()
                .enumerate()
                .map(|(i, an)| (Target::Lang(i), f.text_lang[i], an))
                .collect()
        };
        let mut qs: Vec<Box<dyn TQuery>> = Vec::new();
        for (target, field, analyzer) in targets {
            let groups = grouped(analyzer, text);
            match groups.len() {
                0 => {}
                1 => {
                    for term in &groups[0].1 {
                        qs.push(Box::new(TermQuery::new(
                            Term::from_field_text(field, term),
                            IndexRecordOption::WithFreqs,
                        )));
                    }
                    if !negated {
                        self.highlight
                            .spec(target)
                            .terms
                            .extend(groups[0].1.iter().cloned());
                    }
                }
                _ => {
                    let first = groups[0].0;
                    let terms: Vec<(usize, String)> = groups
                        .into_iter()
                        .map(|(p, mut alts)| (p - first, alts.swap_remove(0)))
                        .collect();
                    let phrase = PhraseQuery::new_with_offset_and_slop(
                        terms
                            .iter()
                            .map(|(o, t)| (*o, Term::from_field_text(field, t)))
                            .collect(),
                        slop,
                    );
                    qs.push(match target {
                        Target::Lang(i) if slop == 0 => {
                            self.with_pairs(i, &terms, Box::new(phrase))
                        }
                        _ => Box::new(phrase),
                    });
                    if !negated {
                        self.highlight.spec(target).phrases.push(PhraseSpec {
                            terms,
                            slop,
                            prefix: false,
                        });
                    }
                }
            }
        }
        any_of(qs, self.ctx.scoring)
    }

    /// A phrase of language field `lang` through the pairs of its
    /// consecutive common terms ([`crate::pairs`]). A document has the pair
    /// `a b` at position `p` exactly when the phrase `"a b"` matches there,
    /// so each run of consecutive common terms of the phrase is a phrase of
    /// pairs (a single pair term for a run of two): `"I don't know"` is the
    /// phrase of the pair terms `i don`, `don t`, `t know` in the pairs
    /// field, whose lists and positions are a fraction of those of `i` or
    /// `t`. Without scoring, a phrase that is one such run is answered by it
    /// alone; otherwise the runs come before the phrase, which then reads
    /// positions only where they all match. Runs score 0, so a ranked
    /// phrase scores as before.
    fn with_pairs(
        &self,
        lang: usize,
        terms: &[(usize, String)],
        phrase: Box<dyn TQuery>,
    ) -> Box<dyn TQuery> {
        let pairs = self.ctx.fields.pairs_lang[lang];
        let common = &self.ctx.analyzers.common[lang];
        // Word `i` and the next are a pair.
        let linked = |i: usize| {
            terms[i + 1].0 == terms[i].0 + 1
                && common.contains(&terms[i].1)
                && common.contains(&terms[i + 1].1)
        };
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut whole = false;
        let mut i = 0;
        while i + 1 < terms.len() {
            if !linked(i) {
                i += 1;
                continue;
            }
            // A run of linked words, from `start` to `i` once this ends.
            let start = i;
            while i + 1 < terms.len() && linked(i) {
                i += 1;
            }
            whole = start == 0 && i + 1 == terms.len();
            let mut run: Vec<(usize, Term)> = (start..i)
                .map(|k| {
                    let pair = pair_term(&terms[k].1, &terms[k + 1].1);
                    (
                        terms[k].0 - terms[start].0,
                        Term::from_field_text(pairs, &pair),
                    )
                })
                .collect();
            let q: Box<dyn TQuery> = if run.len() == 1 {
                let (_, term) = run.pop().expect("a run of two words has one pair");
                Box::new(TermQuery::new(term, IndexRecordOption::Basic))
            } else {
                Box::new(PhraseQuery::new_with_offset(run))
            };
            let q = if self.ctx.scoring {
                Box::new(ConstScoreQuery::new(q, 0.0))
            } else {
                q
            };
            clauses.push((Occur::Must, q));
        }
        if clauses.is_empty() {
            return phrase;
        }
        if !self.ctx.scoring && whole {
            return clauses.pop().map_or(phrase, |(_, q)| q);
        }
        clauses.push((Occur::Must, phrase));
        Box::new(BooleanQuery::new(clauses))
    }

    /// `word*` or `"... word*"`: on the plain field (the exact one with
    /// `--exact`).
    fn prefix(&mut self, text: &str, negated: bool) -> Option<Box<dyn TQuery>> {
        let f = self.ctx.fields;
        let a = self.ctx.analyzers;
        let (target, field, analyzer) = if self.exact {
            (Target::Exact, f.text_exact, &a.exact)
        } else {
            (Target::Plain, f.text_plain, &a.plain)
        };
        let groups = grouped(analyzer, text);
        let first = groups.first()?.0;
        let terms: Vec<(usize, String)> = groups
            .into_iter()
            .map(|(p, mut alts)| (p - first, alts.swap_remove(0)))
            .collect();
        let q: Box<dyn TQuery> = if terms.len() == 1 {
            prefix_query(field, &terms[0].1)?
        } else {
            let mut q = PhrasePrefixQuery::new_with_offset(
                terms
                    .iter()
                    .map(|(o, t)| (*o, Term::from_field_text(field, t)))
                    .collect(),
            );
            q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
            Box::new(q)
        };
        if !negated {
            self.highlight.spec(target).phrases.push(PhraseSpec {
                terms,
                slop: 0,
                prefix: true,
            });
        }
        Some(q)
    }

    fn field(&self, field: FilterField, value: &str, prefix: bool) -> Box<dyn TQuery> {
        let f = self.ctx.fields;
        let (field, value) = match field {
            FilterField::Speaker => (
                f.speaker,
                self.ctx
                    .analyzers
                    .keyword
                    .terms(value.trim())
                    .pop()
                    .unwrap_or_default(),
            ),
            FilterField::Role => (f.role, raw_value(field, value)),
            FilterField::Lang => (f.lang, raw_value(field, value)),
            FilterField::Interview => (f.interview, raw_value(field, value)),
        };
        if prefix && let Some(q) = prefix_query(field, &value) {
            return q;
        }
        Box::new(TermQuery::new(
            Term::from_field_text(field, &value),
            IndexRecordOption::Basic,
        ))
    }
}

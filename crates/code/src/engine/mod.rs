//! Auto-coding: applying a whole codebook to the corpus through the index.
//!
//! # How
//!
//! 1. **Compile** ([`AutoCoder::new`]): every word and phrase of every rule
//!    is analyzed once, with the analyzer the index uses for the rule's
//!    language, into lookup tables shared by the rules of that language.
//!    Each language gets one query of `voces search`'s language that finds
//!    a superset of the segments its rules can match: for each group of
//!    rules with the same roles, under that role filter, any of their
//!    terms, any phrase's two longest words, both sides of each `near`,
//!    and the literal word starts of their regexes. A regex without a literal
//!    start (`\w+ción`) makes its rule read every segment of its language
//!    and roles.
//! 2. **Candidates** ([`AutoCoder::candidates`]): one index query per
//!    language ([`Index::locate`]: positions from the fast fields, no
//!    stored text) gives, per interview, the segments to check. No segment
//!    text is read in this step, and no phrase query runs: phrase
//!    queries on common words (`la fecha de corte`) read long position
//!    lists, while `fecha` and `corte` anywhere in the segment find a
//!    superset cheaply (4 times faster on the shared corpora).
//! 3. **Verification** ([`AutoCoder::code_interview`], or
//!    [`Session::code_segments`] on the candidate segments alone, read
//!    with [`voces_corpus::Store::interview_part`]): each candidate segment
//!    is analyzed once, its words looked up in the language's tables (each
//!    distinct word once per [`Session`], which keeps what it found: the
//!    terms, phrases and regex word starts it matches; words no rule can
//!    use are dropped there), and the rules of its language and role whose
//!    words occur are checked precisely:
//!    - terms match through the stemmer (`traficantes` ~ `traficante`),
//!      ignoring case and accents;
//!    - phrases match word for word, ignoring case and accents, not
//!      stemmed, and never across a sentence end;
//!    - `near`: an entry of `a` and one of `b`, in either order, with at
//!      most `within` words between them, in the same sentence for rules
//!      coding sentences;
//!    - regexes run on the segment text;
//!    - a match preceded by a negator is dropped when the rule has
//!      `negation` ([`crate::is_negated`], over the words before it in its
//!      sentence);
//!    - a match whose unit holds a `not` entry is dropped;
//!    - the unit is the sentence(s) holding the match, or the whole
//!      segment.
//!
//!    Each rule that fires gives one [`Coding`] per unit, with the matched
//!    words.
//!
//! Candidates only prune: checking every rule on every segment
//! (`code_interview(interview, None)`) gives the same codings, which the
//! tests check.
//!
//! # Determinism
//!
//! Codings come out sorted by interview, segment, span and rule (in
//! codebook order), and carry the [codebook hash](Codebook::hash): the same
//! corpus and codebook give byte-identical files.

mod compile;
mod verify;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use voces_corpus::{Interview, Role, Segment};
use voces_index::{Analyzer, Index, Query};

use self::compile::{Analyzers, CompiledRule, Table};
use self::verify::{
    Occurrences, Rejection, SegmentText, Token, WordCache, evaluate, occurrences, rules_to_check,
    tokens,
};
use crate::coding::{AUTO_CODER, Coding};
use crate::{Codebook, Result};

/// A codebook compiled for auto-coding a project.
pub struct AutoCoder {
    hash: String,
    analyzers: Analyzers,
    rules: Vec<CompiledRule>,
    tables: HashMap<String, Table>,
    /// (language, index query).
    queries: Vec<(String, String)>,
}

impl std::fmt::Debug for AutoCoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutoCoder")
            .field("hash", &self.hash)
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

/// The segments to check in one interview, by position (from 0).
pub type SegmentSet = BTreeSet<usize>;

/// What the index found for a codebook.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Interview id → segments to check.
    pub interviews: BTreeMap<String, SegmentSet>,
    /// Rules whose query could not narrow the search: they read every
    /// segment of their language.
    pub read_all: Vec<String>,
}

impl Candidates {
    /// Number of segments to check.
    pub fn segments(&self) -> usize {
        self.interviews.values().map(BTreeSet::len).sum()
    }
}

/// Why `--explain` shows a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum Outcome {
    /// The rule codes the unit.
    Coded,
    /// A `not` entry occurs in the unit: the entry.
    Vetoed(String),
    /// A negator comes before the match: the words before it.
    Negated(String),
    /// The rule does not read this speaker's turns: the speaker's role.
    Role(Role),
    /// The rule is for another language than the segment's: the rule's.
    Language(String),
    /// A `near` rule found words of both sides, but too far apart or in
    /// different sentences.
    NearIncomplete {
        /// Entries of `a` found.
        a: Vec<String>,
        /// Entries of `b` found.
        b: Vec<String>,
    },
}

/// One rule's verdict on a segment, for `voces code --explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    /// Rule id.
    pub rule: String,
    /// Code the rule applies.
    pub code: String,
    /// Language of the rule.
    pub lang: String,
    /// The unit the match codes, in characters of the segment's text;
    /// `None` for [`Outcome::NearIncomplete`].
    pub unit: Option<(usize, usize)>,
    /// Matched words and phrases, as written in the segment.
    pub matched: Vec<String>,
    /// Their spans in characters of the segment's text.
    pub spans: Vec<(usize, usize)>,
    /// What happened.
    pub outcome: Outcome,
}

/// Version of the engine's matching, part of every [`rule_hashes`] entry:
/// a voces whose engine codes differently (stemming, negators, units)
/// raises it, and the next run re-codes every rule.
pub const ENGINE_VERSION: u32 = 1;

/// Rule id → SHA-256 (hex) of what the rule's codings are made from: the
/// rule, the code it applies, the project's languages (which set the
/// analyzers) and [`ENGINE_VERSION`]. On an unchanged corpus, a rule whose
/// hash is unchanged makes the same codings, which is what lets
/// `voces code` re-code only the rules a codebook edit touched.
pub fn rule_hashes(codebook: &Codebook, languages: &[String]) -> BTreeMap<String, String> {
    codebook
        .rules()
        .map(|(code, rule)| {
            let head = format!(
                "voces-rule/{ENGINE_VERSION}\n{}\n{}\n",
                languages.join(","),
                code.id
            );
            // Serializing a rule (strings, lists, enums) cannot fail.
            let rule_json = serde_json::to_string(rule).unwrap_or_default();
            let hash = crate::codebook::sha256_hex(&[head.as_bytes(), rule_json.as_bytes()]);
            (rule.id.clone(), hash)
        })
        .collect()
}

impl AutoCoder {
    /// Compiles `codebook` for a project whose languages (the index's) are
    /// `languages`.
    pub fn new(codebook: &Codebook, languages: &[String]) -> AutoCoder {
        AutoCoder::with_rules(codebook, languages, &|_| true)
    }

    /// Compiles only the rules of `codebook` whose ids `keep` accepts (to
    /// re-code the rules a codebook edit changed). Its codings are those
    /// the whole codebook's coder makes with these rules, and record the
    /// whole codebook's hash.
    pub fn with_rules(
        codebook: &Codebook,
        languages: &[String],
        keep: &dyn Fn(&str) -> bool,
    ) -> AutoCoder {
        let mut part = codebook.clone();
        for code in &mut part.codes {
            code.rules.retain(|r| keep(&r.id));
        }
        let analyzers = Analyzers::new(languages);
        let (rules, tables) = compile::compile(&part, &analyzers);
        let queries = compile::language_queries(&rules);
        AutoCoder {
            hash: codebook.hash(),
            analyzers,
            rules,
            tables,
            queries,
        }
    }

    /// The hash of the codebook, which every coding records.
    pub fn codebook_hash(&self) -> &str {
        &self.hash
    }

    /// Rule ids in codebook order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// An index query that finds the segments a rule can match (a
    /// superset), as `voces search` reads it.
    pub fn query(&self, rule: &str) -> Option<&str> {
        self.rules
            .iter()
            .find(|r| r.id == rule)
            .map(|r| r.query.as_str())
    }

    /// The index queries auto-coding runs, one per rule language:
    /// (language, query).
    pub fn language_queries(&self) -> &[(String, String)] {
        &self.queries
    }

    /// Finds the candidate segments of the codebook with one index search
    /// per rule language. `progress` gets (languages done, languages).
    pub fn candidates(&self, index: &Index, progress: &dyn Fn(usize, usize)) -> Result<Candidates> {
        let mut out = Candidates {
            read_all: self
                .rules
                .iter()
                .filter(|r| r.reads_all)
                .map(|r| r.id.clone())
                .collect(),
            ..Candidates::default()
        };
        for (i, (lang, text)) in self.queries.iter().enumerate() {
            let query = match Query::parse(text) {
                Ok(q) => q,
                // A query the parser refuses can only come from an odd
                // entry: read the whole language instead.
                Err(_) => Query::parse(&format!("lang:{lang}"))?,
            };
            // Where the segments are is all this step needs: no text is
            // read from the index.
            let found = match index.locate(&query) {
                Ok(r) => r,
                Err(voces_index::Error::EmptyIndex) => break,
                Err(e) => return Err(e.into()),
            };
            for (interview, positions) in found {
                out.interviews
                    .entry(interview)
                    .or_default()
                    .extend(positions);
            }
            progress(i + 1, self.queries.len());
        }
        progress(self.queries.len(), self.queries.len());
        Ok(out)
    }

    /// Codes one interview: the segments in `candidates`, or with `None`
    /// every segment, with every rule of the segment's language and role.
    /// Codings come sorted by segment, span and rule. To code many
    /// interviews, a [`Session`] per thread keeps the analyzed words.
    pub fn code_interview(
        &self,
        interview: &Interview,
        candidates: Option<&SegmentSet>,
    ) -> Vec<Coding> {
        self.session().code_interview(interview, candidates)
    }

    /// A session to code interviews one after the other on one thread.
    pub fn session(&self) -> Session<'_> {
        Session {
            coder: self,
            scratch: HashMap::new(),
        }
    }

    /// Codes `segments` (position, segment) of the interview `interview`.
    fn code_with<'s>(
        &self,
        interview: &str,
        segments: impl Iterator<Item = (usize, &'s Segment)>,
        scratch: &mut HashMap<String, Scratch>,
    ) -> Vec<Coding> {
        let mut out: Vec<(usize, usize, usize, usize, Coding)> = Vec::new();
        for (position, segment) in segments {
            let Some(table) = self.tables.get(&segment.language) else {
                continue;
            };
            if !self
                .rules
                .iter()
                .any(|r| r.lang == segment.language && reads_role(r, segment.role))
            {
                continue;
            }
            let seg = SegmentText::new(segment);
            let scratch = match scratch.get_mut(&segment.language) {
                Some(c) => c,
                None => scratch.entry(segment.language.clone()).or_default(),
            };
            if scratch.cache.len() > MAX_CACHED_WORDS {
                scratch.cache.clear();
            }
            let Scratch {
                cache,
                words,
                occs,
                rules,
            } = scratch;
            tokens(
                &segment.text,
                table,
                self.analyzers(&segment.language),
                cache,
                words,
            );
            occurrences(table, words, &seg, occs);
            rules_to_check(table, words, occs, rules);
            for &rule_index in &*rules {
                let rule = &self.rules[rule_index];
                if rule.lang != segment.language || !reads_role(rule, segment.role) {
                    continue;
                }
                let eval = evaluate(rule_index, rule, table, words, occs, &seg);
                // One coding per unit, with every match's words.
                let mut units: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
                for m in eval.matches.into_iter().filter(|m| m.rejection.is_none()) {
                    let words = units.entry(m.unit).or_default();
                    for (a, b) in m.spans {
                        let w = seg.slice(a, b).to_owned();
                        if !words.contains(&w) {
                            words.push(w);
                        }
                    }
                }
                for ((a, b), matched) in units {
                    out.push((
                        position,
                        a,
                        b,
                        rule_index,
                        Coding {
                            interview: interview.to_owned(),
                            segment: segment.id.clone(),
                            start: segment.start + a,
                            end: segment.start + b,
                            code: rule.code.clone(),
                            coder: AUTO_CODER.to_owned(),
                            rule: Some(rule.id.clone()),
                            codebook: Some(self.hash.clone()),
                            matched,
                            quote: seg.slice(a, b).to_owned(),
                        },
                    ));
                }
            }
        }
        out.sort_by_key(|x| (x.0, x.1, x.2, x.3));
        out.into_iter().map(|x| x.4).collect()
    }

    /// Every rule's verdict on one segment: the rules that code it, and the
    /// rules that matched but were vetoed, negated, are for another role or
    /// language, or found only one side of a `near`.
    pub fn explain(&self, segment: &Segment) -> Vec<Explained> {
        let seg = SegmentText::new(segment);
        let mut out = Vec::new();
        let mut occs_by_lang = HashMap::new();
        for (rule_index, rule) in self.rules.iter().enumerate() {
            let Some(table) = self.tables.get(&rule.lang) else {
                continue;
            };
            let (words, occs) = occs_by_lang.entry(rule.lang.clone()).or_insert_with(|| {
                let mut words = Vec::new();
                tokens(
                    &segment.text,
                    table,
                    self.analyzers(&rule.lang),
                    &mut WordCache::default(),
                    &mut words,
                );
                let mut occs = Occurrences::default();
                occurrences(table, &words, &seg, &mut occs);
                (words, occs)
            });
            let eval = evaluate(rule_index, rule, table, words, occs, &seg);
            let filtered = if rule.lang != segment.language {
                Some(Outcome::Language(rule.lang.clone()))
            } else if !reads_role(rule, segment.role) {
                Some(Outcome::Role(segment.role))
            } else {
                None
            };
            for m in eval.matches {
                let outcome = match (&filtered, m.rejection) {
                    (Some(f), _) => f.clone(),
                    (None, Some(Rejection::Veto(v))) => Outcome::Vetoed(v),
                    (None, Some(Rejection::Negated(w))) => Outcome::Negated(w),
                    (None, None) => Outcome::Coded,
                };
                out.push(Explained {
                    rule: rule.id.clone(),
                    code: rule.code.clone(),
                    lang: rule.lang.clone(),
                    unit: Some(m.unit),
                    matched: m
                        .spans
                        .iter()
                        .map(|&(a, b)| seg.slice(a, b).to_owned())
                        .collect(),
                    spans: m.spans,
                    outcome,
                });
            }
            if let Some((a, b)) = eval.near_partial
                && rule.lang == segment.language
            {
                out.push(Explained {
                    rule: rule.id.clone(),
                    code: rule.code.clone(),
                    lang: rule.lang.clone(),
                    unit: None,
                    matched: a.iter().chain(&b).cloned().collect(),
                    spans: Vec::new(),
                    outcome: Outcome::NearIncomplete { a, b },
                });
            }
        }
        merge_explained(out)
    }

    /// The analyzers of segments in language `lang`: exact, the language's,
    /// plain.
    fn analyzers(&self, lang: &str) -> (&Analyzer, &Analyzer, &Analyzer) {
        let a = &self.analyzers;
        (&a.exact, a.of(lang), &a.plain)
    }
}

/// Words a session keeps analyzed per language before starting afresh.
const MAX_CACHED_WORDS: usize = 1 << 20;

/// What a session keeps for one language from segment to segment: the
/// analyzed words, and buffers.
#[derive(Default)]
struct Scratch {
    cache: WordCache,
    words: Vec<Token>,
    occs: Occurrences,
    rules: Vec<usize>,
}

/// Codes interviews one after the other, keeping each word's analysis:
/// words recur across interviews, and stemming them once is most of the
/// verification's work. One per thread.
pub struct Session<'a> {
    coder: &'a AutoCoder,
    scratch: HashMap<String, Scratch>,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session<'_> {
    /// See [`AutoCoder::code_interview`].
    pub fn code_interview(
        &mut self,
        interview: &Interview,
        candidates: Option<&SegmentSet>,
    ) -> Vec<Coding> {
        let segments = interview
            .segments
            .iter()
            .enumerate()
            .filter(|(position, _)| candidates.is_none_or(|c| c.contains(position)));
        self.coder
            .code_with(&interview.id, segments, &mut self.scratch)
    }

    /// Codes some segments of the interview `interview`, each at its
    /// position ([`Segment::index`]): every one, with every rule of its
    /// language and role, as [`AutoCoder::code_interview`] codes the
    /// candidates it is given. For interviews read in part
    /// ([`voces_corpus::Store::interview_part`]).
    pub fn code_segments(&mut self, interview: &str, segments: &[Segment]) -> Vec<Coding> {
        let segments = segments.iter().map(|s| (s.index, s));
        self.coder.code_with(interview, segments, &mut self.scratch)
    }
}

/// One entry per rule, unit and outcome, with the words of every match
/// there, in rule order.
fn merge_explained(all: Vec<Explained>) -> Vec<Explained> {
    let mut out: Vec<Explained> = Vec::new();
    for e in all {
        if let Some(same) = out
            .iter_mut()
            .find(|o| o.rule == e.rule && o.unit == e.unit && o.outcome == e.outcome)
        {
            for (word, span) in e.matched.into_iter().zip(e.spans) {
                if !same.spans.contains(&span) {
                    same.matched.push(word);
                    same.spans.push(span);
                }
            }
        } else {
            out.push(e);
        }
    }
    out
}

fn reads_role(rule: &CompiledRule, speaker: Role) -> bool {
    rule.roles.is_empty() || rule.roles.contains(&speaker)
}

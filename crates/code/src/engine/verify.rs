//! Checking rules on one segment, precisely: terms through the stemmer,
//! phrases word for word, `near` distances, regexes, vetoes, negation and
//! units.

use std::cell::OnceCell;
use std::rc::Rc;

use voces_corpus::Segment;
use voces_index::Analyzer;

use super::compile::{CompiledRule, FastMap, ItemId, ItemKind, Table};
use crate::{NEGATION_WINDOW, Unit, is_negated};

/// A segment's text with what matching needs: character offsets, its
/// sentences and its words, all relative to the segment. The tables of
/// offsets are made when first needed: most candidate segments need none.
pub(crate) struct SegmentText<'a> {
    pub text: &'a str,
    segment: &'a Segment,
    /// Number of characters.
    chars: usize,
    /// Byte offset of each character, and the text's length at the end.
    bytes: OnceCell<Vec<usize>>,
    /// Sentence spans (characters), sorted; at least one.
    pub sentences: Vec<(usize, usize)>,
    /// UAX #29 word spans (characters), for negation.
    words: OnceCell<Vec<(usize, usize)>>,
}

impl<'a> SegmentText<'a> {
    pub fn new(segment: &'a Segment) -> SegmentText<'a> {
        let text = segment.text.as_str();
        let n = text.chars().count();
        let mut sentences: Vec<(usize, usize)> = segment
            .sentences
            .iter()
            .map(|s| {
                (
                    s.start.saturating_sub(segment.start).min(n),
                    s.end.saturating_sub(segment.start).min(n),
                )
            })
            .filter(|(a, b)| a < b)
            .collect();
        sentences.sort_unstable();
        if sentences.is_empty() {
            sentences.push((0, n));
        }
        SegmentText {
            text,
            segment,
            chars: n,
            bytes: OnceCell::new(),
            sentences,
            words: OnceCell::new(),
        }
    }

    fn bytes(&self) -> &[usize] {
        self.bytes.get_or_init(|| {
            let mut bytes = Vec::with_capacity(self.chars + 1);
            bytes.extend(self.text.char_indices().map(|(b, _)| b));
            bytes.push(self.text.len());
            bytes
        })
    }

    fn words(&self) -> &[(usize, usize)] {
        let n = self.chars;
        self.words.get_or_init(|| {
            self.segment
                .words
                .chunks_exact(2)
                .map(|w| (w[0] as usize, w[1] as usize))
                .filter(|&(a, b)| a < b && b <= n)
                .collect()
        })
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars
    }

    /// The text of a character span.
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        let n = self.len();
        let bytes = self.bytes();
        &self.text[bytes[start.min(n)]..bytes[end.min(n)]]
    }

    /// Character offset of a byte offset (at a character boundary).
    fn char_of(&self, byte: usize) -> usize {
        self.bytes().partition_point(|&b| b < byte)
    }

    /// Byte offset of a character offset.
    fn byte_of(&self, c: usize) -> usize {
        self.bytes()[c.min(self.len())]
    }

    /// Index of the sentence holding character `c`: the last that starts
    /// at or before it (text between sentences goes with the one before).
    pub fn sentence_of(&self, c: usize) -> usize {
        self.sentences
            .partition_point(|s| s.0 <= c)
            .saturating_sub(1)
    }

    /// The words before character `c` in its clause (the sentence
    /// `sentence` after the last comma, semicolon, colon, dash or
    /// parenthesis before `c`), at most enough for the negation window:
    /// in "No, the coyote took us" the answer "No" negates nothing.
    fn words_before(&self, sentence: usize, c: usize) -> Vec<&'a str> {
        let start = self.sentences[sentence].0.min(c);
        let from = start
            + self
                .slice(start, c)
                .chars()
                .enumerate()
                .filter(|(_, ch)| is_clause_mark(*ch))
                .last()
                .map_or(0, |(i, _)| i + 1);
        let mut out: Vec<&str> = self
            .words()
            .iter()
            .filter(|&&(a, b)| a >= from && b <= c)
            .map(|&(a, b)| self.slice(a, b))
            .collect();
        let keep = NEGATION_WINDOW + 1;
        if out.len() > keep {
            out.drain(..out.len() - keep);
        }
        out
    }
}

/// Punctuation that ends a clause, for negation.
fn is_clause_mark(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '(' | ')' | '\u{2013}' | '\u{2014}')
}

/// What may stand between two words of a phrase: spaces, hyphens,
/// apostrophes, `.` (abbreviations) and `/` (a pause in some transcription
/// conventions); not a comma or other punctuation.
fn joins_words(gap: &str) -> bool {
    gap.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '.' | '/'
            )
    })
}

/// Where an item occurs: word positions, characters, sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occ {
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    sentence: usize,
}

/// A word as the rules compare it, looked up once in its language's
/// [`Table`]: the items its stems match, the phrases it starts, the rules
/// whose regexes may start with it, and its folded form.
#[derive(Debug)]
pub(crate) struct Word {
    /// Folded form, as phrases compare words: its number in
    /// [`Table::phrase_words`], [`NOT_IN_PHRASES`] when no phrase has it.
    plain: u32,
    /// The `Term` items matching the terms the language's analyzer gives
    /// the word (stemmed, both accent variants), term by term: an item
    /// matched by two terms comes twice.
    terms: Box<[ItemId]>,
    /// The `Phrase` items whose first word this is, by their second word
    /// ([`Word::plain`] of the next word; [`ONE_WORD`] for phrases of one
    /// word), sorted: a phrase is only tried where its second word follows.
    phrases: Box<[(u32, ItemId)]>,
    /// The rules with a regex word start that begins this word (or is
    /// it), in [`Table::prefix_lengths`] order, possibly repeated.
    prefix_rules: Box<[usize]>,
}

impl Word {
    /// Analyzes `text` (a lower-case word) and looks it up in `table`;
    /// `None` when no rule can use the word.
    fn new(text: &str, table: &Table, lang: &Analyzer, plain: &Analyzer) -> Option<Word> {
        let mut terms: Vec<ItemId> = Vec::new();
        if !table.terms.is_empty() {
            for stem in lang.terms(text) {
                if let Some(items) = table.terms.get(&stem) {
                    terms.extend(items);
                }
            }
        }
        let plain = plain.terms(text).pop().unwrap_or_default();
        let mut phrases: Vec<(u32, ItemId)> = table
            .phrases
            .get(&plain)
            .into_iter()
            .flatten()
            .filter_map(|&id| match &table.items[id].kind {
                ItemKind::Phrase(words) => Some((words.get(1).copied().unwrap_or(ONE_WORD), id)),
                ItemKind::Term => None,
            })
            .collect();
        phrases.sort_unstable();
        let plain = table
            .phrase_words
            .get(&plain)
            .copied()
            .unwrap_or(NOT_IN_PHRASES);
        let mut prefix_rules: Vec<usize> = Vec::new();
        if !table.prefix_rules.is_empty() {
            for &n in &table.prefix_lengths {
                if let Some((end, _)) = text.char_indices().nth(n) {
                    if let Some(r) = table.prefix_rules.get(&text[..end]) {
                        prefix_rules.extend(r);
                    }
                } else if text.chars().count() == n
                    && let Some(r) = table.prefix_rules.get(text)
                {
                    prefix_rules.extend(r);
                }
            }
        }
        let unused = terms.is_empty()
            && phrases.is_empty()
            && prefix_rules.is_empty()
            && plain == NOT_IN_PHRASES;
        (!unused).then(|| Word {
            plain,
            terms: terms.into(),
            phrases: phrases.into(),
            prefix_rules: prefix_rules.into(),
        })
    }
}

/// [`Word::plain`] of a word no phrase has.
const NOT_IN_PHRASES: u32 = u32::MAX;

/// The second word of a phrase of one word, in [`Word::phrases`].
const ONE_WORD: u32 = u32::MAX;

/// Analyzed words, by lower-case spelling, for one language: a word is
/// stemmed and looked up once however often it occurs. `None` for the
/// words no rule can use (most of them).
pub(crate) type WordCache = FastMap<String, Option<Rc<Word>>>;

/// A word of a segment that some rule can use: one that matches a term,
/// starts or continues a phrase, or begins with a regex's word start.
/// Other words are left out: nothing they could match is lost, as a
/// phrase finds no word where it finds an unusable one.
pub(crate) struct Token {
    position: usize,
    start: usize,
    end: usize,
    word: Rc<Word>,
}

/// The words of a segment that some rule can use ([`Token`]), split and
/// lower-cased by `exact`, each analyzed by `lang` and `plain` and looked
/// up in `table` through `cache`, into `out` (cleared first). Every filter
/// of the analyzers works on one word at a time, so this gives the terms
/// the index holds.
pub(crate) fn tokens(
    text: &str,
    table: &Table,
    analyzers: (&Analyzer, &Analyzer, &Analyzer),
    cache: &mut WordCache,
    out: &mut Vec<Token>,
) {
    let (exact, lang, plain) = analyzers;
    out.clear();
    out.extend(exact.tokens(text).into_iter().filter_map(|t| {
        let word = if let Some(w) = cache.get(&t.text) {
            w.clone()?
        } else {
            let w = Word::new(&t.text, table, lang, plain).map(Rc::new);
            cache.insert(t.text, w.clone());
            w?
        };
        Some(Token {
            position: t.position,
            start: t.start,
            end: t.end,
            word,
        })
    }));
}

/// The rules of `table`'s language that may match a segment: those with an
/// item that occurs, or a regex whose word start begins a word there (or
/// that has none), as sorted rule indices, into `out` (cleared first).
pub(crate) fn rules_to_check(
    table: &Table,
    tokens: &[Token],
    occs: &Occurrences,
    out: &mut Vec<usize>,
) {
    out.clear();
    out.extend(&table.regex_everywhere);
    for item in occs.items() {
        out.extend(&table.item_rules[item]);
    }
    for t in tokens {
        out.extend(&t.word.prefix_rules);
    }
    out.sort_unstable();
    out.dedup();
}

/// Where the items of a language's [`Table`] occur in one segment. Kept
/// from segment to segment to reuse its lists.
#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    /// By item; empty for items that do not occur.
    lists: Vec<Vec<Occ>>,
    /// Items that occur, in order of first occurrence.
    found: Vec<ItemId>,
    /// Token index at each word position (phrase matching).
    at: Vec<Option<usize>>,
}

impl Occurrences {
    /// The occurrences of `item`, in text order; `None` when it does not
    /// occur.
    pub fn get(&self, item: ItemId) -> Option<&Vec<Occ>> {
        self.lists.get(item).filter(|l| !l.is_empty())
    }

    /// The items that occur.
    pub fn items(&self) -> impl Iterator<Item = ItemId> + '_ {
        self.found.iter().copied()
    }

    fn clear(&mut self, items: usize) {
        for &id in &self.found {
            self.lists[id].clear();
        }
        self.found.clear();
        if self.lists.len() < items {
            self.lists.resize_with(items, Vec::new);
        }
    }

    fn push(&mut self, id: ItemId, occ: Occ) {
        let list = &mut self.lists[id];
        if list.is_empty() {
            self.found.push(id);
        }
        list.push(occ);
    }
}

/// Finds the occurrences of every item of `table` in a segment, into
/// `out`.
pub(crate) fn occurrences(
    table: &Table,
    tokens: &[Token],
    seg: &SegmentText<'_>,
    out: &mut Occurrences,
) {
    out.clear(table.items.len());
    for t in tokens {
        for &id in &*t.word.terms {
            let list = &out.lists[id];
            // Two terms of one word (accent variants) are one
            // occurrence.
            if list.last().is_none_or(|o| o.first != t.position) {
                out.push(
                    id,
                    Occ {
                        first: t.position,
                        last: t.position,
                        start: t.start,
                        end: t.end,
                        sentence: seg.sentence_of(t.start),
                    },
                );
            }
        }
    }
    if tokens.iter().all(|t| t.word.phrases.is_empty()) {
        return;
    }
    let size = tokens.iter().map(|t| t.position + 1).max().unwrap_or(0);
    let mut at = std::mem::take(&mut out.at);
    at.clear();
    at.resize(size, None);
    for (i, t) in tokens.iter().enumerate() {
        at[t.position] = Some(i);
    }
    for t in tokens {
        if t.word.phrases.is_empty() {
            continue;
        }
        // The phrases worth trying: those of one word, and those whose
        // second word is the next word.
        let next = at
            .get(t.position + 1)
            .copied()
            .flatten()
            .map_or(NOT_IN_PHRASES, |i| tokens[i].word.plain);
        let with_second = |second: u32| {
            let from = t.word.phrases.partition_point(|p| p.0 < second);
            let to = t.word.phrases.partition_point(|p| p.0 <= second);
            &t.word.phrases[from..to]
        };
        let one_word = with_second(ONE_WORD);
        let two_words = if next == NOT_IN_PHRASES {
            &[][..]
        } else {
            with_second(next)
        };
        for &(_, id) in one_word.iter().chain(two_words) {
            let ItemKind::Phrase(words) = &table.items[id].kind else {
                continue;
            };
            let last = t.position + words.len() - 1;
            let mut previous_end = t.end;
            let all = words.iter().enumerate().skip(1).all(|(k, w)| {
                let Some(i) = at.get(t.position + k).copied().flatten() else {
                    return false;
                };
                let ok = tokens[i].word.plain == *w
                    && joins_words(seg.slice(previous_end, tokens[i].start));
                previous_end = tokens[i].end;
                ok
            });
            let Some(end_token) = at.get(last).copied().flatten() else {
                continue;
            };
            let end = tokens[end_token].end;
            let sentence = seg.sentence_of(t.start);
            // A phrase does not reach across a sentence end.
            if all && seg.sentence_of(end - 1) == sentence {
                out.push(
                    id,
                    Occ {
                        first: t.position,
                        last,
                        start: t.start,
                        end,
                        sentence,
                    },
                );
            }
        }
    }
    out.at = at;
}

/// Why a match of a rule does not code its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// A `not` entry occurs in the unit.
    Veto(String),
    /// A negator comes before the match: the words before it.
    Negated(String),
}

/// One match of a rule in a segment.
#[derive(Debug, Clone)]
pub(crate) struct RuleMatch {
    /// The unit the match codes (characters of the segment).
    pub unit: (usize, usize),
    /// The matched words and phrases (characters of the segment).
    pub spans: Vec<(usize, usize)>,
    pub rejection: Option<Rejection>,
}

/// What a rule found in a segment.
#[derive(Debug, Default)]
pub(crate) struct RuleEval {
    pub matches: Vec<RuleMatch>,
    /// For `near`: entries of both sides found, but not within range in
    /// one unit, as (a side found, b side found).
    pub near_partial: Option<(Vec<String>, Vec<String>)>,
}

/// A positive match before units, vetoes and negation: start, end, first
/// sentence, last sentence, matched spans.
type Found = (usize, usize, usize, usize, Vec<(usize, usize)>);

/// Checks `rule` on a segment whose words are `tokens` and item
/// occurrences `occs`.
pub(crate) fn evaluate(
    rule_index: usize,
    rule: &CompiledRule,
    table: &Table,
    tokens: &[Token],
    occs: &Occurrences,
    seg: &SegmentText<'_>,
) -> RuleEval {
    let mut eval = RuleEval::default();
    let mut found: Vec<Found> = Vec::new();
    for id in rule.terms.iter().chain(&rule.phrases) {
        for o in occs.get(*id).into_iter().flatten() {
            found.push((
                o.start,
                o.end,
                o.sentence,
                o.sentence,
                vec![(o.start, o.end)],
            ));
        }
    }
    if let Some((a, b, within)) = &rule.near {
        let side = |ids: &[ItemId]| -> Vec<Occ> {
            let mut v: Vec<Occ> = ids
                .iter()
                .flat_map(|id| occs.get(*id).into_iter().flatten().copied())
                .collect();
            v.sort_by_key(|o| (o.start, o.end));
            v.dedup();
            v
        };
        let (a_occs, b_occs) = (side(a), side(b));
        let before = found.len();
        for x in &a_occs {
            for y in &b_occs {
                let (p, q) = if x.last < y.first {
                    (x, y)
                } else if y.last < x.first {
                    (y, x)
                } else {
                    continue; // the same words
                };
                if q.first - p.last - 1 > *within {
                    continue;
                }
                if rule.unit == Unit::Sentence && p.sentence != q.sentence {
                    continue;
                }
                found.push((
                    p.start,
                    q.end,
                    p.sentence,
                    q.sentence,
                    vec![(p.start, p.end), (q.start, q.end)],
                ));
            }
        }
        if found.len() == before && !a_occs.is_empty() && !b_occs.is_empty() {
            let texts = |v: &[Occ]| {
                let mut t: Vec<String> = v
                    .iter()
                    .map(|o| seg.slice(o.start, o.end).to_owned())
                    .collect();
                t.dedup();
                t
            };
            eval.near_partial = Some((texts(&a_occs), texts(&b_occs)));
        }
    }
    let mut regex_match = |start: usize, end: usize| {
        if start < end {
            found.push((
                start,
                end,
                seg.sentence_of(start),
                seg.sentence_of(end - 1),
                vec![(start, end)],
            ));
        }
    };
    match &rule.regex_prefixes {
        // Every match starts a word with one of the prefixes: try the
        // anchored regexes at those words only.
        Some(prefixes) if !rule.regex.is_empty() => {
            for t in tokens {
                // The word starts with one of the rule's prefixes.
                if !t.word.prefix_rules.contains(&rule_index) {
                    continue;
                }
                let from = seg.byte_of(t.start);
                for (_, anchored) in &rule.regex {
                    if let Some(m) = anchored.find(&seg.text[from..]) {
                        regex_match(t.start, seg.char_of(from + m.end()));
                    }
                }
            }
        }
        _ => {
            for (re, _) in &rule.regex {
                for m in re.find_iter(seg.text) {
                    regex_match(seg.char_of(m.start()), seg.char_of(m.end()));
                }
            }
        }
    }
    found.sort_by(|x, y| (x.0, x.1, &x.4).cmp(&(y.0, y.1, &y.4)));
    found.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1 && x.4 == y.4);

    let n = seg.len();
    for (start, end, s_first, s_last, spans) in found {
        let unit = match rule.unit {
            Unit::Segment => (0, n),
            Unit::Sentence => (
                seg.sentences[s_first].0.min(start),
                seg.sentences[s_last].1.max(end),
            ),
        };
        let mut rejection = None;
        if rule.negation {
            let before = seg.words_before(s_first, start);
            if is_negated(&before, &rule.lang) {
                rejection = Some(Rejection::Negated(before.join(" ")));
            }
        }
        if rejection.is_none()
            && let Some(&veto) = rule.not.iter().find(|id| {
                occs.get(**id)
                    .into_iter()
                    .flatten()
                    .any(|o| o.start >= unit.0 && o.end <= unit.1)
            })
        {
            rejection = Some(Rejection::Veto(table.items[veto].text.clone()));
        }
        eval.matches.push(RuleMatch {
            unit,
            spans,
            rejection,
        });
    }
    eval
}

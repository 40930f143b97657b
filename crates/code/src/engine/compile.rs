//! From a checked codebook to what the engine runs: the words and phrases
//! of every rule, analyzed once per language into lookup tables, and one
//! index query per rule.

use std::collections::HashMap;
use std::fmt::Write as _;

use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use voces_corpus::Role;
use voces_index::Analyzer;

use crate::{Codebook, Unit};

/// Shortest regex prefix worth a prefix query: shorter ones match too many
/// words, and the rule reads every segment of its language instead.
const MIN_PREFIX_CHARS: usize = 2;

/// Index of an item in its language's [`Table`].
pub(crate) type ItemId = usize;

/// `FNV-1a`: the maps of words are looked up once per word of every
/// candidate segment, with short keys, where the resistance of `SipHash` to
/// chosen keys buys nothing (the keys come from the codebook and the
/// corpus) and costs a fifth of the run.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map with [`Fnv`] hashing.
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A word or phrase of a rule, as the engine compares it.
#[derive(Debug, Clone)]
pub(crate) enum ItemKind {
    /// One word through the language's stemmer; the terms it analyzes to
    /// are keys of [`Table::terms`].
    Term,
    /// Words in sequence, lower case and accent-folded, not stemmed, as
    /// keys of [`Table::phrase_words`].
    Phrase(Vec<u32>),
}

/// A word or phrase, shared by every rule of a language that uses it.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// As written in the codebook (NFC, whitespace collapsed).
    pub text: String,
    pub kind: ItemKind,
}

/// The items of one rule language and how to find them in analyzed text.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub items: Vec<Item>,
    /// Analyzed term → the `Term` items it matches.
    pub terms: FastMap<String, Vec<ItemId>>,
    /// First folded word → the `Phrase` items starting with it.
    pub phrases: FastMap<String, Vec<ItemId>>,
    /// Folded word of some phrase → its number, so that phrases compare
    /// numbers rather than strings.
    pub phrase_words: FastMap<String, u32>,
    /// (is term, text) → item, to share items between rules.
    ids: HashMap<(bool, String), ItemId>,
    /// Item → the rules (indices into the compiled rules) that match when
    /// it occurs, with other conditions: terms, phrases, `near` entries.
    pub item_rules: Vec<Vec<usize>>,
    /// Regex word start → the rules whose regexes start with it.
    pub prefix_rules: FastMap<String, Vec<usize>>,
    /// Lengths (characters) of the keys of `prefix_rules`.
    pub prefix_lengths: Vec<usize>,
    /// Rules whose regexes have no known word start: checked everywhere.
    pub regex_everywhere: Vec<usize>,
}

impl Table {
    /// The item for an entry: a term when `term` (or when the entry is one
    /// word and `one_word_is_term`), else a phrase.
    fn item(&mut self, text: &str, as_term: bool, lang: &Analyzer, plain: &Analyzer) -> ItemId {
        let key = (as_term, text.to_owned());
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.items.len();
        let kind = if as_term {
            let mut terms: Vec<String> = Vec::new();
            for t in lang.tokens(text) {
                if !terms.contains(&t.text) {
                    terms.push(t.text);
                }
            }
            for t in &terms {
                self.terms.entry(t.clone()).or_default().push(id);
            }
            ItemKind::Term
        } else {
            let words: Vec<String> = plain.tokens(text).into_iter().map(|t| t.text).collect();
            if let Some(first) = words.first() {
                self.phrases.entry(first.clone()).or_default().push(id);
            }
            let numbers = &mut self.phrase_words;
            let words = words
                .into_iter()
                .map(|w| {
                    let next = numbers.len() as u32;
                    *numbers.entry(w).or_insert(next)
                })
                .collect();
            ItemKind::Phrase(words)
        };
        self.items.push(Item {
            text: text.to_owned(),
            kind,
        });
        self.ids.insert(key, id);
        id
    }
}

/// A rule ready to run.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub id: String,
    pub code: String,
    pub lang: String,
    pub roles: Vec<Role>,
    pub unit: Unit,
    pub negation: bool,
    pub terms: Vec<ItemId>,
    pub phrases: Vec<ItemId>,
    /// `a`, `b`, `within`.
    pub near: Option<(Vec<ItemId>, Vec<ItemId>, usize)>,
    /// Each regex searching and anchored at the start of the text.
    pub regex: Vec<(Regex, Regex)>,
    /// Lower-case word starts one of which every regex match begins with
    /// (see [`regex_prefixes`]); `None` when unknown.
    pub regex_prefixes: Option<Vec<String>>,
    pub not: Vec<ItemId>,
    /// An index query that finds every segment the rule can match (a
    /// superset), in the query language of `voces search`, for
    /// `--explain`-style checks; auto-coding runs one query per language
    /// ([`language_queries`]).
    pub query: String,
    /// True when the query cannot narrow the rule down (a regex without a
    /// literal start): every segment of the language is a candidate.
    pub reads_all: bool,
    /// What a segment must hold for the rule to match ([`rule_alternatives`]);
    /// `None` with `reads_all`.
    pub alternatives: Option<String>,
}

/// The analyzers the index uses: one per project language, the first also
/// for segments in languages the project does not list.
pub(crate) struct Analyzers {
    languages: Vec<String>,
    lang: Vec<Analyzer>,
    pub plain: Analyzer,
    pub exact: Analyzer,
}

impl Analyzers {
    pub fn new(languages: &[String]) -> Analyzers {
        let languages: Vec<String> = if languages.is_empty() {
            vec!["en".to_owned()]
        } else {
            languages.to_vec()
        };
        Analyzers {
            lang: languages.iter().map(|l| Analyzer::language(l)).collect(),
            plain: Analyzer::plain(&languages),
            exact: Analyzer::exact(),
            languages,
        }
    }

    /// The analyzer of segments in language `code`.
    pub fn of(&self, code: &str) -> &Analyzer {
        let i = self.languages.iter().position(|l| l == code).unwrap_or(0);
        &self.lang[i]
    }
}

/// Compiles every rule of `codebook`; tables by rule language.
pub(crate) fn compile(
    codebook: &Codebook,
    analyzers: &Analyzers,
) -> (Vec<CompiledRule>, HashMap<String, Table>) {
    let mut tables: HashMap<String, Table> = HashMap::new();
    let mut rules = Vec::new();
    for (code, rule) in codebook.rules() {
        let lang = analyzers.of(&rule.lang);
        let plain = &analyzers.plain;
        let table = tables.entry(rule.lang.clone()).or_default();
        // In `near` and `not`, one word is a term and several a phrase;
        // `near` with `exact` has phrases only.
        let mut entry = |text: &str, exact: bool| {
            let one_word = plain.tokens(text).len() == 1 && !text.contains(char::is_whitespace);
            table.item(text, one_word && !exact, lang, plain)
        };
        let near = rule.near.as_ref().map(|n| {
            (
                n.a.iter().map(|e| entry(e, n.exact)).collect::<Vec<_>>(),
                n.b.iter().map(|e| entry(e, n.exact)).collect::<Vec<_>>(),
                n.within as usize,
            )
        });
        let not = rule.not.iter().map(|e| entry(e, false)).collect();
        let terms = rule
            .terms
            .iter()
            .map(|t| table.item(t, true, lang, plain))
            .collect();
        let phrases = rule
            .phrases
            .iter()
            .map(|p| table.item(p, false, lang, plain))
            .collect();
        let mut compiled = CompiledRule {
            id: rule.id.clone(),
            code: code.id.clone(),
            lang: rule.lang.clone(),
            roles: rule.roles.clone(),
            unit: rule.unit,
            negation: rule.negation,
            terms,
            phrases,
            near,
            regex: rule
                .regex
                .iter()
                .map(|p| (p.regex().clone(), p.anchored().clone()))
                .collect(),
            not,
            query: String::new(),
            reads_all: false,
            alternatives: None,
            regex_prefixes: None,
        };
        let prefixes: Option<Vec<String>> = rule
            .regex
            .iter()
            .map(|p| regex_prefixes(p.as_str()))
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|v| v.into_iter().flatten().collect());
        let (query, reads_all) = query_text(&compiled, table, prefixes.as_deref());
        compiled.alternatives = prefixes
            .as_deref()
            .and_then(|p| rule_alternatives(&compiled, table, p));
        compiled.query = query;
        compiled.reads_all = reads_all;
        compiled.regex_prefixes = prefixes;
        let index = rules.len();
        let positive = compiled
            .terms
            .iter()
            .chain(&compiled.phrases)
            .chain(compiled.near.iter().flat_map(|(a, b, _)| a.iter().chain(b)));
        for &item in positive {
            if table.item_rules.len() <= item {
                table.item_rules.resize(item + 1, Vec::new());
            }
            if table.item_rules[item].last() != Some(&index) {
                table.item_rules[item].push(index);
            }
        }
        if !compiled.regex.is_empty() {
            match &compiled.regex_prefixes {
                Some(prefixes) => {
                    for p in prefixes {
                        table.prefix_rules.entry(p.clone()).or_default().push(index);
                        let n = p.chars().count();
                        if !table.prefix_lengths.contains(&n) {
                            table.prefix_lengths.push(n);
                        }
                    }
                }
                None => table.regex_everywhere.push(index),
            }
        }
        rules.push(compiled);
    }
    for table in tables.values_mut() {
        let n = table.items.len();
        table.item_rules.resize(n, Vec::new());
    }
    (rules, tables)
}

/// The query finding every segment a rule can match: its language, its
/// roles, and [`rule_alternatives`]. Returns the query and whether it is
/// only the language and roles (the rule reads every segment).
fn query_text(rule: &CompiledRule, table: &Table, prefixes: Option<&[String]>) -> (String, bool) {
    let mut q = format!("lang:{}", rule.lang);
    if let Some(roles) = role_filter(&rule.roles) {
        let _ = write!(q, " {roles}");
    }
    match prefixes.and_then(|p| rule_alternatives(rule, table, p)) {
        Some(alternatives) => {
            let _ = write!(q, " {alternatives}");
            (q, false)
        }
        None => (q, true),
    }
}

/// `role:a` or `(role:a OR role:b)`; `None` for every role.
pub(crate) fn role_filter(roles: &[voces_corpus::Role]) -> Option<String> {
    match roles {
        [] => None,
        [one] => Some(format!("role:{}", one.as_str())),
        many => {
            let roles: Vec<String> = many
                .iter()
                .map(|r| format!("role:{}", r.as_str()))
                .collect();
            Some(format!("({})", roles.join(" OR ")))
        }
    }
}

/// What a segment must hold for a rule to match there, as one parenthesized
/// query: any of its terms and phrases, both sides of its `near`, or the
/// literal start of its regexes. A phrase is searched as its two longest
/// words ([`query_word`]), not as a phrase: phrase queries on common words
/// (`la`, `the`) read long position lists, and the verification checks the
/// phrase anyway. `None` when nothing narrows the rule down.
pub(crate) fn rule_alternatives(
    rule: &CompiledRule,
    table: &Table,
    prefixes: &[String],
) -> Option<String> {
    let mut alternatives: Vec<String> = Vec::new();
    // Query words go through the same analyzers as the text.
    let word = |id: ItemId| query_word(&table.items[id].text);
    for &id in rule.terms.iter().chain(&rule.phrases) {
        alternatives.extend(word(id));
    }
    if let Some((a, b, _)) = &rule.near {
        let a = dedup(a.iter().filter_map(|&id| word(id)));
        let b = dedup(b.iter().filter_map(|&id| word(id)));
        if !a.is_empty() && !b.is_empty() {
            alternatives.push(format!("(({}) ({}))", a.join(" OR "), b.join(" OR ")));
        }
    }
    for p in prefixes {
        alternatives.push(format!("{p}*"));
    }
    let alternatives = dedup(alternatives.into_iter());
    (!alternatives.is_empty()).then(|| format!("({})", alternatives.join(" OR ")))
}

fn dedup(words: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// What a query looks for of an entry: its word, or for a phrase its two
/// longest words of three letters or more (usually the rarest), both
/// required but anywhere in the segment: `la fecha de corte` → `(fecha
/// corte)`. Words are runs of letters and digits, lower case.
fn query_word(text: &str) -> Option<String> {
    let mut words: Vec<String> = text
        .split(|c: char| {
            !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c))
        })
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // Longest first; the stable sort keeps text order among equals.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    let long: Vec<&String> = words
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .take(2)
        .collect();
    match long.as_slice() {
        [] => words.first().cloned(),
        [one] => Some((*one).clone()),
        [a, b, ..] => Some(format!("({a} {b})")),
    }
}

/// The word prefixes every match of a rule's regex starts with, lower
/// case: the literal start of each alternative up to its first character
/// that is not a letter or digit. `None` when some match can start without
/// such a literal (`\w+ing`), when there are too many, or when one is too
/// short to narrow the search.
pub(crate) fn regex_prefixes(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let seq = extractor.extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for lit in literals {
        let text = String::from_utf8_lossy(lit.as_bytes());
        let word: String = text
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if word.chars().count() < MIN_PREFIX_CHARS {
            return None;
        }
        if !out.contains(&word) {
            out.push(word);
        }
    }
    // A shorter prefix covers the longer ones it starts.
    out.sort();
    let mut kept: Vec<String> = Vec::new();
    for w in out {
        if !kept.iter().any(|k| w.starts_with(k.as_str())) {
            kept.push(w);
        }
    }
    Some(kept)
}

/// One index query per rule language: the segments of that language any of
/// its rules can match (each group of rules with the same roles under its
/// role filter). Sorted by language.
pub(crate) fn language_queries(rules: &[CompiledRule]) -> Vec<(String, String)> {
    let mut langs: Vec<&str> = rules.iter().map(|r| r.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    let mut out = Vec::new();
    for lang in langs {
        // roles → alternatives (None: the whole role group).
        let mut groups: Vec<(Vec<voces_corpus::Role>, Option<Vec<String>>)> = Vec::new();
        for r in rules.iter().filter(|r| r.lang == lang) {
            let mut who = r.roles.clone();
            who.sort();
            who.dedup();
            let slot = if let Some(i) = groups.iter().position(|(g, _)| *g == who) {
                i
            } else {
                groups.push((who, Some(Vec::new())));
                groups.len() - 1
            };
            match (&mut groups[slot].1, &r.alternatives) {
                (Some(list), Some(a)) => list.push(a.clone()),
                (group, _) => *group = None,
            }
        }
        let mut whole_language = false;
        let mut parts: Vec<String> = Vec::new();
        for (roles, alternatives) in &groups {
            match (role_filter(roles), alternatives) {
                (None, None) => whole_language = true,
                (Some(f), None) => parts.push(f),
                (None, Some(a)) => parts.push(format!("({})", a.join(" OR "))),
                (Some(f), Some(a)) => parts.push(format!("({f} ({}))", a.join(" OR "))),
            }
        }
        let query = if whole_language || parts.is_empty() {
            format!("lang:{lang}")
        } else {
            format!("lang:{lang} ({})", parts.join(" OR "))
        };
        out.push((lang.to_owned(), query));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_regexes() {
        assert_eq!(regex_prefixes(r"deporta\w*").unwrap(), ["deporta"]);
        assert_eq!(
            regex_prefixes(r"(?:in)?elegib(?:le|les|ilidad)").unwrap(),
            ["elegibilidad", "elegible", "inelegibilidad", "inelegible"]
        );
        assert_eq!(regex_prefixes(r"dari[eé]n").unwrap(), ["darien", "darién"]);
        assert_eq!(
            regex_prefixes(r"paid (?:a|some) (?:\w+ ){0,2}?man").unwrap(),
            ["paid"]
        );
        assert_eq!(regex_prefixes(r"Coyot\w+").unwrap(), ["coyot"]);
        // No literal start: the rule reads every segment.
        assert_eq!(regex_prefixes(r"\w+ción"), None);
        assert_eq!(regex_prefixes(r"\d+ dólares"), None);
        assert_eq!(regex_prefixes(r"a\w+"), None);
    }

    #[test]
    fn query_words_are_safe() {
        assert_eq!(query_word("coyote").unwrap(), "coyote");
        assert_eq!(query_word("somebody else's").unwrap(), "(somebody else)");
        assert_eq!(query_word("la fecha de corte").unwrap(), "(fecha corte)");
        assert_eq!(query_word("H-2A").unwrap(), "2a");
        assert_eq!(query_word("de la").unwrap(), "de");
        assert_eq!(query_word("AND").unwrap(), "and");
        assert_eq!(query_word("¿?"), None);
    }
}

//! Pairs of consecutive frequent words, so that phrases of frequent words
//! (`"no sé"`, `"I don't know"`) do not compare the positions of hundreds
//! of thousands of documents.
//!
//! The `pairs_<code>` field of a segment holds, for every two consecutive
//! words of its text whose terms under the language analyzer are both
//! *common terms*, each common term of the first with each of the second,
//! joined by a space (no term holds one): `no se` for `no sé`, at the
//! position of the first word. The common terms of a language are the
//! terms of its most frequent words in speech (function words and a few
//! verbs, [`common_words`]), so a pair term is held at a position exactly
//! when the phrase of its two terms matches there: a two-word phrase of
//! common terms is one term lookup, and a longer one is a phrase of pairs
//! (`"I don't know"` is `i don`, `don t`, `t know` at consecutive
//! positions), whose lists and positions are a fraction of those of its
//! words. A phrase with rarer words too reads the positions of its words
//! only in the documents holding its runs of pairs; one of a rare word and
//! a common one needs no pairs: the rare word's few documents lead.
//!
//! The lists are part of the index layout ([`crate::INDEX_VERSION`]):
//! changing one changes which pairs an index holds. Languages without a list
//! have no pairs.

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::analysis::{Analyzer, Words, word_terms};

/// The terms of a language's common words.
pub(crate) type CommonTerms = Arc<FxHashSet<String>>;

/// The most frequent words of speech in a language (ISO 639-1), lower case;
/// empty for languages without a list. Contractions are listed as the
/// analyzers split them (`don` `t`).
pub fn common_words(code: &str) -> &'static [&'static str] {
    match code {
        "en" => &[
            "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "aren", "as",
            "at", "be", "because", "been", "before", "being", "but", "by", "can", "could",
            "couldn", "d", "did", "didn", "do", "does", "doesn", "doing", "don", "down", "even",
            "for", "from", "get", "go", "going", "got", "had", "has", "have", "he", "her", "here",
            "him", "his", "how", "i", "if", "in", "into", "is", "isn", "it", "its", "just", "know",
            "like", "ll", "m", "me", "mean", "my", "no", "not", "now", "of", "oh", "on", "one",
            "only", "or", "our", "out", "over", "re", "s", "said", "say", "she", "so", "some", "t",
            "than", "that", "the", "their", "them", "then", "there", "these", "they", "think",
            "this", "those", "to", "too", "up", "us", "ve", "very", "was", "wasn", "we", "well",
            "went", "were", "what", "when", "where", "which", "who", "why", "will", "with",
            "would", "wouldn", "yeah", "yes", "you", "your",
        ],
        "es" => &[
            "a", "ahí", "al", "algo", "allí", "aquí", "así", "bien", "bueno", "como", "con",
            "cuando", "de", "del", "donde", "e", "eh", "el", "ella", "ellas", "ellos", "en",
            "entonces", "era", "es", "esa", "ese", "eso", "esta", "estaba", "estaban", "está",
            "este", "esto", "estoy", "fue", "ha", "había", "hay", "he", "la", "las", "le", "les",
            "lo", "los", "me", "mi", "mis", "muy", "más", "nada", "no", "nos", "o", "para", "pero",
            "pues", "por", "porque", "que", "qué", "se", "si", "sí", "sé", "son", "su", "sus",
            "también", "te", "tenía", "tengo", "tiene", "todo", "todos", "tu", "un", "una", "uno",
            "unos", "y", "ya", "yo", "él",
        ],
        _ => &[],
    }
}

/// The terms of the common words of `code` under its language analyzer.
pub(crate) fn common_terms(code: &str, language: &Analyzer) -> CommonTerms {
    let mut terms = FxHashSet::default();
    for word in common_words(code) {
        terms.extend(language.terms(word));
    }
    Arc::new(terms)
}

/// The pair term of two consecutive words' terms.
pub(crate) fn pair_term(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(first.len() + second.len() + 1);
    write_pair(&mut out, first, second);
    out
}

fn write_pair(out: &mut String, first: &str, second: &str) {
    out.clear();
    out.push_str(first);
    out.push(' ');
    out.push_str(second);
}

/// The tokenizer of a `pairs_<code>` field. The common terms of each word
/// are remembered (most words of a text are frequent ones), up to
/// [`PairTokenizer::REMEMBERED`] distinct words.
#[derive(Clone)]
pub(crate) struct PairTokenizer {
    analyzer: TextAnalyzer,
    common: CommonTerms,
    /// Word as written → its common terms.
    known: FxHashMap<Box<str>, Arc<[String]>>,
    none: Arc<[String]>,
    /// The pairs of the text being tokenized: the first `len` (the tokens
    /// after them are kept for their buffers).
    pairs: Vec<Token>,
    len: usize,
    /// Scratch: the terms of a word.
    terms: Vec<String>,
}

impl PairTokenizer {
    /// Most distinct words remembered; then the memory starts over.
    const REMEMBERED: usize = 50_000;

    pub fn new(language: &Analyzer, common: CommonTerms) -> PairTokenizer {
        PairTokenizer {
            analyzer: language.text_analyzer(),
            common,
            known: FxHashMap::default(),
            none: Arc::new([]),
            pairs: Vec::new(),
            len: 0,
            terms: Vec::new(),
        }
    }

    /// The common terms of `word`.
    fn common_terms_of(&mut self, word: &str) -> Arc<[String]> {
        if let Some(terms) = self.known.get(word) {
            return terms.clone();
        }
        word_terms(&mut self.analyzer, word, &mut self.terms);
        self.terms.retain(|t| self.common.contains(t));
        let terms = if self.terms.is_empty() {
            self.none.clone()
        } else {
            self.terms.as_slice().into()
        };
        if self.known.len() >= Self::REMEMBERED {
            self.known.clear();
        }
        self.known.insert(word.into(), terms.clone());
        terms
    }

    /// Adds the pair `first second` of the words at `position` and after,
    /// which span `bytes`.
    fn push(&mut self, first: &str, second: &str, position: usize, bytes: Range<usize>) {
        if self.len == self.pairs.len() {
            self.pairs.push(Token::default());
        }
        let token = &mut self.pairs[self.len];
        write_pair(&mut token.text, first, second);
        token.position = position;
        token.offset_from = bytes.start;
        token.offset_to = bytes.end;
        token.position_length = 1;
        self.len += 1;
    }
}

/// The pairs of a text, one after the other.
pub(crate) struct PairStream<'a> {
    pairs: &'a mut [Token],
    next: usize,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        self.len = 0;
        // The common terms of the word before, and where it starts.
        let mut before: Option<(Arc<[String]>, usize)> = None;
        for (position, (bytes, _)) in Words::new(text).enumerate() {
            let terms = self.common_terms_of(&text[bytes.clone()]);
            if let Some((first, start)) = &before {
                for a in first.iter() {
                    for b in terms.iter() {
                        self.push(a, b, position - 1, *start..bytes.end);
                    }
                }
            }
            before = (!terms.is_empty()).then_some((terms, bytes.start));
        }
        PairStream {
            pairs: &mut self.pairs[..self.len],
            next: 0,
        }
    }
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.pairs.len()
    }

    fn token(&self) -> &Token {
        &self.pairs[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pairs[self.next - 1]
    }
}

//! Text analysis: how segment text and query words become index terms.
//!
//! Every analyzer starts the same way:
//!
//! 1. **Words.** A word is a run of letters and digits (any script), with
//!    the combining marks that follow them (Tamil and Devanagari vowel
//!    signs, a stray accent of text that is not NFC). Everything else splits
//!    words, apostrophes and hyphens included: `didn't` is `didn` `t`,
//!    `self-employed` is `self` `employed`. A query word that splits this
//!    way is searched as a phrase of its parts, so `didn't` finds `didn't`
//!    (and `didn t`) but not `didnt`, and `didn` alone finds `didn't`.
//!    tantivy's `SimpleTokenizer` is the same except that it splits at
//!    combining marks, which breaks Tamil words apart.
//! 2. **Lower case**, then words longer than [`MAX_WORD_BYTES`] bytes
//!    (URLs, garbage) are dropped.
//!
//! Then, per analyzer:
//!
//! * **language** (`text_en`, `text_es`...): the language's Snowball stemmer
//!   and accent folding, see below;
//! * **exact** (`text_exact`, `--exact`): nothing more, so `exclusión` and
//!   `exclusion` differ and `smugglers` does not find `smuggler`;
//! * **plain** (`text_plain`, prefix queries): accent folding, no stemming;
//! * **keyword** (speaker labels, attribute values): the whole value is one
//!   term, lower case and folded.
//!
//! # Accent folding
//!
//! Folding removes the accents of Latin letters (`é`→`e`, `ü`→`u`,
//! `ç`→`c`, `ã`→`a`) so that `exclusion` finds `exclusión` and transcripts
//! typed without accents still match. It keeps the letters a language
//! counts as letters of their own, where folding would merge different
//! words: `ñ` always (`año`/`ano`, `peña`/`pena`), and `å ä ö` for Swedish
//! and Finnish, `å` for Danish and Norwegian, `ä ö õ ü` for Estonian. The
//! plain field keeps the union over the project's languages. Letters that
//! do not decompose (`ø`, `æ`, `ß`, `ł`) and other scripts are left alone
//! (the Greek and Russian stemmers handle their own accents).
//!
//! # Stemming and folding: both orders
//!
//! A Snowball stemmer is written for correctly accented words: the Spanish
//! one knows `-ó`, `-ía`, `-ación`. So the two orders give different terms:
//!
//! * **stem then fold** conflates the accented forms of a verb (`quedó`,
//!   `quedar` → `qued`) but an unaccented query then misses: `tenía` →
//!   `ten`, while `tenia` → `teni`. Over 60 PRESEEA transcripts, 1149 of
//!   3980 accented word forms are missed by their unaccented spelling.
//! * **fold then stem** makes every accent variant analyze alike, but the
//!   stemmer no longer sees the accented suffixes: `quedó` → `quedo` → `qued`
//!   is fine, yet `trabajaría` → `trabajari` no longer meets `trabajar`;
//!   453 stem classes of the same transcripts split.
//!
//! voces does both: a word whose folded form differs from itself is indexed
//! with two terms at the same position, `stem(fold(w))` (the *canonical*
//! term, emitted first) and `fold(stem(w))` when different. A query word is
//! analyzed the same way and matches either. Any two spellings of a word
//! that differ only in folded accents then share the canonical term, and the
//! stemmer still conflates accented forms. Phrases use the canonical term of
//! each word, which every indexed word has.
//!
//! # English: one rule beyond Porter2
//!
//! Porter2 leaves `smuggler` whole but stems `smuggled` and `smuggling` to
//! `smuggl`. The English analyzer drops a final `er` after `l` and a
//! consonant (`smuggler` → `smuggl`, `settler` → `settl`, `seller` →
//! `sell`), the agent nouns of verbs in `-le` and `-ll`, so that `smugglers`
//! finds `smuggled`. Other agent nouns keep Porter2's stem: `worker` is not
//! `work`, which would also make `shoulder` meet `should` and `corner`
//! meet `corn`.
//!
//! # Spanish: one rule before Snowball
//!
//! Snowball removes one suffix per word, so `mujeres` → `mujer` but `mujer`
//! → `muj` (it takes `-er` for a verb ending), and `ciudades` → `ciudad`
//! but `ciudad` → `ciud`. The Spanish analyzer first drops the `es` of
//! `-VCes` plurals where `V` is a vowel and `C` one of `d l n r` (`mujeres`
//! → `mujer`, `ciudades` → `ciudad`, `dólares` → `dólar`), so the plural
//! and the singular of nouns ending in a consonant meet. `traficantes` and
//! `desagradables` keep their `es` (Snowball knows `-antes`, `-ables`), and
//! so do the verb endings `-ieres`, `-ueres`, `-ides` (`quieres`,
//! `decides`), which the rule would cut too short.
//!
//! # Languages without a stemmer
//!
//! ISO 639-1 codes with a Snowball stemmer in tantivy: ar da de el en es fi
//! fr hu it nl no (nb, nn) pt ro ru sv ta tr. Any other project language
//! gets the plain analyzer (folded, unstemmed) for its field.

use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::char::{compose, decompose_canonical, is_combining_mark};

/// Words longer than this many bytes (UTF-8) are not indexed.
pub const MAX_WORD_BYTES: usize = 80;

/// The name of the Snowball stemmer for an ISO 639-1 code (`"Spanish"`),
/// or `None` when there is none and the language gets the plain analyzer.
pub fn stemmer_name(code: &str) -> Option<&'static str> {
    stemmer_language(code).map(|l| match l {
        Language::Arabic => "Arabic",
        Language::Danish => "Danish",
        Language::Dutch => "Dutch",
        Language::English => "English",
        Language::Finnish => "Finnish",
        Language::French => "French",
        Language::German => "German",
        Language::Greek => "Greek",
        Language::Hungarian => "Hungarian",
        Language::Italian => "Italian",
        Language::Norwegian => "Norwegian",
        Language::Portuguese => "Portuguese",
        Language::Romanian => "Romanian",
        Language::Russian => "Russian",
        Language::Spanish => "Spanish",
        Language::Swedish => "Swedish",
        Language::Tamil => "Tamil",
        Language::Turkish => "Turkish",
    })
}

/// The Snowball stemmer of an ISO 639-1 code, if tantivy has one.
fn stemmer_language(code: &str) -> Option<Language> {
    Some(match code {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "de" => Language::German,
        "el" => Language::Greek,
        "en" => Language::English,
        "es" => Language::Spanish,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "nl" => Language::Dutch,
        "no" | "nb" | "nn" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    })
}

/// Letters that accent folding keeps for a language (lower case).
pub fn kept_letters(code: &str) -> &'static [char] {
    match code {
        "sv" | "fi" => &['ñ', 'å', 'ä', 'ö'],
        "da" | "no" | "nb" | "nn" => &['ñ', 'å'],
        "et" => &['ñ', 'ä', 'ö', 'õ', 'ü'],
        _ => &['ñ'],
    }
}

/// Folds the accents of `s` into `out`, keeping the letters in `keep`.
pub(crate) fn fold_into(s: &str, keep: &[char], out: &mut String) {
    out.clear();
    for c in s.chars() {
        if c.is_ascii() || is_kept(c, keep) {
            out.push(c);
            continue;
        }
        if is_folded_mark(c) {
            // A stray mark (text that is not NFC): after a Latin letter,
            // compose a kept letter (`n` + tilde = `ñ`) or drop it, like the
            // mark of a precomposed letter.
            match out.chars().next_back() {
                Some(p) if p.is_ascii_alphabetic() => {
                    if let Some(k) = compose(p, c).filter(|&k| is_kept(k, keep)) {
                        out.pop();
                        out.push(k);
                    }
                }
                _ => out.push(c),
            }
            continue;
        }
        let mut base = None;
        let mut marks_only = true;
        let mut n = 0;
        decompose_canonical(c, |d| {
            if n == 0 {
                base = Some(d);
            } else if !is_folded_mark(d) {
                marks_only = false;
            }
            n += 1;
        });
        match base {
            Some(b) if n > 1 && marks_only && b.is_ascii_alphabetic() => out.push(b),
            _ => out.push(c),
        }
    }
}

/// Folds the accents of `s`, keeping the letters in `keep`.
pub fn fold(s: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, keep, &mut out);
    out
}

/// `c` is a kept letter, in lower or upper case.
fn is_kept(c: char, keep: &[char]) -> bool {
    keep.iter()
        .any(|&k| k == c || k.to_uppercase().eq(std::iter::once(c)))
}

fn is_folded_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Which analyzer, for messages and the index's bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AnalyzerKind {
    /// The analyzer of a language field (`text_<code>`).
    Language(String),
    /// Lower case only (`text_exact`).
    Exact,
    /// Lower case and folded (`text_plain`).
    Plain,
    /// A whole value as one lower-case folded term (speaker, attributes).
    Keyword,
}

/// A text analyzer: the exact pipeline that indexes a field, usable on any
/// text (to check a search, or to highlight).
#[derive(Clone)]
pub struct Analyzer {
    kind: AnalyzerKind,
    inner: TextAnalyzer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("kind", &self.kind)
            .field("stemmer", &self.stemmer())
            .finish_non_exhaustive()
    }
}

/// One term of analyzed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// The term as indexed.
    pub text: String,
    /// Word position, from 0. Two terms of one word share it.
    pub position: usize,
    /// Character offset of the word's first character in the text.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
}

impl Analyzer {
    /// The analyzer of the `text_<code>` field: the language's stemmer and
    /// folding, or folding alone when tantivy has no stemmer for it.
    pub fn language(code: &str) -> Analyzer {
        let keep: Arc<[char]> = kept_letters(code).into();
        let stemmer = stemmer_language(code);
        let words = || {
            TextAnalyzer::builder(WordTokenizer::default())
                .filter(LowerCaser)
                .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
        };
        let inner = match stemmer {
            Some(Language::English) => words()
                .filter(FoldVariants { keep: keep.clone() })
                .filter(Stemmer::new(Language::English))
                .filter(EnglishAgentNouns)
                .filter(FoldDedup { keep })
                .build(),
            Some(Language::Spanish) => words()
                .filter(FoldVariants { keep: keep.clone() })
                .filter(SpanishPlurals)
                .filter(Stemmer::new(Language::Spanish))
                .filter(FoldDedup { keep })
                .build(),
            Some(lang) => words()
                .filter(FoldVariants { keep: keep.clone() })
                .filter(Stemmer::new(lang))
                .filter(FoldDedup { keep })
                .build(),
            None => words().filter(FoldDedup { keep }).build(),
        };
        Analyzer {
            kind: AnalyzerKind::Language(code.to_owned()),
            inner,
        }
    }

    /// The analyzer of `text_exact`: words in lower case, nothing else.
    pub fn exact() -> Analyzer {
        Analyzer {
            kind: AnalyzerKind::Exact,
            inner: TextAnalyzer::builder(WordTokenizer::default())
                .filter(LowerCaser)
                .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
                .build(),
        }
    }

    /// The analyzer of `text_plain`: words in lower case, folded, keeping
    /// the letters of every language in `languages`.
    pub fn plain(languages: &[String]) -> Analyzer {
        Analyzer {
            kind: AnalyzerKind::Plain,
            inner: TextAnalyzer::builder(WordTokenizer::default())
                .filter(LowerCaser)
                .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
                .filter(FoldDedup {
                    keep: union_of_kept(languages),
                })
                .build(),
        }
    }

    /// The analyzer of speaker labels and attribute values: the whole value
    /// is one term, lower case and folded (keeping `ñ`).
    pub fn keyword() -> Analyzer {
        Analyzer {
            kind: AnalyzerKind::Keyword,
            inner: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(FoldDedup {
                    keep: kept_letters("").into(),
                })
                .build(),
        }
    }

    /// Which analyzer this is.
    pub fn kind(&self) -> &AnalyzerKind {
        &self.kind
    }

    /// The name of the stemmer (`"English"`), when the analyzer stems.
    pub fn stemmer(&self) -> Option<&'static str> {
        match &self.kind {
            AnalyzerKind::Language(code) => stemmer_name(code),
            _ => None,
        }
    }

    /// The tantivy analyzer, to register in a tokenizer manager.
    pub(crate) fn text_analyzer(&self) -> TextAnalyzer {
        self.inner.clone()
    }

    /// Analyzes `text`: the terms the index holds for it, with character
    /// offsets into `text`.
    pub fn tokens(&self, text: &str) -> Vec<AnalyzedToken> {
        let mut chars = CharIndex::new(text);
        let mut analyzer = self.inner.clone();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(AnalyzedToken {
                text: t.text.clone(),
                position: t.position,
                start: chars.char_of(t.offset_from),
                end: chars.char_of(t.offset_to),
            });
        }
        out
    }

    /// The distinct terms of `text`, in order of first appearance.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.tokens(text) {
            if !out.contains(&t.text) {
                out.push(t.text);
            }
        }
        out
    }
}

fn union_of_kept(languages: &[String]) -> Arc<[char]> {
    let mut keep: Vec<char> = Vec::new();
    for l in languages {
        for &c in kept_letters(l) {
            if !keep.contains(&c) {
                keep.push(c);
            }
        }
    }
    if keep.is_empty() {
        keep.push('ñ');
    }
    keep.into()
}

/// Converts increasing byte offsets to character offsets.
struct CharIndex<'a> {
    text: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        CharIndex {
            text,
            byte: 0,
            char: 0,
        }
    }

    fn char_of(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.char = 0;
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}

// ---------------------------------------------------------------------------
// Tokenizer

/// Splits text into words: runs of letters and digits with their combining
/// marks.
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer {
    token: Token,
}

pub(crate) struct WordTokenStream<'a> {
    words: Words<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            words: Words::new(text),
            token: &mut self.token,
        }
    }
}

/// The words of a text as every analyzer but the keyword one splits it, in
/// order: byte range and character range. The word at index `n` has
/// position `n` in [`Analyzer::tokens`].
pub(crate) struct Words<'a> {
    text: &'a str,
    /// Next byte to look at, and its character offset.
    byte: usize,
    char: usize,
}

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Words<'a> {
        Words {
            text,
            byte: 0,
            char: 0,
        }
    }

    /// The character at byte `i`, which is not ASCII.
    #[inline]
    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or_default()
    }
}

impl Iterator for Words<'_> {
    type Item = (Range<usize>, Range<usize>);

    /// Runs of ASCII bytes are classified without decoding characters (the
    /// same answer: no ASCII character is a combining mark).
    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        let (mut i, mut chars) = (self.byte, self.char);
        // To the first letter or digit.
        loop {
            let run = i;
            while i < n && bytes[i].is_ascii() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            chars += i - run;
            if i >= n {
                self.byte = i;
                self.char = chars;
                return None;
            }
            if bytes[i].is_ascii() {
                break;
            }
            let c = self.char_at(i);
            if c.is_alphanumeric() {
                break;
            }
            i += c.len_utf8();
            chars += 1;
        }
        let (start, start_char) = (i, chars);
        // To the end of the word: letters, digits and combining marks.
        loop {
            let run = i;
            while i < n && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            chars += i - run;
            if i >= n || bytes[i].is_ascii() {
                break;
            }
            let c = self.char_at(i);
            if !(c.is_alphanumeric() || is_combining_mark(c)) {
                break;
            }
            i += c.len_utf8();
            chars += 1;
        }
        self.byte = i;
        self.char = chars;
        Some((start..i, start_char..chars))
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let Some((bytes, _)) = self.words.next() else {
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = bytes.start;
        self.token.offset_to = bytes.end;
        self.token.text.push_str(&self.words.text[bytes]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The terms of one word under `analyzer` (a pipeline of
/// [`WordTokenizer`] and per-word filters), in order, into `out`.
pub(crate) fn word_terms(analyzer: &mut TextAnalyzer, word: &str, out: &mut Vec<String>) {
    out.clear();
    let mut stream = analyzer.token_stream(word);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
}

// ---------------------------------------------------------------------------
// Filters

/// Emits each word folded, then (when folding changed it) as it was, at the
/// same position: the stemmer that follows sees both spellings.
#[derive(Clone)]
struct FoldVariants {
    keep: Arc<[char]>,
}

#[derive(Clone)]
struct FoldVariantsFilter<T> {
    keep: Arc<[char]>,
    inner: T,
}

struct FoldVariantsStream<T> {
    keep: Arc<[char]>,
    tail: T,
    token: Token,
    original: String,
    pending: bool,
}

impl TokenFilter for FoldVariants {
    type Tokenizer<T: Tokenizer> = FoldVariantsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldVariantsFilter<T> {
        FoldVariantsFilter {
            keep: self.keep,
            inner: tokenizer,
        }
    }
}

impl<T: Tokenizer> Tokenizer for FoldVariantsFilter<T> {
    type TokenStream<'a> = FoldVariantsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldVariantsStream {
            keep: self.keep.clone(),
            tail: self.inner.token_stream(text),
            token: Token::default(),
            original: String::new(),
            pending: false,
        }
    }
}

impl<T: TokenStream> TokenStream for FoldVariantsStream<T> {
    fn advance(&mut self) -> bool {
        if self.pending {
            self.pending = false;
            self.token.text.clear();
            self.token.text.push_str(&self.original);
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let t = self.tail.token();
        self.token.offset_from = t.offset_from;
        self.token.offset_to = t.offset_to;
        self.token.position = t.position;
        self.token.position_length = t.position_length;
        self.original.clear();
        self.original.push_str(&t.text);
        fold_into(&self.original, &self.keep, &mut self.token.text);
        self.pending = self.token.text != self.original;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Folds each term and drops a term equal to the one before it at the same
/// position (the two spellings of a word that stemmed alike).
#[derive(Clone)]
struct FoldDedup {
    keep: Arc<[char]>,
}

#[derive(Clone)]
struct FoldDedupFilter<T> {
    keep: Arc<[char]>,
    inner: T,
}

struct FoldDedupStream<T> {
    keep: Arc<[char]>,
    tail: T,
    buffer: String,
    last_position: usize,
    last_text: String,
}

impl TokenFilter for FoldDedup {
    type Tokenizer<T: Tokenizer> = FoldDedupFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldDedupFilter<T> {
        FoldDedupFilter {
            keep: self.keep,
            inner: tokenizer,
        }
    }
}

impl<T: Tokenizer> Tokenizer for FoldDedupFilter<T> {
    type TokenStream<'a> = FoldDedupStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldDedupStream {
            keep: self.keep.clone(),
            tail: self.inner.token_stream(text),
            buffer: String::new(),
            last_position: usize::MAX,
            last_text: String::new(),
        }
    }
}

impl<T: TokenStream> TokenStream for FoldDedupStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token_mut();
            if !token.text.is_ascii() {
                fold_into(&token.text, &self.keep, &mut self.buffer);
                std::mem::swap(&mut token.text, &mut self.buffer);
            }
            if token.position == self.last_position && token.text == self.last_text {
                continue;
            }
            self.last_position = token.position;
            self.last_text.clear();
            self.last_text.push_str(&token.text);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Before the Spanish stemmer: `mujeres` → `mujer`, see the module docs.
#[derive(Clone)]
struct SpanishPlurals;

#[derive(Clone)]
struct SpanishPluralsFilter<T> {
    inner: T,
}

struct SpanishPluralsStream<T> {
    tail: T,
}

impl TokenFilter for SpanishPlurals {
    type Tokenizer<T: Tokenizer> = SpanishPluralsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SpanishPluralsFilter<T> {
        SpanishPluralsFilter { inner: tokenizer }
    }
}

impl<T: Tokenizer> Tokenizer for SpanishPluralsFilter<T> {
    type TokenStream<'a> = SpanishPluralsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SpanishPluralsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

impl<T: TokenStream> TokenStream for SpanishPluralsStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if spanish_plural_of_consonant_noun(text) {
            let n = text.len() - 2;
            text.truncate(n);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// `mujeres`, `ciudades`, `papeles`, `naciones`: a word of five letters or
/// more ending in a vowel, `d`, `l`, `n` or `r`, then `es`; not the verb
/// endings `-ieres`, `-ueres`, `-ides` (`quieres`, `mueres`, `decides`).
fn spanish_plural_of_consonant_noun(word: &str) -> bool {
    let Some(stem) = word.strip_suffix("es") else {
        return false;
    };
    let mut rev = stem.chars().rev();
    let (Some(consonant), Some(vowel)) = (rev.next(), rev.next()) else {
        return false;
    };
    "dlnr".contains(consonant)
        && "aeiouáéíóú".contains(vowel)
        && stem.chars().count() >= 3
        && !word.ends_with("ieres")
        && !word.ends_with("ueres")
        && !word.ends_with("ides")
}

/// After the English stemmer: `smuggler` → `smuggl`, see the module docs.
#[derive(Clone)]
struct EnglishAgentNouns;

#[derive(Clone)]
struct EnglishAgentNounsFilter<T> {
    inner: T,
}

struct EnglishAgentNounsStream<T> {
    tail: T,
}

impl TokenFilter for EnglishAgentNouns {
    type Tokenizer<T: Tokenizer> = EnglishAgentNounsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> EnglishAgentNounsFilter<T> {
        EnglishAgentNounsFilter { inner: tokenizer }
    }
}

impl<T: Tokenizer> Tokenizer for EnglishAgentNounsFilter<T> {
    type TokenStream<'a> = EnglishAgentNounsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        EnglishAgentNounsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

impl<T: TokenStream> TokenStream for EnglishAgentNounsStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        let b = text.as_bytes();
        let n = b.len();
        if n >= 6
            && text.ends_with("ler")
            && b[n - 4].is_ascii_lowercase()
            && !matches!(b[n - 4], b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
        {
            text.truncate(n - 2);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(a: &Analyzer, s: &str) -> Vec<(String, usize)> {
        a.tokens(s)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn words_keep_accents_and_marks_split_punctuation() {
        let exact = Analyzer::exact();
        assert_eq!(
            exact.terms("La exclusión, didn't self-employed 3.5 NIÑO"),
            [
                "la",
                "exclusión",
                "didn",
                "t",
                "self",
                "employed",
                "3",
                "5",
                "niño"
            ]
        );
        // Tamil vowel signs are combining marks: one word, not three.
        assert_eq!(exact.terms("தமிழ் மொழி"), ["தமிழ்", "மொழி"]);
        // A stray combining accent (not NFC) stays inside the word.
        assert_eq!(exact.terms("exclusio\u{301}n"), ["exclusio\u{301}n"]);
    }

    #[test]
    fn offsets_are_characters() {
        let t = Analyzer::exact().tokens("¿Qué pasó? niño");
        let spans: Vec<_> = t.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(spans, [(1, 4), (5, 9), (11, 15)]);
    }

    #[test]
    fn folding_keeps_enye() {
        assert_eq!(
            fold("exclusión pingüino façade", &['ñ']),
            "exclusion pinguino facade"
        );
        assert_eq!(fold("año Ñandú", &['ñ']), "año Ñandu");
        assert_eq!(fold("år öl", kept_letters("sv")), "år öl");
        assert_eq!(fold("øre straße", &['ñ']), "øre straße");
        assert_eq!(fold("exclusio\u{301}n", &['ñ']), "exclusion");
        assert_eq!(fold("an\u{303}o", &['ñ']), "año");
        assert_eq!(fold("\u{301}", &['ñ']), "\u{301}");
    }

    #[test]
    fn variants_share_a_position() {
        let es = Analyzer::language("es");
        assert_eq!(
            texts(&es, "trabajaría hoy"),
            [
                ("trabajari".into(), 0),
                ("trabaj".into(), 0),
                ("hoy".into(), 1)
            ]
        );
        assert_eq!(texts(&es, "trabajaria"), [("trabajari".into(), 0)]);
    }

    #[test]
    fn english_agent_nouns_of_le_verbs() {
        let en = Analyzer::language("en");
        assert_eq!(en.terms("smugglers smuggled smuggling"), ["smuggl"]);
        assert_eq!(en.terms("shoulder should"), ["shoulder", "should"]);
        assert_eq!(en.terms("dealer deal"), ["dealer", "deal"]);
    }

    /// Words by their definition, one character at a time.
    fn words_by_definition(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match start {
                None if c.is_alphanumeric() => start = Some(i),
                Some(s) if !(c.is_alphanumeric() || is_combining_mark(c)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, text.len()));
        }
        out
    }

    fn check_words(text: &str) {
        let found: Vec<(usize, usize)> = Words::new(text).map(|(b, _)| (b.start, b.end)).collect();
        assert_eq!(found, words_by_definition(text), "{text:?}");
        for (bytes, chars) in Words::new(text) {
            assert_eq!(chars.start, text[..bytes.start].chars().count());
            assert_eq!(chars.end, text[..bytes.end].chars().count());
        }
    }

    #[test]
    fn words_split_as_defined() {
        for text in [
            "",
            " ",
            "a",
            "¿Qué pasó? niño",
            "தமிழ் மொழி",
            "\u{301}a\u{301}b",
            "x\u{301}",
            "3.5-ñ",
        ] {
            check_words(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn words_split_as_defined_on_any_text(text in "[a-zA-Z0-9 .,'\\-éñÑü¿?\n\u{301}\u{303}தமிழ்]{0,40}") {
            check_words(&text);
        }

        #[test]
        fn words_split_as_defined_on_any_string(text in proptest::prelude::any::<String>()) {
            check_words(&text);
        }
    }

    #[test]
    fn keyword_is_one_folded_term() {
        assert_eq!(Analyzer::keyword().terms("María José"), ["maria jose"]);
    }
}

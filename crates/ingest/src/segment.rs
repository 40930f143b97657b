//! Sentence and word boundaries of a segment's text, in characters.
//!
//! The boundaries are exactly those of the unicode-segmentation crate
//! (UAX #29 sentence and word boundaries, as that crate implements them).
//! Looking up each character's break property in its tables is most of the
//! cost, so text made only of characters in a small class table — Latin-1
//! (without the soft hyphen) and the General Punctuation block (without its
//! format controls) — takes a fast path: one table look-up per character,
//! then the same rules run over the looked-up properties. Any text with a
//! character outside that class (`Ł`, `≥`, Cyrillic, emoji...) goes through
//! unicode-segmentation itself. Both paths feed the same post-processing, and
//! the tests check that they agree on random text and on the shared corpora.
//!
//! The class table has no Extend, Format or ZWJ characters and no Hebrew,
//! Katakana or regional-indicator letters, so the rules that deal with them
//! (`WB4`, `WB3c`, `WB7a`-`WB7c`, `WB13`, `WB15`-`WB16`, `SB5`) never apply on
//! the fast path.

use std::ops::Range;
use std::sync::LazyLock;

use unicode_segmentation::UnicodeSegmentation;
use voces_corpus::Span;

/// Word break property (UAX #29 table 3) of a fast-path character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Other,
    Cr,
    Lf,
    Newline,
    WSegSpace,
    ALetter,
    Numeric,
    ExtendNumLet,
    MidLetter,
    MidNum,
    MidNumLet,
    SingleQuote,
    DoubleQuote,
}

/// Sentence break property (UAX #29 table 4) of a fast-path character
/// (the class has no `OLetter`, `Extend` or `Format` characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sentence {
    Other,
    Cr,
    Lf,
    Sep,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

/// Per-character flags, the same on both paths.
const ALNUM: u8 = 1;
const ALPHA: u8 = 2;
const SPACE: u8 = 4;

/// What the rules and the post-processing need to know of a character.
/// Aligned to eight bytes, so that it is copied as one word.
#[derive(Debug, Clone, Copy)]
#[repr(align(8))]
struct Class {
    word: Word,
    sentence: Sentence,
    /// What the character adds to the sentence rules' history.
    part: u8,
    /// [`ALNUM`], [`ALPHA`], [`SPACE`].
    flags: u8,
    /// Bytes in UTF-8.
    len: u8,
}

/// First character of the General Punctuation block.
const PUNCT_START: u32 = 0x2000;
/// One past its last character.
const PUNCT_END: u32 = 0x2070;

/// Word break property of `c`, `None` outside the fast path.
fn word_property(c: u32) -> Option<Word> {
    Some(match c {
        0x0A => Word::Lf,
        0x0B | 0x0C | 0x85 | 0x2028 | 0x2029 => Word::Newline,
        0x0D => Word::Cr,
        0x20 | 0x2000..=0x2006 | 0x2008..=0x200A | 0x205F => Word::WSegSpace,
        0x22 => Word::DoubleQuote,
        0x27 => Word::SingleQuote,
        0x2C | 0x3B | 0x2044 => Word::MidNum,
        0x2E | 0x2018 | 0x2019 | 0x2024 => Word::MidNumLet,
        0x3A | 0xB7 | 0x2027 => Word::MidLetter,
        0x30..=0x39 => Word::Numeric,
        0x41..=0x5A
        | 0x61..=0x7A
        | 0xAA
        | 0xB5
        | 0xB8
        | 0xBA
        | 0xC0..=0xD6
        | 0xD8..=0xF6
        | 0xF8..=0xFF => Word::ALetter,
        0x5F | 0x202F | 0x203F | 0x2040 | 0x2054 => Word::ExtendNumLet,
        // Soft hyphen, zero-width and directional controls: Extend,
        // Format or ZWJ in one of the two properties.
        0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F => {
            return None;
        }
        0..=0xFF | PUNCT_START..PUNCT_END => Word::Other,
        _ => return None,
    })
}

/// Sentence break property of `c`, `None` outside the fast path.
fn sentence_property(c: u32) -> Option<Sentence> {
    Some(match c {
        0x09 | 0x0B | 0x0C | 0x20 | 0xA0 | 0x2000..=0x200A | 0x202F | 0x205F => Sentence::Sp,
        0x0A => Sentence::Lf,
        0x0D => Sentence::Cr,
        0x85 | 0x2028 | 0x2029 => Sentence::Sep,
        0x21 | 0x3F | 0x203C | 0x203D | 0x2047..=0x2049 => Sentence::STerm,
        0x2E | 0x2024 => Sentence::ATerm,
        0x22
        | 0x27..=0x29
        | 0x5B
        | 0x5D
        | 0x7B
        | 0x7D
        | 0xAB
        | 0xBB
        | 0x2018..=0x201F
        | 0x2039
        | 0x203A
        | 0x2045
        | 0x2046 => Sentence::Close,
        0x2C | 0x2D | 0x3A | 0x3B | 0x2013 | 0x2014 => Sentence::SContinue,
        0x30..=0x39 => Sentence::Numeric,
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => Sentence::Upper,
        0x61..=0x7A | 0xAA | 0xB5 | 0xBA | 0xDF..=0xF6 | 0xF8..=0xFF => Sentence::Lower,
        0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F => {
            return None;
        }
        0..=0xFF | PUNCT_START..PUNCT_END => Sentence::Other,
        _ => return None,
    })
}

/// The flags of any character (both paths use this).
fn flags(c: char) -> u8 {
    let mut f = 0;
    if c.is_alphanumeric() {
        f |= ALNUM;
    }
    if c.is_alphabetic() {
        f |= ALPHA;
    }
    if c.is_whitespace() {
        f |= SPACE;
    }
    f
}

/// The fast-path classes, looked up by code point: Latin-1 first, then
/// General Punctuation.
struct Table {
    /// ASCII, all of it in the fast path.
    ascii: [Class; 0x80],
    latin1: [Option<Class>; 0x100],
    punct: [Option<Class>; (PUNCT_END - PUNCT_START) as usize],
}

fn class_of(c: char) -> Option<Class> {
    let code = u32::from(c);
    let sentence = sentence_property(code)?;
    Some(Class {
        word: word_property(code)?,
        sentence,
        part: part_of(sentence),
        flags: flags(c),
        len: c.len_utf8() as u8,
    })
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let unset = Class {
        word: Word::Other,
        sentence: Sentence::Other,
        part: OTHER,
        flags: 0,
        len: 1,
    };
    let mut table = Table {
        ascii: [unset; 0x80],
        latin1: [None; 0x100],
        punct: [None; (PUNCT_END - PUNCT_START) as usize],
    };
    for (code, slot) in (0..).zip(table.latin1.iter_mut()) {
        *slot = char::from_u32(code).and_then(class_of);
    }
    for (code, slot) in (PUNCT_START..).zip(table.punct.iter_mut()) {
        *slot = char::from_u32(code).and_then(class_of);
    }
    for (slot, class) in table.ascii.iter_mut().zip(table.latin1) {
        *slot = class.expect("every ASCII character is in the fast path");
    }
    table
});

impl Table {
    #[inline]
    fn get(&self, c: char) -> Option<Class> {
        let code = u32::from(c);
        if code < 0x100 {
            self.latin1[code as usize]
        } else if (PUNCT_START..PUNCT_END).contains(&code) {
            self.punct[(code - PUNCT_START) as usize]
        } else {
            None
        }
    }
}

/// Where a sentence of the text last split is in it, and its letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceText {
    /// Bytes, from the start of the text.
    pub bytes: Range<usize>,
    /// Alphabetic characters in it.
    pub letters: usize,
}

/// Boundaries of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Boundaries {
    /// Sentences with a letter or digit, in characters from `base` (see
    /// [`Segmenter::split`]), trailing white space left out; a piece without
    /// a letter or digit (`...`, `?!`) joins the sentence before.
    pub sentences: Vec<Span>,
    /// Start and end (characters from the start of the text) of every word
    /// with a letter or digit, flattened.
    pub words: Vec<u32>,
    /// Characters in the text.
    pub chars: usize,
    /// Alphabetic characters in the text.
    pub letters: usize,
}

/// Finds sentence and word boundaries, reusing its buffers from one text to
/// the next.
#[derive(Debug, Default)]
pub struct Segmenter {
    /// Each character's class (on the general path only `flags` and `len`
    /// are filled in).
    classes: Vec<Class>,
    /// Alphabetic characters in `classes`.
    letters: usize,
    /// Ends (in characters) of the sentence pieces, then of the word pieces.
    breaks: Vec<u32>,
    /// The sentences of the text last split.
    texts: Vec<SentenceText>,
    /// Start and end (bytes) of each word of the text last split,
    /// flattened: the words of [`Boundaries::words`].
    word_bytes: Vec<u32>,
    /// The same in characters, copied to [`Boundaries::words`] at its
    /// final length (one allocation rather than one per doubling).
    word_chars: Vec<u32>,
}

impl Segmenter {
    /// A segmenter with empty buffers.
    pub fn new() -> Segmenter {
        Segmenter::default()
    }

    /// The boundaries of `text`, whose first character is character `base`
    /// of a larger text: the fast path when every character is in the class
    /// table, unicode-segmentation otherwise.
    pub fn split(&mut self, text: &str, base: usize) -> Boundaries {
        let fast = self.classify(text);
        self.split_classified(text, base, fast)
    }

    /// Whether [`Segmenter::split`] takes the fast path on `text` (every
    /// character is in the class table).
    pub fn fast_path(text: &str) -> bool {
        let table = &*TABLE;
        text.chars().all(|c| table.get(c).is_some())
    }

    /// [`Segmenter::split`] by unicode-segmentation alone (the reference
    /// the fast path is tested against).
    pub fn split_general(&mut self, text: &str, base: usize) -> Boundaries {
        self.classify_general(text);
        self.split_classified(text, base, false)
    }

    /// Bytes and letters of the sentences of the text last split, one for
    /// each of its [`Boundaries::sentences`].
    pub fn sentence_texts(&self) -> &[SentenceText] {
        &self.texts
    }

    /// Start and end, in bytes, of each word of the text last split
    /// (its [`Boundaries::words`]), flattened.
    pub fn word_bytes(&self) -> &[u32] {
        &self.word_bytes
    }

    fn split_classified(&mut self, text: &str, base: usize, fast: bool) -> Boundaries {
        let mut out = Boundaries {
            chars: self.classes.len(),
            letters: self.letters,
            ..Boundaries::default()
        };
        self.breaks.clear();
        if fast {
            sentence_breaks(&self.classes, &mut self.breaks);
        } else {
            piece_ends(text.split_sentence_bounds(), &mut self.breaks);
        }
        self.sentences(base, &mut out);
        self.word_bytes.clear();
        self.word_chars.clear();
        if fast {
            word_spans(&self.classes, &mut self.word_chars, &mut self.word_bytes);
        } else {
            self.breaks.clear();
            piece_ends(text.split_word_bounds(), &mut self.breaks);
            self.words();
        }
        out.words = self.word_chars.clone();
        out
    }

    /// Fills `classes` from the table; false (and `classes` filled for the
    /// general path) when a character is outside it.
    fn classify(&mut self, text: &str) -> bool {
        let table = &*TABLE;
        // A local vector: its pointer and length stay in registers (pushes
        // through `self` reload them after every store).
        let mut classes = std::mem::take(&mut self.classes);
        classes.clear();
        classes.reserve(text.len());
        let mut letters = 0;
        let mut rest = text;
        loop {
            // A run of ASCII (every ASCII character is in the table) is
            // copied in one go, then one other character is looked up.
            let run = ascii_run(rest.as_bytes());
            classes.extend(rest.as_bytes()[..run].iter().map(|&b| {
                let class = table.ascii[usize::from(b)];
                letters += usize::from(class.flags & ALPHA != 0);
                class
            }));
            rest = &rest[run..];
            let Some(c) = rest.chars().next() else {
                break;
            };
            let Some(class) = table.get(c) else {
                self.classes = classes;
                self.classify_general(text);
                return false;
            };
            letters += usize::from(class.flags & ALPHA != 0);
            classes.push(class);
            rest = &rest[c.len_utf8()..];
        }
        self.classes = classes;
        self.letters = letters;
        true
    }

    fn classify_general(&mut self, text: &str) {
        self.classes.clear();
        self.classes.extend(text.chars().map(|c| Class {
            word: Word::Other,
            sentence: Sentence::Other,
            part: OTHER,
            flags: flags(c),
            len: c.len_utf8() as u8,
        }));
        self.letters = self.classes.iter().filter(|c| c.flags & ALPHA != 0).count();
    }

    /// Sentences from the pieces in `breaks`.
    fn sentences(&mut self, base: usize, out: &mut Boundaries) {
        let classes = &self.classes;
        self.texts.clear();
        // The sentence being extended: its characters.
        let mut open: Option<Range<usize>> = None;
        // Where the walk for byte offsets is: characters, bytes.
        let mut at = (0, 0);
        let mut close = |span: Range<usize>, at: &mut (usize, usize)| {
            let skipped: usize = classes[at.0..span.start]
                .iter()
                .map(|c| usize::from(c.len))
                .sum();
            let start = at.1 + skipped;
            let (mut bytes, mut letters) = (0, 0);
            for c in &classes[span.clone()] {
                bytes += usize::from(c.len);
                letters += usize::from(c.flags & ALPHA != 0);
            }
            *at = (span.end, start + bytes);
            out.sentences.push(Span {
                start: base + span.start,
                end: base + span.end,
            });
            self.texts.push(SentenceText {
                bytes: start..start + bytes,
                letters,
            });
        };
        let mut start = 0;
        for &end in &self.breaks {
            let end = end as usize;
            let piece = &classes[start..end];
            let trailing = piece
                .iter()
                .rev()
                .take_while(|c| c.flags & SPACE != 0)
                .count();
            let trimmed = end - trailing;
            if piece.iter().any(|c| c.flags & ALNUM != 0) {
                if let Some(span) = open.replace(start..trimmed) {
                    close(span, &mut at);
                }
            } else if let Some(span) = &mut open {
                span.end = trimmed;
            }
            start = end;
        }
        if let Some(span) = open {
            close(span, &mut at);
        }
    }

    /// Words with a letter or digit from the pieces in `breaks`, in
    /// characters and bytes.
    fn words(&mut self) {
        let (mut start, mut start_byte) = (0u32, 0u32);
        for &end in &self.breaks {
            let piece = &self.classes[start as usize..end as usize];
            let end_byte = start_byte + piece.iter().map(|c| u32::from(c.len)).sum::<u32>();
            if piece.iter().any(|c| c.flags & ALNUM != 0) {
                self.word_chars.extend([start, end]);
                self.word_bytes.extend([start_byte, end_byte]);
            }
            (start, start_byte) = (end, end_byte);
        }
    }
}

/// Bytes of ASCII at the start of `bytes`, looked at eight at a time.
fn ascii_run(bytes: &[u8]) -> usize {
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut run = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGH != 0 {
            return run + (word & HIGH).trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + chunks
        .remainder()
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(chunks.remainder().len())
}

/// The ends (in characters) of unicode-segmentation's pieces.
fn piece_ends<'a>(pieces: impl Iterator<Item = &'a str>, breaks: &mut Vec<u32>) {
    let mut at = 0;
    for piece in pieces {
        at += piece.chars().count() as u32;
        breaks.push(at);
    }
}

/// Whether a character of this word property continues any run of
/// letters, digits and connectors (`WB5`, `WB8`-`WB10`, `WB13a`, `WB13b`).
#[inline]
fn joins_any(word: Word) -> bool {
    const JOINS: u16 =
        1 << Word::ALetter as u16 | 1 << Word::Numeric as u16 | 1 << Word::ExtendNumLet as u16;
    JOINS >> word as u16 & 1 != 0
}

/// Words with a letter or digit (start and end, in characters, flattened,
/// into `words`, and in bytes into `bytes`), by the UAX #29 word rules on
/// fast-path classes: the pieces between word boundaries, keeping those
/// with a letter or digit.
fn word_spans(classes: &[Class], words: &mut Vec<u32>, bytes: &mut Vec<u32>) {
    let n = classes.len();
    let word = |i: usize| classes.get(i).map(|c| c.word);
    // Characters and bytes before character `i`.
    let (mut i, mut b) = (0, 0u32);
    while i < n {
        let (start, start_byte) = (i, b);
        let cat = classes[i].word;
        let mut alnum = classes[i].flags & ALNUM != 0;
        b += u32::from(classes[i].len);
        i += 1;
        match cat {
            // WB3: CR LF stays together; WB3a/b: breaks around newlines.
            Word::Cr if word(i) == Some(Word::Lf) => {
                b += 1;
                i += 1;
            }
            // WB3d: runs of horizontal space stay together.
            Word::WSegSpace => {
                while word(i) == Some(Word::WSegSpace) {
                    b += u32::from(classes[i].len);
                    i += 1;
                }
            }
            Word::ALetter | Word::Numeric | Word::ExtendNumLet => loop {
                // WB5, WB8, WB9, WB10, WB13a, WB13b: letters, digits and
                // connectors run on (the common case, in a tight loop).
                while let Some(c) = classes.get(i).filter(|c| joins_any(c.word)) {
                    alnum |= c.flags & ALNUM != 0;
                    b += u32::from(c.len);
                    i += 1;
                }
                // WB6/WB7: letter (MidLetter | MidNumLet | ') letter;
                // WB11/WB12: digit (MidNum | MidNumLet | ') digit. The
                // character after the middle one runs on above.
                let (Some(middle), Some(after)) = (word(i), word(i + 1)) else {
                    break;
                };
                let joined = match classes[i - 1].word {
                    Word::ALetter => {
                        matches!(
                            middle,
                            Word::MidLetter | Word::MidNumLet | Word::SingleQuote
                        ) && after == Word::ALetter
                    }
                    Word::Numeric => {
                        matches!(middle, Word::MidNum | Word::MidNumLet | Word::SingleQuote)
                            && after == Word::Numeric
                    }
                    _ => false,
                };
                if !joined {
                    break;
                }
                b += u32::from(classes[i].len);
                i += 1;
            },
            // WB999: everything else stands alone.
            _ => {}
        }
        if alnum {
            words.extend([start as u32, i as u32]);
            bytes.extend([start_byte, b]);
        }
    }
}

// The sentence rules look back at the last four "parts" of the text, as
// unicode-segmentation keeps them: one per character, except that runs of
// Close and runs of Sp are one part each. A history is a `u32` with one
// part per byte, the latest in the low byte (start of text is 0).
const SOT: u8 = 0;
const OTHER: u8 = 1;
const CR: u8 = 2;
const LF: u8 = 3;
const SEP: u8 = 4;
const ATERM: u8 = 5;
const UPPER_LOWER: u8 = 6;
const CLOSE: u8 = 7;
const SP: u8 = 8;
const STERM: u8 = 9;

/// The part a character of this sentence property adds to the history.
fn part_of(cat: Sentence) -> u8 {
    match cat {
        Sentence::Cr => CR,
        Sentence::Lf => LF,
        Sentence::Sep => SEP,
        Sentence::ATerm => ATERM,
        Sentence::Upper | Sentence::Lower => UPPER_LOWER,
        Sentence::Close => CLOSE,
        Sentence::Sp => SP,
        Sentence::STerm => STERM,
        Sentence::Other | Sentence::Numeric | Sentence::SContinue => OTHER,
    }
}

fn is_terminal(part: u8) -> bool {
    part == STERM || part == ATERM
}

fn is_para_sep(part: u8) -> bool {
    matches!(part, SEP | CR | LF)
}

/// A part after which a sentence may end.
fn opens(part: u8) -> bool {
    is_terminal(part) || is_para_sep(part)
}

/// The history without a trailing part `part`, if it has one.
fn drop_last(h: u32, part: u8) -> u32 {
    if h as u8 == part { h >> 8 } else { h }
}

/// The part before `Close* Sp*` at the end of the history.
fn before_close_sp(h: u32) -> u8 {
    drop_last(drop_last(h, SP), CLOSE) as u8
}

/// SB8: after `ATerm Close* Sp*`, no break when a lower-case letter follows
/// before any letter, separator or terminator.
fn lower_follows(h: u32, ahead: &[Class]) -> bool {
    before_close_sp(h) == ATERM
        && ahead
            .iter()
            .find_map(|c| match c.sentence {
                Sentence::Lower => Some(true),
                Sentence::Upper
                | Sentence::Sep
                | Sentence::Cr
                | Sentence::Lf
                | Sentence::STerm
                | Sentence::ATerm => Some(false),
                _ => None,
            })
            .unwrap_or(false)
}

/// SB11: `SATerm Close* Sp* ParaSep?` ends a sentence.
fn ends_sentence(h: u32) -> bool {
    let h = if is_para_sep(h as u8) { h >> 8 } else { h };
    is_terminal(before_close_sp(h))
}

/// Whether the sentence rules break before `ahead[0]`, with the history
/// `h` of the text before it.
fn sentence_break(h: u32, ahead: &[Class]) -> bool {
    let cat = ahead[0].sentence;
    let last = h as u8;
    if last == CR && cat == Sentence::Lf {
        // SB3.
        return false;
    }
    if is_para_sep(last) {
        // SB4.
        return true;
    }
    if last == ATERM
        && (cat == Sentence::Numeric
            // SB6.
            || cat == Sentence::Upper && (h >> 8) as u8 == UPPER_LOWER)
        // SB7.
        || lower_follows(h, ahead)
    // SB8.
    {
        return false;
    }
    let terminal_before = is_terminal(before_close_sp(h));
    let terminal_before_close = is_terminal(drop_last(h, CLOSE) as u8);
    let kept = match cat {
        // SB8a.
        Sentence::SContinue | Sentence::STerm | Sentence::ATerm => terminal_before,
        // SB9.
        Sentence::Close => terminal_before_close,
        // SB9, SB10.
        Sentence::Sp | Sentence::Sep | Sentence::Cr | Sentence::Lf => {
            terminal_before_close || terminal_before
        }
        _ => false,
    };
    // SB11, else SB998.
    !kept && ends_sentence(h)
}

/// Parts whose runs count as one part of the history.
const RUN_PARTS: u16 = 1 << CLOSE | 1 << SP;
/// Parts after which no sentence rule can break until a terminator or
/// separator comes.
const CLEARS_PENDING: u16 = 1 << UPPER_LOWER | 1 << OTHER;
/// Parts that open the way for a break: terminators and separators.
const SETS_PENDING: u16 = 1 << STERM | 1 << ATERM | 1 << SEP | 1 << CR | 1 << LF;

/// The history of the text before character `end`: its last three parts
/// (a run of Close or of Sp is one part), start of text before the first.
fn history_before(classes: &[Class], end: usize) -> u32 {
    let (mut h, mut parts) = (0u32, 0);
    let mut last = SOT;
    for c in classes[..end].iter().rev() {
        if c.part == last && 1u16 << c.part & RUN_PARTS != 0 {
            continue;
        }
        h |= u32::from(c.part) << (8 * parts);
        last = c.part;
        parts += 1;
        if parts == 3 {
            break;
        }
    }
    h
}

/// Sentence pieces (the ends of all of them, in characters), by the
/// UAX #29 sentence rules on fast-path classes.
fn sentence_breaks(classes: &[Class], breaks: &mut Vec<u32>) {
    let Some(first) = classes.first() else {
        return;
    };
    // SB1: no break at the start of text.
    let mut h = u32::from(SOT) << 8 | u32::from(first.part);
    // Whether a terminator or separator came after the last letter, digit
    // or other character: only then can a rule break (SB4 and SB11 need
    // one, looking back through Close and Sp only).
    let mut pending = opens(first.part);
    let mut i = 1;
    while i < classes.len() {
        if !pending {
            // No rule breaks before the next terminator or separator, and
            // the history matters only from there: jump to it (most of a
            // text is letters and spaces) and rebuild the history before it.
            let Some(next) = classes[i..]
                .iter()
                .position(|c| SETS_PENDING >> c.part & 1 != 0)
            else {
                break;
            };
            i += next;
            h = history_before(classes, i) << 8 | u32::from(classes[i].part);
            pending = true;
            i += 1;
            continue;
        }
        let part = classes[i].part;
        let last = h as u8;
        if sentence_break(h, &classes[i..]) {
            breaks.push(i as u32);
        }
        // A run of Close or of Sp is one part. Then a letter or other
        // character clears `pending`, a terminator or separator sets it,
        // Close and Sp keep it.
        let bit = 1u16 << part;
        let run = part == last && bit & RUN_PARTS != 0;
        h = if run { h } else { h << 8 | u32::from(part) };
        pending = bit & CLEARS_PENDING == 0 || bit & SETS_PENDING != 0;
        i += 1;
    }
    // SB2: the end of text.
    breaks.push(classes.len() as u32);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    type Split = (Boundaries, Vec<SentenceText>, Vec<u32>);

    /// Boundaries, sentence texts and word bytes of `text` by the general
    /// path, then by [`Segmenter::split`]. The word bytes are checked
    /// against unicode-segmentation's words (what
    /// `Detector::word_counts` counts).
    fn both(text: &str) -> [Split; 2] {
        let mut s = Segmenter::new();
        let general = s.split_general(text, 7);
        let general = (
            general,
            s.sentence_texts().to_vec(),
            s.word_bytes().to_vec(),
        );
        let split = s.split(text, 7);
        let split = (split, s.sentence_texts().to_vec(), s.word_bytes().to_vec());
        let words: Vec<u32> = text
            .unicode_word_indices()
            .flat_map(|(at, w)| [at as u32, (at + w.len()) as u32])
            .collect();
        assert_eq!(general.2, words, "{text:?}");
        [general, split]
    }

    fn check(text: &str) {
        assert!(
            Segmenter::fast_path(text),
            "{text:?} is not all fast-path text"
        );
        let [general, fast] = both(text);
        assert_eq!(fast, general, "{text:?}");
    }

    #[test]
    fn examples_agree() {
        for text in [
            "",
            " ",
            "Hola.",
            "¿Cuándo llegó a Bogotá? En 2023. Después de la fecha límite.",
            "Mr. Smith went to Washington. He said \"no.\" Then left!",
            "e.g. the U.S.A. is big. it's 3.5 km, 1,000 people; 2nd time.",
            "Eh... bueno... ¡Sí! «Claro» —dijo— y se fue.",
            "a.\n\nb.\r\nc.\u{85}d. etc. 12:30 p.m. ok",
            "Don’t say “hello”… I said ‘goodbye’.",
            "   leading space. trailing space.   ",
            "(Risas.) [inaudible] {x} ¿? !! ?! ... .",
            "foo_bar __init__ 3_000 a\u{202F}b x\u{2024}y",
            "é\u{2028}à\u{2029}ü  \t\u{A0}\u{2003}z",
        ] {
            check(text);
        }
    }

    #[test]
    fn other_characters_take_the_general_path() {
        for text in [
            "Łódź is in Poland.",
            "x ≥ 3. Fine.",
            "soft\u{AD}hyphen",
            "日本語です。",
        ] {
            assert!(!Segmenter::fast_path(text));
            let [general, split] = both(text);
            assert_eq!(split, general, "{text:?}");
        }
    }

    /// Pieces random text is made of: words, numbers, punctuation,
    /// quotes, spaces and line breaks of every kind the fast path knows,
    /// any character of its class table, and now and then one outside it.
    fn piece() -> impl Strategy<Value = String> {
        let fast = (0u32..0x100)
            .chain(PUNCT_START..PUNCT_END)
            .filter_map(char::from_u32)
            .collect::<Vec<char>>();
        prop_oneof![
            6 => "[a-zA-Z]{1,8}",
            3 => "[a-zA-ZáéíóúñüÁÉÍÓÚÑÜçàèÇ]{1,8}",
            2 => "[0-9]{1,4}",
            4 => prop::sample::select(vec![
                ".", ",", ";", ":", "!", "?", "¿", "¡", "'", "\"", "(", ")", "[", "]", "{", "}",
                "-", "_", "/", "...", "…", "—", "–", "«", "»", "“", "”", "‘", "’", "·", "%", "$",
                "º", "ª", "²",
            ])
            .prop_map(str::to_owned),
            5 => prop::sample::select(vec![
                " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\n\n", "\u{85}", "\u{A0}",
                "\u{2003}", "\u{202F}", "\u{2028}", "\u{2029}", "\u{B}",
            ])
            .prop_map(str::to_owned),
            2 => prop::sample::select(fast).prop_map(String::from),
            1 => prop::sample::select(vec!['Ł', '≥', '\u{AD}', '\u{200D}', '\u{301}', '😀', 'ж'])
                .prop_map(String::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// The fast path finds the boundaries unicode-segmentation finds.
        #[test]
        fn fast_path_agrees(pieces in prop::collection::vec(piece(), 0..40)) {
            let text: String = pieces.concat();
            let [general, split] = both(&text);
            prop_assert_eq!(split, general, "{:?}", text);
        }
    }

    #[test]
    fn spans_and_letters() {
        let mut s = Segmenter::new();
        let b = s.split("En 2023. Después de la fecha... ¿Sí?", 100);
        let chars: Vec<(usize, usize)> = b.sentences.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(chars, [(100, 108), (109, 131), (132, 136)]);
        let texts = s.sentence_texts();
        assert_eq!(texts.len(), 3);
        assert_eq!(texts[1].bytes, 9..32);
        assert_eq!(texts[1].letters, 16);
        assert_eq!(b.words, [0, 2, 3, 7, 9, 16, 17, 19, 20, 22, 23, 28, 33, 35]);
        assert_eq!((b.chars, b.letters), (36, 20));
    }
}

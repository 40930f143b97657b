//! Language detection, restricted to the project's languages.
//!
//! Two signals are combined. whatlang's trigram model knows many languages
//! but is unreliable on the short turns interviews are made of (it reads
//! "Eleven days, I think, through the desert." as Spanish). Function words
//! (articles, pronouns, prepositions) are a strong signal even in one
//! sentence, so for languages with a built-in list ([`FUNCTION_WORDS`]) a
//! clear function-word majority decides; otherwise whatlang decides when it
//! says its guess is reliable, and else there is no answer (the caller
//! falls back to the interview's language).
//!
//! Languages are named by ISO 639-1 codes everywhere in voces (`en`, `es`);
//! whatlang uses ISO 639-3, so this module maps between the two.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use whatlang::Lang;

/// ISO 639-1 code and the whatlang language, for every language whatlang
/// detects that has a two-letter code.
const LANGS: &[(&str, Lang)] = &[
    ("af", Lang::Afr),
    ("ak", Lang::Aka),
    ("am", Lang::Amh),
    ("ar", Lang::Ara),
    ("az", Lang::Aze),
    ("be", Lang::Bel),
    ("bg", Lang::Bul),
    ("bn", Lang::Ben),
    ("ca", Lang::Cat),
    ("cs", Lang::Ces),
    ("da", Lang::Dan),
    ("de", Lang::Deu),
    ("el", Lang::Ell),
    ("en", Lang::Eng),
    ("eo", Lang::Epo),
    ("es", Lang::Spa),
    ("et", Lang::Est),
    ("fa", Lang::Pes),
    ("fi", Lang::Fin),
    ("fr", Lang::Fra),
    ("gu", Lang::Guj),
    ("he", Lang::Heb),
    ("hi", Lang::Hin),
    ("hr", Lang::Hrv),
    ("hu", Lang::Hun),
    ("hy", Lang::Hye),
    ("id", Lang::Ind),
    ("it", Lang::Ita),
    ("ja", Lang::Jpn),
    ("jv", Lang::Jav),
    ("ka", Lang::Kat),
    ("km", Lang::Khm),
    ("kn", Lang::Kan),
    ("ko", Lang::Kor),
    ("la", Lang::Lat),
    ("lt", Lang::Lit),
    ("lv", Lang::Lav),
    ("mk", Lang::Mkd),
    ("ml", Lang::Mal),
    ("mr", Lang::Mar),
    ("my", Lang::Mya),
    ("nb", Lang::Nob),
    ("ne", Lang::Nep),
    ("nl", Lang::Nld),
    ("or", Lang::Ori),
    ("pa", Lang::Pan),
    ("pl", Lang::Pol),
    ("pt", Lang::Por),
    ("ro", Lang::Ron),
    ("ru", Lang::Rus),
    ("si", Lang::Sin),
    ("sk", Lang::Slk),
    ("sl", Lang::Slv),
    ("sn", Lang::Sna),
    ("sr", Lang::Srp),
    ("sv", Lang::Swe),
    ("ta", Lang::Tam),
    ("te", Lang::Tel),
    ("th", Lang::Tha),
    ("tk", Lang::Tuk),
    ("tl", Lang::Tgl),
    ("tr", Lang::Tur),
    ("uk", Lang::Ukr),
    ("ur", Lang::Urd),
    ("uz", Lang::Uzb),
    ("vi", Lang::Vie),
    ("yi", Lang::Yid),
    ("zh", Lang::Cmn),
    ("zu", Lang::Zul),
];

/// The whatlang language of an ISO 639-1 code.
pub fn whatlang_of(code: &str) -> Option<Lang> {
    LANGS.iter().find(|(c, _)| *c == code).map(|&(_, l)| l)
}

/// The ISO 639-1 code of a whatlang language.
pub fn code_of(lang: Lang) -> Option<&'static str> {
    LANGS.iter().find(|(_, l)| *l == lang).map(|&(c, _)| c)
}

/// The ISO 639-1 code of an ISO 639-3 (or 639-2/B) code such as `spa`,
/// `eng`, `fre`; `None` when unknown.
pub fn code_of_639_3(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    let aliases = [
        ("fre", "fra"),
        ("ger", "deu"),
        ("dut", "nld"),
        ("chi", "cmn"),
        ("zho", "cmn"),
        ("per", "pes"),
        ("fas", "pes"),
    ];
    let code = aliases
        .iter()
        .find(|(a, _)| *a == code)
        .map_or(code.as_str(), |(_, c)| c);
    Lang::from_code(code).and_then(code_of)
}

/// Detects among a fixed set of languages.
#[derive(Debug, Clone)]
pub struct Detector {
    inner: whatlang::Detector,
    only: Option<&'static str>,
    /// Codes of the project's languages that have a function-word list.
    words: Vec<&'static str>,
    /// Function word → bit set of the indexes in `words` it belongs to.
    lookup: WordTable,
}

/// Frequent function words that are not also common words of another
/// listed language (`a`, `no`, `me`, `he`, `son`, `de`/`da` across the
/// Romance languages... are left out on purpose).
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "in", "is", "was", "that", "it", "for", "you", "we", "they",
            "with", "have", "had", "but", "not", "this", "what", "there", "my", "our", "are",
            "were", "be", "been", "on", "at", "from", "by", "she", "his", "i", "so", "if", "would",
            "could", "did", "when", "where", "how", "about", "after", "then", "them", "their",
            "just", "because", "very", "all", "an", "or", "yes", "which", "who", "will", "can",
            "your", "us", "into", "some", "think", "know",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "que", "y", "en", "un", "una", "por", "para", "con", "es",
            "se", "lo", "le", "les", "del", "al", "su", "sus", "pero", "como", "más", "muy", "fue",
            "era", "estaba", "porque", "cuando", "donde", "dónde", "qué", "yo", "nosotros",
            "ellos", "mi", "mis", "sí", "también", "hay", "ya", "está", "esta", "este", "eso",
            "esto", "nos", "ha", "han", "sin", "sobre", "entre", "hasta", "desde", "bueno",
            "entonces", "todo", "todos", "nada", "usted", "ustedes", "pues",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "as", "que", "e", "em", "um", "uma", "para", "com", "não", "se", "do", "da",
            "dos", "das", "no", "na", "nos", "ao", "pelo", "pela", "mas", "como", "mais", "muito",
            "foi", "era", "estava", "porque", "quando", "onde", "eu", "nós", "eles", "meu",
            "minha", "sim", "também", "há", "já", "está", "isso", "isto", "você", "ele", "ela",
            "então", "tudo", "nada", "até",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "est", "un", "une", "des", "du", "au", "aux", "pour", "avec",
            "pas", "ne", "qui", "que", "dans", "sur", "par", "mais", "nous", "vous", "ils", "elle",
            "je", "j'ai", "c'est", "il", "ce", "cette", "était", "avait", "sont", "ont", "très",
            "aussi", "quand", "où", "oui", "non", "mon", "ma", "mes", "notre", "leur", "tout",
            "rien", "parce", "alors", "ça", "y", "on",
        ],
    ),
    (
        "it",
        &[
            "il", "lo", "la", "gli", "le", "che", "e", "è", "un", "una", "per", "con", "non", "si",
            "del", "della", "dei", "nel", "nella", "al", "alla", "ma", "come", "più", "molto",
            "era", "sono", "stato", "perché", "quando", "dove", "io", "noi", "loro", "mio", "mia",
            "sì", "anche", "c'è", "già", "questo", "questa", "quello", "ci", "anche", "allora",
            "tutto", "niente", "fino",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "dem", "mit",
            "sich", "auf", "für", "von", "war", "ich", "wir", "sie", "es", "auch", "aber", "wie",
            "noch", "nach", "bei", "aus", "wenn", "wo", "ja", "nein", "mein", "unser", "haben",
            "hatte", "wurde", "sind", "sehr", "dann", "weil", "schon", "nichts", "alles", "bis",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "is", "niet", "dat", "ik", "je", "wij", "we", "zijn",
            "met", "op", "voor", "aan", "maar", "ook", "als", "er", "was", "waren", "heb",
            "hebben", "had", "naar", "bij", "uit", "wanneer", "waar", "ja", "nee", "mijn", "onze",
            "heel", "dan", "omdat", "al", "niets", "alles", "tot",
        ],
    ),
];

/// Characters of an interview [`outside_project`] looks at: whatlang's
/// trigram profiles are settled long before (it is sure of a language from
/// a few sentences), and this check runs on every interview whose own
/// function words do not settle its language ([`Detector::surely`]).
const OUTSIDE_SAMPLE: usize = 1000;

/// Share of an interview's words that function words of its language
/// must make up for [`outside_project`] not to be asked
/// ([`Detector::surely`]). The lists leave out the words neighbouring
/// languages share (`de`, `a`, `no`...), so in Catalan, Galician,
/// Portuguese or Italian text the Spanish list covers under a fifth of the
/// words, while in Spanish or English interviews their own lists cover a
/// third or more.
const SURE_SHARE: f64 = 0.25;

/// The language of `text` when whatlang, free to choose any language, is
/// sure it is one the project does not list (ISO 639-1 code and name).
/// Only the first [`OUTSIDE_SAMPLE`] characters are looked at.
pub fn outside_project(text: &str, languages: &[String]) -> Option<String> {
    let end = text
        .char_indices()
        .nth(OUTSIDE_SAMPLE)
        .map_or(text.len(), |(i, _)| i);
    let info = whatlang::detect(&text[..end])?;
    let code = code_of(info.lang())?;
    (info.is_reliable() && info.confidence() >= 0.9 && !languages.iter().any(|l| l == code))
        .then(|| format!("{} ({code})", info.lang().eng_name()))
}

/// Function words → bit set of the languages (indexes into
/// [`Detector::words`]) they belong to. It is looked up once per word of
/// every sentence, and in Spanish or English close to half the words are
/// function words, so a branch on "is it one" would be mispredicted half
/// the time. The lookup has no such branch: a word packed into one integer
/// ([`packed`]) picks, by one multiplication, a pair of slots, and both are
/// compared. The multiplier is chosen when the table is built so that no
/// pair is asked to hold more than two words.
#[derive(Debug, Clone)]
struct WordTable {
    /// Packed function words in pairs of slots, 0 for an empty slot (no
    /// packed word is 0); a power of two long.
    keys: Vec<u64>,
    /// The languages of the word in the same slot of `keys`.
    bits: Vec<u32>,
    /// The multiplier that spreads the words over the pairs.
    multiplier: u64,
    /// 64 less the log2 of the number of pairs.
    shift: u32,
}

impl WordTable {
    /// The table of these (not empty, lower-case) function words, each
    /// with the index of its language. Words longer than [`MAX_WORD`]
    /// bytes are left out (none of the built-in lists has one).
    fn new<'a>(words: impl IntoIterator<Item = (&'a str, usize)>) -> WordTable {
        let mut all: Vec<(u64, u32)> = words
            .into_iter()
            .filter_map(|(word, index)| Some((packed(word.as_bytes())?, 1 << index)))
            .collect();
        all.sort_unstable();
        // A word of several languages: one entry with all their bits.
        all.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 |= later.1;
            }
            same
        });
        // Eight slots per word: a few multipliers are enough to find one
        // that leaves no pair with three words; a larger table otherwise.
        let mut pairs = (4 * all.len()).next_power_of_two().max(8);
        let mut multiplier: u64 = 0x9E37_79B9_7F4A_7C15;
        loop {
            for _ in 0..64 {
                let mut table = WordTable {
                    keys: vec![0; 2 * pairs],
                    bits: vec![0; 2 * pairs],
                    multiplier,
                    shift: 64 - pairs.trailing_zeros(),
                };
                if all.iter().all(|&(key, bits)| table.insert(key, bits)) {
                    return table;
                }
                // The next odd multiplier of a fixed sequence (SplitMix64).
                multiplier = multiplier.wrapping_add(0x9E37_79B9_7F4A_7C15);
                multiplier =
                    (multiplier ^ multiplier >> 30).wrapping_mul(0xBF58_476D_1CE4_E5B9) | 1;
            }
            pairs *= 2;
        }
    }

    /// The first slot of the pair of `key`.
    #[inline]
    fn pair(&self, key: u64) -> usize {
        2 * (key.wrapping_mul(self.multiplier) >> self.shift) as usize
    }

    /// Puts `key` in its pair; false when both slots are taken.
    fn insert(&mut self, key: u64, bits: u32) -> bool {
        let pair = self.pair(key);
        let Some(slot) = (pair..pair + 2).find(|&s| self.keys[s] == 0) else {
            return false;
        };
        self.keys[slot] = key;
        self.bits[slot] = bits;
        true
    }

    /// The languages of the word `key` ([`packed`], lower case), as a bit
    /// set, 0 when it is no function word; without a branch.
    #[inline]
    fn get(&self, key: u64) -> u32 {
        let pair = self.pair(key);
        let (Some(keys), Some(bits)) =
            (self.keys.get(pair..pair + 2), self.bits.get(pair..pair + 2))
        else {
            return 0;
        };
        // About half the words of a text are function words: a branch on
        // the comparison would be mispredicted as often (the compiler makes
        // one of a mask), so the choice is a conditional move.
        std::hint::select_unpredictable(keys[0] == key, bits[0], 0)
            | std::hint::select_unpredictable(keys[1] == key, bits[1], 0)
    }
}

/// Longest word (in bytes) looked up; longer ones are no function words.
const MAX_WORD: usize = 8;

/// `word`'s bytes in one integer (little-endian, zero-padded), if it has
/// 1 to [`MAX_WORD`] bytes. A word holds no NUL, so words of different
/// lengths never pack alike, and none packs to 0.
fn packed(word: &[u8]) -> Option<u64> {
    let mut buf = [0u8; MAX_WORD];
    buf.get_mut(..word.len())?.copy_from_slice(word);
    (!word.is_empty()).then(|| u64::from_le_bytes(buf))
}

/// The bytes of `len` (1 to [`MAX_WORD`]) in a packed word.
fn used(len: usize) -> u64 {
    u64::MAX >> (8 * (MAX_WORD - len))
}

/// [`packed`] of the word at `start..start + len` of `text` (at most
/// [`MAX_WORD`] bytes) lower-cased, when that needs no case tables: its
/// characters are ASCII, or Latin-1 that is its own lower case (`C2 xx`, or
/// `C3 xx` from U+00DF on: `ß`, `à`-`ÿ`). That is most words of a
/// Spanish text (`está`, `también`) and all of an English one; the others
/// (`ÉL`, `он`) give `None`.
///
/// All of it is done on the 8 bytes at once, without a branch on the
/// bytes: setting bit 5 of each ASCII byte lower-cases a letter; the other
/// ASCII characters a UAX #29 word can hold (digits, `'`, `.`, `:`, `,`,
/// `;`, `_`) become no letter and no apostrophe, so they still match no
/// function word. The bytes are loaded 8 at a time when the text has them,
/// and masked.
#[inline]
fn packed_latin1_lower(text: &[u8], start: usize, len: usize) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    const LOW: u64 = 0x7F * ONES;
    // 0x80 in each byte of `x` that is `b`, exactly.
    let equal = |x: u64, b: u8| {
        let z = x ^ (u64::from(b) * ONES);
        !((z & LOW).wrapping_add(LOW) | z) & HIGH
    };
    let used = used(len);
    let key = if let Some(Ok(chunk)) = text.get(start..start + 8).map(<[u8; 8]>::try_from) {
        u64::from_le_bytes(chunk) & used
    } else {
        // Near the end of the text: copied.
        packed(&text[start..start + len])?
    };
    // Lead bytes (0xC0 and up), and the bytes after a `C3`.
    let leads = key & (key << 1) & HIGH;
    let c3 = equal(key, 0xC3);
    // 0x80 in each byte whose low 7 bits are 0x1F or more: for a
    // continuation byte (0x80..0xBF), at least 0x9F.
    let from_9f = ((key & LOW) + 0x61 * ONES) & HIGH;
    let other = (leads & !(c3 | equal(key, 0xC2))) | ((c3 << 8) & !from_9f);
    (other == 0).then_some(key | (!key & HIGH & used) >> 2)
}

/// [`packed`] of `word` lower-cased by the Unicode case tables, if that is
/// at most [`MAX_WORD`] bytes (the words [`packed_latin1_lower`] leaves).
fn packed_lower(word: &str) -> Option<u64> {
    let mut buf = [0u8; MAX_WORD];
    let mut len = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let end = len + c.len_utf8();
        c.encode_utf8(buf.get_mut(len..end)?);
        len = end;
    }
    Some(u64::from_le_bytes(buf))
}

/// The languages whose lists hold the word at bytes `word` of `text`,
/// compared lower-cased, as a bit set.
// Inlined into the two loops over every word of the corpus: measured
// faster than leaving the choice to the compiler.
#[allow(clippy::inline_always)]
#[inline(always)]
fn word_bits(text: &str, word: Range<usize>, lookup: &WordTable) -> u32 {
    let len = word.len();
    if len == 0 || len > MAX_WORD {
        return 0;
    }
    match packed_latin1_lower(text.as_bytes(), word.start, len) {
        Some(key) => lookup.get(key),
        None => lookup_lower(&text[word], lookup),
    }
}

/// Adds one to the count of each language in the bit set `bits`.
#[inline]
fn add_bits(counts: &mut [usize], bits: u32) {
    for (i, count) in counts.iter_mut().enumerate() {
        *count += (bits >> i & 1) as usize;
    }
}

/// The languages of `word` (not all ASCII or own-lower-case Latin-1),
/// lower-cased.
#[inline(never)]
fn lookup_lower(word: &str, lookup: &WordTable) -> u32 {
    packed_lower(word).map_or(0, |key| lookup.get(key))
}

/// The most function words any language but the one at `at` has; `None`
/// when there is no other.
fn most_but(counts: &[usize], at: usize) -> Option<usize> {
    counts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != at)
        .map(|(_, &n)| n)
        .max()
}

impl Detector {
    /// A detector choosing among `languages` (ISO 639-1 codes whatlang
    /// knows; unknown codes are ignored).
    pub fn new(languages: &[String]) -> Detector {
        let langs: Vec<Lang> = languages.iter().filter_map(|c| whatlang_of(c)).collect();
        let only = match langs.as_slice() {
            [one] => code_of(*one),
            _ => None,
        };
        let lists: Vec<(&'static str, &'static [&'static str])> = FUNCTION_WORDS
            .iter()
            .filter(|(c, _)| langs.iter().any(|l| code_of(*l) == Some(*c)))
            .copied()
            .collect();
        let lookup = WordTable::new(
            lists
                .iter()
                .enumerate()
                .flat_map(|(i, (_, list))| list.iter().map(move |w| (*w, i))),
        );
        Detector {
            inner: whatlang::Detector::with_allowlist(langs),
            only,
            words: lists.iter().map(|(c, _)| *c).collect(),
            lookup,
        }
    }

    /// Function words of each listed project language in `text` (empty
    /// when fewer than two project languages have a list): its UAX #29
    /// words (those with a letter or digit) that a list holds, compared
    /// lower-cased. Counts of pieces of a text cut at word boundaries
    /// (sentences) add up to the counts of the whole.
    pub fn word_counts(&self, text: &str) -> Vec<usize> {
        let mut counts = vec![0; self.word_lists()];
        self.add_word_counts(text, &mut counts);
        counts
    }

    /// How many counts [`Detector::word_counts`] gives: the project
    /// languages with a function-word list, or 0 when fewer than two have
    /// one.
    pub fn word_lists(&self) -> usize {
        if self.words.len() < 2 {
            0
        } else {
            self.words.len()
        }
    }

    /// Adds the [`Detector::word_counts`] of `text` to `counts` (of
    /// [`Detector::word_lists`] entries), without allocating.
    pub fn add_word_counts(&self, text: &str, counts: &mut [usize]) {
        if self.word_lists() > 0 {
            for (start, word) in text.unicode_word_indices() {
                add_bits(
                    counts,
                    word_bits(text, start..start + word.len(), &self.lookup),
                );
            }
        }
    }

    /// Adds to `counts` (of [`Detector::word_lists`] entries) the function
    /// words among `words`: start and end bytes in `text`, flattened, of
    /// UAX #29 words as [`Detector::word_counts`] finds them. What a caller
    /// that has already split the text into words calls.
    pub fn add_words(&self, text: &str, words: &[u32], counts: &mut [usize]) {
        if self.word_lists() > 0 {
            for word in words.chunks_exact(2) {
                let bits = word_bits(text, word[0] as usize..word[1] as usize, &self.lookup);
                add_bits(counts, bits);
            }
        }
    }

    /// Whether a text of `words` words, whose function words are
    /// `counts` ([`Detector::word_counts`]), is surely in the project
    /// language `code`: its function words are at least [`SURE_SHARE`] of
    /// the words and more than three times those of any other listed
    /// language. Then whatlang need not be asked whether the text is in a
    /// language outside the project ([`outside_project`], a fixed cost per
    /// interview as large as reading a long one).
    pub fn surely(&self, code: &str, counts: &[usize], words: usize) -> bool {
        let Some(at) = self.words.iter().position(|c| *c == code) else {
            return false;
        };
        let counts = &counts[..counts.len().min(self.words.len())];
        let Some(&own) = counts.get(at) else {
            return false;
        };
        let other = most_but(counts, at).unwrap_or(0);
        words > 0 && own as f64 >= SURE_SHARE * words as f64 && own > 3 * other
    }

    /// The language [`Detector::word_counts`] name, when one clearly
    /// dominates.
    pub fn by_counts(&self, counts: &[usize]) -> Option<(&'static str, f64)> {
        let counts = &counts[..counts.len().min(self.words.len())];
        if counts.len() < 2 {
            return None;
        }
        // The first language with the most words, and the most words any
        // other language has.
        let (best, &n) = counts.iter().enumerate().rev().max_by_key(|&(_, n)| n)?;
        let second = most_but(counts, best)?;
        (n >= 2 && n > 2 * second).then(|| (self.words[best], (n - second) as f64 / n as f64))
    }

    /// The language of `text` by function words alone, when the project has
    /// two or more languages with lists and one clearly dominates. Cheap
    /// and reliable enough for single sentences.
    pub fn by_function_words(&self, text: &str) -> Option<(&'static str, f64)> {
        self.by_counts(&self.word_counts(text))
    }

    /// The language of `text` with a confidence (0 to 1), or `None` when
    /// neither function words nor whatlang can tell.
    pub fn detect(&self, text: &str) -> Option<(&'static str, f64)> {
        self.detect_counted(text, &self.word_counts(text))
    }

    /// [`Detector::detect`] with the text's [`Detector::word_counts`]
    /// already known.
    pub fn detect_counted(&self, text: &str, counts: &[usize]) -> Option<(&'static str, f64)> {
        if let Some(code) = self.only {
            return Some((code, 1.0));
        }
        if let Some(found) = self.by_counts(counts) {
            return Some(found);
        }
        let info = self.inner.detect(text)?;
        let code = code_of(info.lang())?;
        // Only languages without a word list can be named by an
        // unreliable trigram guess; the others had their chance above.
        if info.is_reliable() || !self.words.contains(&code) && info.confidence() >= 0.5 {
            Some((code, info.confidence()))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_latin1_lower_is_the_lower_case_or_none() {
        // Every character below U+0300 and a few above, alone and between
        // ASCII letters of both cases.
        let chars = (0x20..=0x2FF)
            .chain([0x3A9, 0x43E, 0x1E9E, 0x2019])
            .filter_map(char::from_u32);
        for c in chars {
            for word in [
                format!("{c}"),
                format!("A{c}b"),
                format!("{c}{c}Z"),
                format!("xY{c}"),
            ] {
                let bytes = word.as_bytes();
                if bytes.len() > MAX_WORD {
                    continue;
                }
                let easy =
                    u32::from(c) < 0x100 && (c.to_lowercase().eq([c]) && c != '×' || c.is_ascii());
                let got = packed_latin1_lower(bytes, 0, bytes.len());
                if easy {
                    assert_eq!(
                        got,
                        packed_lower(&word).map(|k| {
                            // ASCII non-letters get bit 5 set (see above).
                            k | (!k & 0x8080_8080_8080_8080 & used(bytes.len())) >> 2
                        }),
                        "{word:?}"
                    );
                } else {
                    assert_eq!(got, None, "{word:?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Counting by packed keys and buckets agrees with looking each
        /// UAX #29 word of the text up, lower-cased, in the lists.
        #[test]
        fn function_word_counts_match_a_plain_count(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "the", "The", "THE", "de", "De", "él", "Él", "ÉL", "j'ai", "C'EST", "qué", "Qué",
                "que", "and", "y", "i", "I", "l'", "'", "x", "palabra", "entonces", "ENTONCES",
                "también", "TAMBIÉN", "für", "ça", "où", "é", "3", "a1", " ", ", ", "—", "\n",
                "ſ", "İ", "ǅ", "nosotrosnosotros", "Está", "MÁS", "más", "Más", "ß", "µ",
                "ª", "l·l", "Ölç", "ÿ", "×", "sí", "SÍ",
            ]), 0..40)
        ) {
            let langs = ["en", "es", "fr", "de"].map(String::from);
            let d = Detector::new(&langs);
            let text = pieces.concat();
            let mut want = vec![0usize; d.word_lists()];
            for word in text.unicode_words() {
                if word.len() > MAX_WORD {
                    continue;
                }
                let lower = word.to_lowercase();
                for (i, code) in d.words.iter().enumerate() {
                    let list = FUNCTION_WORDS.iter().find(|(c, _)| c == code).unwrap().1;
                    want[i] += usize::from(list.contains(&lower.as_str()));
                }
            }
            proptest::prop_assert_eq!(d.word_counts(&text), want, "{:?}", text);
        }
    }

    #[test]
    fn codes_map_both_ways() {
        for (c, l) in LANGS {
            assert_eq!(whatlang_of(c), Some(*l));
            assert_eq!(code_of(*l), Some(*c));
        }
        assert_eq!(code_of_639_3("spa"), Some("es"));
        assert_eq!(code_of_639_3("ENG"), Some("en"));
        assert_eq!(code_of_639_3("ger"), Some("de"));
        assert_eq!(code_of_639_3("xyz"), None);
    }

    #[test]
    fn detects_within_allowlist() {
        let d = Detector::new(&["en".into(), "es".into()]);
        let es = d
            .detect("No teníamos papeles y tuvimos que pagarle a un coyote para cruzar la frontera")
            .unwrap();
        assert_eq!(es.0, "es");
        let en = d
            .detect("We had no papers so we paid a smuggler to take us across the border")
            .unwrap();
        assert_eq!(en.0, "en");
        // French text is never named French: it is not a project language.
        assert_ne!(
            d.detect("Nous avons attendu huit mois pour un rendez-vous")
                .map(|x| x.0),
            Some("fr")
        );
    }

    #[test]
    fn short_turns_follow_function_words() {
        let d = Detector::new(&["en".into(), "es".into()]);
        for (text, want) in [
            ("Eleven days, I think, through the desert.", Some("en")),
            (
                "In León, in Nicaragua. We left in 1998 — after the hurricane.",
                Some("en"),
            ),
            ("How many days did you walk?", Some("en")),
            (
                "¿Y cuándo llegaron a la frontera con sus hijos?",
                Some("es"),
            ),
            ("Tardaron años. Es una historia larga.", Some("es")),
        ] {
            assert_eq!(d.detect(text).map(|x| x.0), want, "{text}");
        }
    }

    #[test]
    fn function_words_are_whole_words_in_any_case() {
        let d = Detector::new(&["en".into(), "es".into(), "fr".into()]);
        // en, es, fr: "The", "THE" and the quoted 'the' count, "theme" and
        // "the'd" do not; "Qué", "MÁS" are Spanish; "J'ai" and "C'EST"
        // French; "la" is both Spanish and French, "y" too; a 13-letter
        // word is never looked up.
        assert_eq!(
            d.word_counts("The THE theme 'the' the'd ¿Qué? MÁS J'ai C'EST la extraordinarily"),
            [3, 3, 3]
        );
        assert_eq!(d.word_counts(""), [0, 0, 0]);
        assert_eq!(d.word_counts("Él—y—ELLOS"), [0, 2, 1]);
    }

    #[test]
    fn counts_name_a_language_only_with_a_clear_majority() {
        let d = Detector::new(&["en".into(), "es".into(), "fr".into()]);
        assert_eq!(d.by_counts(&[5, 2, 0]), Some(("en", 0.6)));
        assert_eq!(d.by_counts(&[0, 1, 4]), Some(("fr", 0.75)));
        assert_eq!(d.by_counts(&[3, 3, 0]), None);
        assert_eq!(d.by_counts(&[4, 2, 0]), None);
        assert_eq!(d.by_counts(&[1, 0, 0]), None);
        assert_eq!(d.by_counts(&[9]), None);
        assert_eq!(d.by_counts(&[]), None);
    }

    #[test]
    fn text_outside_the_project_languages_is_named() {
        let en_es = ["en".to_owned(), "es".to_owned()];
        let fr = "Nous avons attendu huit mois pour un rendez-vous à la préfecture, \
                  et puis on nous a dit que le dossier était incomplet. C'était très dur.";
        assert_eq!(outside_project(fr, &en_es).as_deref(), Some("French (fr)"));
        let es =
            "Esperamos ocho meses la cita en la oficina y luego nos dijeron que faltaban papeles.";
        assert_eq!(outside_project(es, &en_es), None);
    }

    #[test]
    fn only_text_full_of_a_project_languages_function_words_is_sure() {
        let d = Detector::new(&["en".into(), "es".into()]);
        let sure = |text: &str, code: &str| {
            let words = text.unicode_words().count();
            d.surely(code, &d.word_counts(text), words)
        };
        let es = "Cuando llegamos a la frontera nos dijeron que ya no había citas para \
                  nosotros, y entonces pues tuvimos que esperar en la calle con los niños.";
        assert!(sure(es, "es"));
        assert!(!sure(es, "en"));
        // Galician, Catalan and Portuguese share words with Spanish, but too
        // few: whatlang is asked about them.
        let gl = "Chegamos á fronteira en marzo e dixéronnos que non tiñamos os papeis \
                  necesarios. A miña irmá quedou en Bogotá cos nenos, porque non había xeito.";
        let ca = "Vam arribar a la frontera al mes de març i ens van dir que no teníem els \
                  papers necessaris. La meva germana es va quedar a Bogotà amb els nens.";
        let pt = "Nós chegamos na fronteira em março e disseram que não tínhamos os papéis \
                  necessários. A minha irmã ficou em Bogotá com as crianças, porque não havia.";
        for text in [gl, ca, pt] {
            assert!(!sure(text, "es"), "{text}");
        }
        // Nothing is sure of a language without a list, or of no words.
        assert!(!sure(es, "fr"));
        assert!(!d.surely("es", &[0, 0], 0));
    }

    #[test]
    fn other_project_languages_use_their_lists() {
        let d = Detector::new(&["fr".into(), "de".into(), "nl".into()]);
        assert_eq!(
            d.detect("Nous avons attendu huit mois pour un rendez-vous à la préfecture.")
                .map(|x| x.0),
            Some("fr")
        );
        assert_eq!(
            d.detect("Wir haben acht Monate auf einen Termin bei der Behörde gewartet.")
                .map(|x| x.0),
            Some("de")
        );
        assert_eq!(
            d.detect("We hebben acht maanden gewacht op een afspraak bij de gemeente.")
                .map(|x| x.0),
            Some("nl")
        );
    }
}
